/** Usage text for the commands, built from their option definitions. */
import type { OptionDef } from "./args";

const HELP: OptionDef = { name: "help", help: "show this help" };

function optionLines(defs: readonly OptionDef[]): string {
  const rows = [...defs, HELP].map((d) => {
    const names = d.name === "help" ? "-h, --help" : d.negatable ? `--${d.name}, --no-${d.name}` : `--${d.name}${d.value ? ` ${d.value}` : ""}`;
    return [names, d.help.split("\n")] as const;
  });
  const w = Math.max(...rows.map(([n]) => n.length)) + 2;
  return rows.map(([n, lines]) => lines.map((l, i) => `  ${(i === 0 ? n : "").padEnd(w)}${l}`).join("\n")).join("\n");
}

export function commandHelp(synopsis: string, intro: string, defs: readonly OptionDef[], footer = ""): string {
  return `Usage: ${synopsis}\n\n${intro.trim()}\n\nOptions:\n${optionLines(defs)}\n${footer ? `\n${footer.trim()}\n` : ""}`;
}

export const EXIT_CODES = `Exit status: 0 success; 2 bad command line or scenario input (each problem names the
file and field); 1 any other error (set YIGONGTI_DEBUG=1 for a stack trace).`;

export function mainHelp(version: string): string {
  return `yigongti ${version} — agent-based simulator of China's county medical community reform (县域医共体)

Usage:
  yigongti run <scenario.yaml> [options]           run one scenario; write indicators and a manifest
  yigongti compare <a.yaml> [<b.yaml>…] [options]  run scenarios side by side against the 2020 targets
  yigongti brief <a.yaml> [<b.yaml>…] --out DIR    committee briefing: briefing.html, briefing.pdf, charts/
  yigongti explore [<a.yaml>…] [--export DIR]      offline explorer page: move levers, see targets, siphon,
                                                   fund and trajectories (in the browser, zh/en)
  yigongti ensemble <a.yaml>… [options]            many seeds (and parameter draws) on all cores: medians,
                                                   10–90% bands, paired differences vs --baseline
  yigongti store <merge|list|sql|export> …         results stores: merge shards, SQL (DuckDB), tables
  yigongti sweep <a.yaml> --param P=LO:HI[:N] …    grid or Latin-hypercube sweep over named parameters or
                                                   policy levers (P = choice.quality, policy.insurance.…)
  yigongti sensitivity <a.yaml> --param P=LO:HI …  tornado (one at a time) or Sobol indices for an indicator
  yigongti calibrate <a.yaml> --param … --target … fit parameters or levers to target indicators
  yigongti solve <a.yaml> --target ID>=V --lever … what would it take: the cheapest lever setting reaching a
                                                   target with a chosen probability, under constraints; frontier
  yigongti regress record <a.yaml>… --out DIR      record a regression reference of model outputs (commit it)
  yigongti regress check DIR                       re-run it: exact and statistical differences, CI reports
  yigongti plan [--time <a.yaml>] [options]        the model's causal order: the month's steps as the engine runs
                                                   them (with --time: and the time each took)
  yigongti county import <TABLES> --out F.yaml     a county description from its tables (CSV folder or .xlsx):
                                                   townships, clinics, hospitals, ages, prevalence, insured, poor
  yigongti prefecture <p.yaml> [options]           a prefecture in one run: counties join a staged rollout, fund
                                                   pooled per county or by the city; county and prefecture results, flows
  yigongti help [command]                          show help for a command (same as: yigongti <command> --help)
  yigongti --version                               print the model version

Options:
  -h, --help     show this help
  -V, --version  print the model version

Examples:
  yigongti run scenarios/baseline-2018.yaml --scale 0.05
  yigongti compare scenarios/*.yaml --out out/compare
  yigongti compare scenarios/baseline-2018.yaml my-reform.yaml --format json
  yigongti brief scenarios/*.yaml --lang zh --out out/brief
  yigongti explore
  yigongti ensemble scenarios/full-package-qujing.yaml --baseline scenarios/baseline-2018.yaml --seeds 20 --scale 0.05
  yigongti sweep scenarios/baseline-2018.yaml --param policy.insurance.resident.inpatient.rate.township=0.80:0.95:4 --scale 0.02
  yigongti county import data/county-tables/example --out my-county.yaml
  yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 2 --scale 0.1 --out out/prefecture

${EXIT_CODES}
`;
}
