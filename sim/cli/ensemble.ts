/**
 * `yigongti ensemble`: N seeds (× D parameter draws) per scenario on worker threads;
 * median and 10–90% band of every indicator by year and month; paired reform − baseline
 * differences on common random numbers; the parameter-vs-seed variance split; every run
 * kept in a results store (re-runs skip what is done; `--shard i/N` runs a slice).
 */
import { join } from "node:path";
import { INDICATORS, TARGET_YEAR } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, outputDirProblem, outputFolderProblem, writeOutputFolder } from "../output";
import { cachedScenario } from "../experiments/execute";
import { InputError } from "../scenario/errors";
import { scenarioInputs } from "./results";
import type { SummaryRow } from "../experiments/ensemble";
import { runEnsemble, type EnsembleReport } from "../experiments/ensemble-run";
import { parseShard } from "../experiments/jobs";
import { defaultWorkers } from "../experiments/runner";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseChoice, parseDir, parseSeed, parseYears, type OptionDef } from "./args";
import { KEY_INDICATORS, ORDERED } from "../study/comparison";
import { formatPoints, formatValue } from "../study/format";
import { markdownTable, textTable, type TableRow } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import type { Lang } from "../charts/labels";
import type { ChartPlan } from "./experiment-charts";
import { SET, fixedOverrides, takeRepeated } from "./experiment-args";
import { CHARTS, LANG, chartLangs, experimentChartFiles } from "./experiment-charts";
import { ensembleCharts } from "../charts/experiments";
import { pick } from "../charts/labels";

const FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof FORMATS)[number];

const count = (what: string, min: number, max: number) => (raw: string) => {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(Number.isInteger(n) && n >= min && n <= max)) throw new Error(`must be a whole number of ${what} from ${min} to ${max}`);
  return n;
};

export const SHARD: OptionDef = {
  name: "shard",
  value: "i/N",
  parse: (raw) => parseShard(raw),
  help: "run only shard i of N of the job list (every N-th job from the i-th), e.g. for a\nSlurm job array or a Kubernetes Indexed Job; needs --store; summarise later by\nrunning the same command without --shard on the merged store",
};
export const WORKERS: OptionDef = { name: "workers", value: "W", parse: count("worker threads", 1, 1024), help: `worker threads (default: all cores, here ${defaultWorkers()}); results do not depend on it` };
export const STORE: OptionDef = {
  name: "store",
  value: "DIR",
  parse: parseDir,
  help: "results store: each finished run is saved as DIR/runs/<key>.json at once;\nruns already there (same scenario content, seed, years, scale, overrides and\nmodel) are not run again — a killed ensemble resumes where it stopped",
};

const OPTIONS: OptionDef[] = [
  { name: "seeds", value: "N", parse: count("seeds", 1, 100_000), help: "seeds per scenario (per parameter draw) (default 20)" },
  { name: "seed", value: "S", parse: parseSeed, help: "first seed (default 1): seeds S, S+1, …" },
  { name: "baseline", value: "FILE", parse: parseDir, help: "baseline scenario: also report each scenario minus the baseline, paired\nseed by seed (common random numbers)" },
  { name: "parameter-draws", value: "D", parse: count("parameter draws", 2, 10_000), help: "second-order Monte Carlo: D draws of the uncertain parameters (leaves with\n`distribution:` in the parameter file, and --uncertainty), N seeds each;\nreports how much of each indicator's variance comes from parameters vs seeds" },
  { name: "uncertainty", value: "FILE", parse: parseDir, help: "extra parameter distributions (dotted path: {distribution, unit, source}),\ne.g. data/parameter-uncertainty.yaml; implies nothing without --parameter-draws" },
  { name: "draw-seed", value: "S", parse: parseSeed, help: "seed of the parameter-draw stream (default: the first seed)" },
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: through ${TARGET_YEAR}, at least 1)` },
  { ...SET, help: "hold a parameter or policy leaf at VALUE in every run of every scenario,\nbaseline included (repeat for each), e.g. --set choice.habit=0.9 or\n--set policy.payment.capitation.surplusRetainedShare=0.5; a held policy\nlever overrides later timeline changes of it; a held parameter is not drawn" },
  SCALE,
  WORKERS,
  STORE,
  SHARD,
  { name: "out", value: "DIR", parse: parseDir, help: "save DIR/ensemble.json, ensemble.md, summary.csv (median and band by\nscenario, year and month), differences.csv, variance.csv (with --parameter-draws) and charts/ (each\nheadline indicator by year, median and 10–90% band per scenario, target line;\nwith --baseline the paired effects); written whole, replacing an earlier\nensemble's folder (it may not hold the --store)" },
  LANG,
  CHARTS,
  { name: "format", value: "table|json|csv", parse: parseChoice(FORMATS), help: "what to print on stdout (default table): the final year's medians and bands;\njson: everything in ensemble.json; csv: summary.csv" },
  PROGRESS,
];

export const ENSEMBLE_HELP = commandHelp(
  "yigongti ensemble <scenario.yaml>… [options]",
  `Run every scenario with N seeds (and optionally D parameter draws) on worker threads and
report, per indicator and period, the median and the 10–90% band across runs. With
--baseline, also the paired difference scenario − baseline per seed: both use the same
seeds, so illness and choice noise cancel and small effects stand out. Results are
identical whatever --workers is.`,
  OPTIONS,
  `Examples:
  yigongti ensemble scenarios/full-package-qujing.yaml --baseline scenarios/baseline-2018.yaml --seeds 20 --scale 0.1
  yigongti ensemble scenarios/full-package-qujing.yaml --baseline scenarios/baseline-2018.yaml --seeds 10 --scale 0.05 \\
      --set policy.payment.capitation.surplusRetainedShare=0.5
  yigongti ensemble scenarios/baseline-2018.yaml --seeds 5 --parameter-draws 10 --uncertainty data/parameter-uncertainty.yaml --scale 0.05
  yigongti ensemble scenarios/*.yaml --seeds 50 --store results/shard-3 --shard 3/10    # one array task
  yigongti store merge results/all results/shard-*                                     # then summarise:
  yigongti ensemble scenarios/*.yaml --seeds 50 --store results/all --out out/ensemble

${EXIT_CODES}`,
);


const SUMMARY_COLS = ["scenario", "granularity", "period", "indicator", "n", "median", "p10", "p90", "mean", "sd"] as const;
const VARIANCE_COLS = ["scenario", "period", "indicator", "draws", "seedsPerDraw", "total", "parameters", "seeds", "parameterShare"] as const;
const rowsCsv = <T>(cols: readonly (keyof T & string)[], rows: readonly T[]) => csvText(cols, rows.map((r) => cols.map((c) => r[c])));

type Unit = (typeof INDICATORS)[number]["unit"] | "points";

function bandText(unit: Unit, r: SummaryRow | undefined, signed = false): string {
  if (!r || r.median === null) return "-";
  const f = (v: number | null) => {
    const s = unit === "points" ? formatPoints(v) : formatValue(unit, v); // differences of shares and growth rates in percentage points
    return signed && unit !== "points" && v !== null && v > 0 && !s.startsWith("+") ? `+${s}` : s;
  };
  return r.n > 1 ? `${f(r.median)} [${f(r.p10)}, ${f(r.p90)}]` : f(r.median);
}

function finalYearGrid(report: EnsembleReport, names: string[], reformNames: string[]): { header: string[]; rows: TableRow[] } {
  const finals = new Map<string, string>();
  for (const r of report.summary) if (r.granularity === "year" && (!finals.has(r.scenario) || r.period > finals.get(r.scenario)!)) finals.set(r.scenario, r.period);
  const find = (rows: SummaryRow[], scenario: string, id: string) => rows.find((r) => r.granularity === "year" && r.scenario === scenario && r.period === finals.get(scenario) && r.indicator === id);
  const header = ["Indicator", "指标", ...names.map((n) => `${n} (${finals.get(n)})`), ...reformNames.map((n) => `Δ ${n}`)];
  const ids = [...ORDERED.map((d) => d.id), ...new Set(report.summary.map((r) => r.indicator).filter((id) => !ORDERED.some((d) => d.id === id)))];
  const rows: TableRow[] = [];
  ids.forEach((id, i) => {
    const d = INDICATORS.find((x) => x.id === id);
    if (i === KEY_INDICATORS.length) rows.push("rule");
    const unit: Unit = d?.unit ?? "count";
    rows.push([d?.label.en ?? id, d?.label.zh ?? "", ...names.map((n) => bandText(unit, find(report.summary, n, id))), ...reformNames.map((n) => bandText(unit === "share" || unit === "growth" ? "points" : unit, find(report.differences, n, id), true))]);
  });
  return { header, rows };
}

/** How variance.csv's split is estimated (sim/experiments/stats.ts splitVariance). */
const VARIANCE_NOTE =
  "Law of total variance with plug-in (÷ n) estimates: total = seeds (mean within-draw variance) + parameters (variance of the draw means), exactly. With S seeds a draw the seed part is low by (S − 1)/S and the parameter part still holds each draw mean's seed noise (≈ seed variance / S), so with few seeds the parameter share is overstated.";

function varianceGrid(report: EnsembleReport): { header: string[]; rows: TableRow[] } {
  const header = ["Scenario", "Year", "Indicator", "parameter share 参数占比", "sd (all)", "sd (parameters)", "sd (seeds)"];
  const rows: TableRow[] = report.variance
    .filter((v) => KEY_INDICATORS.includes(v.indicator) || v.indicator === "withinCountyVisitRate")
    .map((v) => {
      const unit = INDICATORS.find((d) => d.id === v.indicator)?.unit ?? "count";
      const sd = (x: number) => formatValue(unit === "share" ? "share" : unit, Math.sqrt(x));
      return [v.scenario, v.period, v.indicator, v.parameterShare === null ? "-" : `${(v.parameterShare * 100).toFixed(0)}%`, sd(v.total), sd(v.parameters), sd(v.seeds)];
    });
  return { header, rows };
}

export function ensembleTable(report: EnsembleReport, names: string[], reformNames: string[]): string {
  const s = report.settings;
  const g = finalYearGrid(report, names, reformNames);
  let out =
    `Ensemble: ${s.seeds} seed${s.seeds === 1 ? "" : "s"}${s.parameterDraws ? ` × ${s.parameterDraws} parameter draws` : ""} per scenario, scale ${s.scale} — final year, median [10%, 90%]` +
    (reformNames.length ? `; Δ = scenario − ${s.baseline} paired by seed (shares and growth in percentage points)` : "") +
    heldText(report) +
    `\n${drawsText(report)}.` +
    `\n\n${textTable(g.header, g.rows, g.header.map((_, i) => (i < 2 ? "left" : "right")))}`;
  if (report.variance.length) {
    const v = varianceGrid(report);
    out += `\nVariance from parameters vs seeds (law of total variance, plug-in estimates: the parts add up to the total; with few seeds a draw the parameter part still holds seed noise):\n\n${textTable(v.header, v.rows, v.header.map((_, i) => (i < 3 ? "left" : "right")))}`;
  }
  return out;
}

/**
 * Whether the runs drew the uncertain parameters, said plainly: without --parameter-draws
 * an ensemble's band is seed noise only, unlike compare's and solve's default bands
 * (which draw the parameters when they run more than one seed).
 */
export function drawsText(report: EnsembleReport): string {
  const s = report.settings;
  if (!s.parameterDraws) return "parameters held at the parameter file's values (no --parameter-draws): the band is seed noise only";
  const paths = [...new Set(Object.values(report.uncertainParameters).flatMap((l) => l.map((u) => u.path)))];
  return `each run also draws the uncertain parameters (${s.parameterDraws} draws × ${s.seeds} seeds${paths.length ? `: ${paths.join(", ")}` : ""}): the band is parameter and seed uncertainty together`;
}

/** The leaves held in every run (`--set`), as a clause of the heading line. */
const heldText = (report: EnsembleReport) =>
  report.settings.overrides ? `; held in every run: ${Object.entries(report.settings.overrides).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}` : "";

function ensembleMarkdown(report: EnsembleReport, names: string[], reformNames: string[]): string {
  const g = finalYearGrid(report, names, reformNames);
  const s = report.settings;
  let md = `# Ensemble 集合模拟\n\n${s.seeds} seeds${s.parameterDraws ? ` × ${s.parameterDraws} parameter draws` : ""} per scenario, first seed ${s.firstSeed}, scale ${s.scale}. Cells: median [10th, 90th percentile] of the final simulated year${reformNames.length ? `; Δ columns: scenario − ${s.baseline}, paired by seed (common random numbers), shares and growth rates in percentage points` : ""}${heldText(report)}.\n\nUncertain parameters: ${drawsText(report)}.\n\n${markdownTable(g.header, g.rows, g.header.map((_, i) => (i < 2 ? "left" : "right")))}`;
  const params = Object.entries(report.uncertainParameters).filter(([, l]) => l.length);
  if (params.length) {
    md += `\n## Uncertain parameters 参数不确定性\n\n${params.flatMap(([f, l]) => l.map((u) => `- \`${u.path}\` ~ ${u.distribution} (${f}; ${u.unit}) — ${u.source}`)).join("\n")}\n`;
  }
  if (report.variance.length) {
    const v = varianceGrid(report);
    md += `\n## Variance from parameters vs seeds\n\n${VARIANCE_NOTE}\n\n${markdownTable(v.header, v.rows, v.header.map((_, i) => (i < 3 ? "left" : "right")))}`;
  } else if (!s.parameterDraws) {
    md += `\n## Variance from parameters vs seeds\n\nNot computed: the parameters were not drawn (no --parameter-draws), so all of the spread is seed noise; variance.csv is not written.\n`;
  }
  return md;
}

/** Scenarios loaded once per file (as the runs load them); every file's problems reported together. */
function cachedScenarios(files: readonly string[]) {
  const problems: string[] = [];
  const out = [];
  for (const f of files) {
    try {
      out.push(cachedScenario(f));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError([...new Set(problems)]);
  return out;
}

/** The ensemble's charts (sim/charts/experiments.ts ensembleCharts) and their provenance. */
function ensembleChartPlan(report: EnsembleReport, names: string[], reformNames: string[], files: readonly string[], baseline: string | undefined, langs: Lang[]): ChartPlan {
  const byName = new Map(cachedScenarios([...(baseline !== undefined ? [baseline] : []), ...files]).map((s) => [s.name, s]));
  const st = report.settings;
  const runs = st.seeds * Math.max(1, st.parameterDraws);
  const seeds = Array.from({ length: runs }, (_, i) => st.firstSeed + i);
  return {
    langs,
    build: (lang) =>
      ensembleCharts({
        lang,
        summary: report.summary,
        differences: report.differences,
        scenarios: names.map((n) => ({ name: n, label: byName.has(n) ? pick(byName.get(n)!.title, lang) : n })),
        reforms: reformNames,
        baseline: st.baseline,
        runsPerScenario: runs,
        scale: st.scale,
      }),
    provenance: { seed: seeds[0], seeds, scale: st.scale, years: Math.max(...Object.values(st.years)), scenarios: names.map((n) => ({ name: n, hash: byName.get(n)?.hash ?? "" })) },
  };
}

export async function ensembleCommand(argv: readonly string[]): Promise<number> {
  const { rest, values } = takeRepeated("ensemble", argv, ["set"]);
  const a = parseArgs("ensemble", rest, OPTIONS);
  if (a.help) {
    process.stdout.write(ENSEMBLE_HELP);
    return 0;
  }
  const o = a.options;
  const files = a.positionals;
  if (files.length === 0) throw new UsageError("missing scenario files: yigongti ensemble <scenario.yaml>…", "ensemble");
  const shard = o.shard as { index: number; count: number } | undefined;
  const storeDir = o.store as string | undefined;
  if (shard && storeDir === undefined) throw new UsageError("--shard needs --store DIR: a shard's runs are only useful once stored and merged", "ensemble");
  for (const [name, dir] of [["out", o.out], ["store", storeDir]] as const) {
    const p = dir !== undefined ? outputDirProblem(dir as string) : null;
    if (p) throw new UsageError(`--${name} ${JSON.stringify(dir)}: ${p}`, "ensemble");
  }
  // the output folder is replaced whole: it may not hold the store or an input file
  const outInputs = () => [
    ...scenarioInputs(cachedScenarios([...files, ...(o.baseline !== undefined ? [o.baseline as string] : [])])),
    ...(o.uncertainty !== undefined ? [o.uncertainty as string] : []),
    ...(storeDir !== undefined ? [storeDir] : []),
  ];
  const writesOut = o.out !== undefined && !(shard && shard.count > 1);
  const overrides = fixedOverrides("ensemble", values.set);
  const draws = (o["parameter-draws"] as number | undefined) ?? 0;
  if (o.uncertainty !== undefined && !draws) throw new UsageError("--uncertainty needs --parameter-draws D", "ensemble");
  const seeds = (o.seeds as number | undefined) ?? 20;
  const firstSeed = (o.seed as number | undefined) ?? 1;
  const scale = (o.scale as number | undefined) ?? 1;
  const baseline = o.baseline as string | undefined;
  const format = (o.format as Format | undefined) ?? "table";
  const progress = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));

  if (writesOut) {
    const p = outputFolderProblem(o.out as string, OUTPUT_KINDS.ensemble, outInputs());
    if (p) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${p}`, "ensemble");
  }
  progress.start(shard ? `ensemble shard ${shard.index}/${shard.count}` : "ensemble", 1, 1, "runs");
  const out = await runEnsemble(
    {
      scenarios: files,
      baseline,
      seeds,
      firstSeed,
      parameterDraws: draws,
      uncertaintyFile: o.uncertainty as string | undefined,
      drawSeed: o["draw-seed"] as number | undefined,
      years: o.years as number | undefined,
      scale,
      ...(values.set.length ? { overrides } : {}),
    },
    { workers: o.workers as number | undefined, store: storeDir, shard, onProgress: progress.update },
  );
  progress.finish();
  const tally = `${out.ran} run${out.ran === 1 ? "" : "s"} simulated${out.skipped ? `, ${out.skipped} found in the store` : ""}`;
  if (shard && !out.report) {
    process.stderr.write(`shard ${shard.index}/${shard.count}: ${out.shardJobs} of ${out.jobs} jobs — ${tally}; stored in ${storeDir}\n`);
    process.stdout.write(`shard ${shard.index}/${shard.count} done: ${out.shardJobs} jobs in ${storeDir}. Merge the shards' stores (yigongti store merge) and run this command without --shard on the merged store to summarise.\n`);
    return 0;
  }
  if (storeDir !== undefined) process.stderr.write(`${tally}; store ${storeDir}\n`);
  const report = out.report!;
  const { names, reformNames } = out;
  const files_ = {
    "ensemble.json": jsonText(report),
    "ensemble.md": ensembleMarkdown(report, names, reformNames),
    "summary.csv": rowsCsv(SUMMARY_COLS, report.summary),
    "differences.csv": rowsCsv(SUMMARY_COLS, report.differences),
    // without parameter draws there is no split to write: no header-only file
    ...(report.variance.length ? { "variance.csv": rowsCsv(VARIANCE_COLS, report.variance) } : {}),
  };
  if (o.out !== undefined) {
    const langs = chartLangs(o);
    const charts = langs ? await experimentChartFiles(ensembleChartPlan(report, names, reformNames, files, baseline, langs), o.out as string, progress) : null;
    writeOutputFolder(o.out as string, OUTPUT_KINDS.ensemble, { ...files_, ...charts?.files }, outInputs());
    const written = Object.keys(files_).join(",");
    process.stderr.write(`wrote ${join(o.out as string, `{${written}}`)}${charts ? ` and ${charts.written}` : "\n"}`);
    if (!("variance.csv" in files_))
      process.stderr.write(report.settings.parameterDraws ? "variance.csv not written: no indicator had a value in every run of ≥ 2 draws × ≥ 2 seeds\n" : "variance.csv not written: the parameters were not drawn (add --parameter-draws D to split the variance into parameters and seeds)\n");
  }
  process.stdout.write(format === "json" ? files_["ensemble.json"] : format === "csv" ? files_["summary.csv"] : ensembleTable(report, names, reformNames));
  return 0;
}
