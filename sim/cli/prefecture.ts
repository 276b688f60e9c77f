/**
 * `yigongti prefecture`: a prefecture scenario (scenarios/prefecture/*.yaml) in one run —
 * every county a job per seed on the worker threads (largest counties first, so the
 * workers finish together), optionally kept in a results store and sharded across
 * machines; then per-county and prefecture results against the 2020 targets, the fund
 * per county and pooled, and the cross-county flow table.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Lang } from "../charts/labels";
import { prefectureCharts, prefectureTargetYear as prefectureTargetYearOf } from "../charts/prefecture";
import { TARGET_YEAR } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, outputDirProblem, outputFolderProblem, writeOutputFolder } from "../output";
import { shardJobs, type Job, type JobResult } from "../experiments/jobs";
import { runJobs } from "../experiments/runner";
import { ResultsStore, runWithStore } from "../experiments/store";
import { countyPopulation } from "../prefecture/description";
import { headlineDefs, prefectureResults, type AreaResult, type PrefectureResults, type SiphonCell } from "../prefecture/results";
import { countyRef, countyScenario, loadPrefectureScenario } from "../prefecture/scenario";
import { LEVEL } from "../brief/siphon";
import { bandText, formatPoints, formatTarget } from "../study/format";
import { prevailingSiphonLevel } from "../study/summary";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseChoice, parseDir, parseSeed, parseYears, type OptionDef } from "./args";
import { SHARD, STORE, WORKERS } from "./ensemble";
import { CHARTS, LANG, chartLangs, experimentChartFiles, type ChartPlan } from "./experiment-charts";
import { markdownTable, textTable, type TableRow } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";

const FORMATS = ["table", "json", "csv"] as const;

const OPTIONS: OptionDef[] = [
  { name: "seeds", value: "N", parse: (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= 10_000)) throw new Error("must be a whole number of seeds from 1 to 10000");
    return n;
  }, help: "seeds per county (default 2); every county runs every seed" },
  { name: "seed", value: "S", parse: parseSeed, help: "first seed (default 1): seeds S, S+1, …" },
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: the reform scenario's years)` },
  SCALE,
  WORKERS,
  STORE,
  SHARD,
  { name: "out", value: "DIR", parse: parseDir, help: "save DIR/prefecture.json, prefecture.md, indicators.csv (county and\nprefecture bands by year), flows.csv (county of residence × place of care),\nsiphon.csv (each county and the prefecture against their twins), fund.csv and\ncharts/ (each county against the 2020 visit targets, the prefecture by year,\ncross-county flows, the siphon verdict against the twins); written whole,\nreplacing an earlier prefecture folder" },
  { name: "baseline", negatable: true, help: "--no-baseline runs no baseline twins and gives no siphon verdict (default: each county also\nruns as its baseline twin — the same county and seed never joining the reform,\nforked from the rollout run at its first policy change — and each county and the\nprefecture are judged against their twins for the siphon (虹吸) risk)" },
  LANG,
  CHARTS,
  { name: "format", value: "table|json|csv", parse: parseChoice(FORMATS), help: "what to print on stdout (default table): the prefecture and each county in\nthe final year; json: prefecture.json; csv: indicators.csv" },
  PROGRESS,
];

export const PREFECTURE_HELP = commandHelp(
  "yigongti prefecture <prefecture-scenario.yaml> [options]",
  `Run a prefecture scenario: each county of its prefecture file runs the baseline until it
joins the rollout and the reform from then on, with the fund pooled per county or at city
level (市级统筹) as the scenario says. Counties are independent jobs on worker threads
(one county per worker at a time) and shard across machines with --store and --shard.
Reports each county and the prefecture (the sum of the counties' counters) by year: the
headline indicators' median and 10–90% band across seeds and the share of seeds meeting
each 2020 target; the siphon (虹吸) risk against each county's baseline twin; the fund
(counties in deficit, the pooled balance); and where each county's residents were treated
(own county, another county, the city, the province).`,
  OPTIONS,
  `Examples:
  yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 2 --scale 0.1 --out out/prefecture
  yigongti prefecture scenarios/prefecture/qujing-rollout-city-pool.yaml --seeds 1 --scale 1
  yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 4 --store results/p1 --shard 1/2   # one machine
  yigongti store merge results/all results/p1 results/p2                                             # then summarise:
  yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 4 --store results/all --out out/prefecture

${EXIT_CODES}`,
);

const INDICATOR_COLS = ["scope", "area", "period", "indicator", "n", "median", "p10", "p90", "pMeetTarget"];

function indicatorRows(r: PrefectureResults): unknown[][] {
  const rows: unknown[][] = [];
  const add = (scope: string, a: AreaResult) => {
    for (const [id, byPeriod] of Object.entries(a.indicators))
      for (const [period, c] of Object.entries(byPeriod)) rows.push([scope, a.id, period, id, c.band.n, c.band.median, c.band.lo, c.band.hi, c.pMeet]);
  };
  add("prefecture", r.prefecture);
  for (const c of r.counties) add("county", c);
  for (const [period, b] of Object.entries(r.withinPrefecture)) rows.push(["prefecture", r.prefecture.id, period, "withinPrefectureRate", b.n, b.median, b.lo, b.hi, null]);
  return rows;
}

const SIPHON_COLS = ["scope", "area", "period", "pHigh", "pModerate", "pLow", "patientSiphonMedian", "patientSiphonP10", "patientSiphonP90", "countyVolumeChangeMedian", "primaryVolumeChangeMedian", "primaryStaffChangeMedian", "staffSiphonMedian", "staffSiphonChangeMedian"];

function siphonRows(r: PrefectureResults): unknown[][] {
  if (!r.siphon) return [];
  const rows: unknown[][] = [];
  const add = (scope: string, area: string, byPeriod: Record<string, SiphonCell>) => {
    for (const [period, c] of Object.entries(byPeriod))
      rows.push([scope, area, period, c.levels.high, c.levels.moderate, c.levels.low, c.patientSiphon.median, c.patientSiphon.lo, c.patientSiphon.hi, c.countyVolumeChange.median, c.primaryVolumeChange.median, c.primaryStaffChange.median, c.staffSiphon.median, c.staffSiphonChange.median]);
  };
  add("prefecture", r.prefecture.id, r.siphon.prefecture);
  for (const c of r.counties) add("county", c.id, r.siphon.counties[c.id]);
  return rows;
}

/** The risk level most seeds reach, with its share when not all: "moderate 中 (75%)", "high 高 ⚠". */
function siphonLevelText(c: SiphonCell): string {
  const top = prevailingSiphonLevel(c.levels);
  return `${LEVEL[top].en} ${LEVEL[top].zh}${top === "high" ? " ⚠" : ""}${c.levels[top] < 1 ? ` (${Math.round(c.levels[top] * 100)}%)` : ""}`;
}

/** A relative change as a signed percentage with its band: "+3.1% (+2.0% to +4.2%)". */
function changeText(b: SiphonCell["countyVolumeChange"]): string {
  const f = (v: number | null) => formatPoints(v, { suffix: "%" });
  if (b.median === null) return "-";
  return b.n < 2 ? f(b.median) : `${f(b.median)} (${f(b.lo)} to ${f(b.hi)})`;
}

function siphonSection(r: PrefectureResults, target: string): string[] {
  if (!r.siphon) return [`## Siphon risk 虹吸风险`, "", `Not judged: this run has no baseline twins (--no-baseline). Run without --no-baseline for the siphon verdict of each county and the prefecture.`, ""];
  const s = r.siphon;
  const lines = [`## Siphon risk 虹吸风险, ${target}`, ""];
  lines.push(
    `Is the reform drawing patients and doctors from primary care to the county hospitals? Each county is judged against ${s.against}, and the prefecture on its counties' summed counts against their twins'. ` +
      `Rule (sim/siphon.ts; siphonCheck.minimumChange = ${Number((s.minimumChange * 100).toFixed(2))}%): ${s.rule}. The level shown is the one most seeds reach, with its share of seeds when not all; changes are medians with the 10–90% band across seeds. ` +
      `Before a county joins, its run and its twin are identical, so a county that has not joined by ${target} shows no change.`,
    "",
  );
  const points = (b: SiphonCell["patientSiphon"]) => (b.median === null ? "-" : formatPoints(b.median) + (b.n > 1 ? ` (${formatPoints(b.lo, { suffix: "" })} to ${formatPoints(b.hi, { suffix: "" })})` : ""));
  const row = (name: string, joins: string, c: SiphonCell) => [name, joins, siphonLevelText(c), points(c.patientSiphon), changeText(c.countyVolumeChange), changeText(c.primaryVolumeChange), changeText(c.primaryStaffChange), bandText("count", c.staffSiphonChange)];
  lines.push(
    markdownTable(
      ["Area 地区", "Joins", "Siphon risk 虹吸风险", "Patient siphon 患者虹吸", "County-hospital encounters 县级医院诊疗量", "Primary encounters 基层诊疗量", "Primary doctors 基层医生", "Net doctors to county, vs twin 医生上流（较基线）"],
      [row(`${r.prefecture.name.zh} ${r.prefecture.name.en}`, "", s.prefecture[target]), ...r.counties.map((c) => row(`${c.name.zh} ${c.name.en}`, c.joins ?? "never", s.counties[c.id][target]))],
      ["left", "left", "left", "right", "right", "right", "right", "right"],
    ),
    "",
  );
  lines.push(`The prefecture by year: ${r.periods.map((p) => `${p} ${siphonLevelText(s.prefecture[p])}`).join(" · ")}. Every county and year is in siphon.csv.`, "");
  return lines;
}

const pct = (v: number | null) => (v === null ? "-" : `${Math.round(v * 100)}%`);
/** Short names of the targets, for the columns of P(target met). */
const TARGET_SHORT: Record<string, string> = {
  primaryVisitShare: "primary ≥ 65%",
  withinCountyVisitRate: "within-county ≥ 90%",
  downwardReferralGrowth: "down-referrals +10%",
  insurerFundBalance: "fund ≥ 0",
  capitationBalance: "package ≥ 0",
  staffSiphon: "no staff siphon",
};
const share = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The flow table of one year: shares of each county's encounters by place (own, other counties, city, outside). */
function flowGrid(r: PrefectureResults, period: string): { header: string[]; rows: TableRow[] } {
  const ids = r.counties.map((c) => c.id);
  const places = [...new Set(r.flows.filter((f) => f.kind === "city" || f.kind === "outside").map((f) => f.place))];
  const header = ["County of residence", "own county", "other counties", ...places, ...ids.map((id) => `→ ${id}`)];
  const rows: TableRow[] = r.counties.map((c) => {
    const f = r.flows.filter((x) => x.period === period && x.residence === c.id);
    const at = (place: string) => f.find((x) => x.place === place)?.share ?? 0;
    const others = f.filter((x) => x.kind === "county").reduce((s, x) => s + x.share, 0);
    return [`${c.name.zh} ${c.id}`, share(at("own")), share(others), ...places.map((p) => share(at(p))), ...ids.map((id) => (id === c.id ? "·" : f.some((x) => x.place === id) ? share(at(id)) : ""))];
  });
  return { header, rows };
}

/** The md's list of charts (charts/ or charts/<lang>/ for two languages), or nothing with --no-charts. */
function chartLinks(r: PrefectureResults, langs: readonly string[] | null): string[] {
  if (!langs) return [];
  const dir = langs.length > 1 ? `charts/${langs.includes("en") ? "en" : langs[0]}/` : "charts/";
  const other = langs.length > 1 ? ` (${langs.map((l) => `\`charts/${l}/\``).join(", ")})` : "";
  const link = (text: string, name: string) => `[${text}](${dir}${name}.png)`;
  return [
    `## Charts`,
    "",
    `Each chart is saved as PNG, SVG, the CSV of the numbers drawn and a JSON sidecar${other}: ` +
      [
        link(`each county against the ${prefectureTargetYearOf(r)} visit targets`, "prefecture-targets"),
        link("primary-care share by year", "prefecture-trajectory-primaryVisitShare"),
        link("within-county rate by year", "prefecture-trajectory-withinCountyVisitRate"),
        link(`where each county's residents were treated, ${r.periods[r.periods.length - 1]}`, "prefecture-flows"),
        ...(r.siphon ? [link(`siphon risk of each county against its baseline twin, ${prefectureTargetYearOf(r)}`, "prefecture-siphon")] : []),
      ].join(", ") +
      ".",
    "",
  ];
}

function prefectureMarkdown(r: PrefectureResults, ps: ReturnType<typeof loadPrefectureScenario>, langs: readonly string[] | null = null): string {
  const final = r.periods[r.periods.length - 1];
  const target = r.periods.includes(String(TARGET_YEAR)) ? String(TARGET_YEAR) : final;
  const defs = headlineDefs();
  const lines: string[] = [];
  lines.push(`# ${r.scenario.title.zh} / ${r.scenario.title.en}`, "");
  lines.push(
    `${r.counties.length} counties, ${r.prefecture.residents.toLocaleString("en-US")} residents simulated (scale ${r.scale}), ${r.years} years from ${r.periods[0]}, ${r.seeds.length} seed${r.seeds.length === 1 ? "" : "s"} (${r.seeds.join(", ")}). ` +
      `Figures are medians across seeds with the 10–90% band in brackets when there are several; P = the share of seeds meeting the ${target} target. ` +
      `Prefecture figures are computed from the sum of the counties' counts (ratios of summed counts, not averages of county ratios).`,
    "",
  );
  if (ps.description) lines.push(ps.description, "");
  lines.push(`Source: \`${r.scenario.file}\` (prefecture \`${r.scenario.prefecture}\`; baseline \`${ps.baselineFile.replace(/^.*\/scenarios\//, "scenarios/")}\`, reform \`${ps.reformFile.replace(/^.*\/scenarios\//, "scenarios/")}\`). Rollout: ${ps.rolloutSource}. Pooling: ${r.pooling.map((p) => `${p.period} ${p.level}`).join(", ")} (${ps.pooling.source}).`, "");

  lines.push(...chartLinks(r, langs));
  lines.push(`## The prefecture against the targets`, "");
  lines.push(
    markdownTable(
      ["Indicator", "指标", "Target", ...r.periods, `P(${target} met)`],
      [
        ...defs.map((d) => [d.label.en, d.label.zh, formatTarget(d), ...r.periods.map((p) => bandText(d.unit, r.prefecture.indicators[d.id][p].band)), pct(r.prefecture.indicators[d.id][target]?.pMeet ?? null)]),
        ["Within-prefecture rate (own county, other counties, city)", "市域内就诊率", "", ...r.periods.map((p) => bandText("share", r.withinPrefecture[p])), "-"],
      ],
      ["left", "left", "left", ...r.periods.map(() => "right" as const), "right"],
    ),
    "",
  );

  lines.push(...siphonSection(r, target));

  lines.push(`## The insurance fund`, "");
  lines.push(
    `Under county pooling each county's fund must not go negative (基金不穿底, 003 §三), so the question is how many counties end a year in deficit; under city pooling (市级统筹) the prefecture's pooled balance is what must stay ≥ 0. Both are shown every year; the level in force is in the second column.`,
    "",
  );
  lines.push(
    markdownTable(
      ["Year", "Pooling", "Counties in deficit (of " + r.counties.length + ")", "P(no county in deficit)", "Pooled balance", "Verdict at the pooling level"],
      r.fund.map((f, i) => [
        f.period,
        r.pooling[i].level,
        bandText("count", f.countiesInDeficit),
        pct(f.pNoDeficit),
        bandText("yuan", f.pooledBalance),
        r.pooling[i].level === "county"
          ? f.pNoDeficit === 1 ? "✓ no county in deficit" : `✗ a county in deficit in ${pct(1 - f.pNoDeficit)} of seeds`
          : (f.pooledBalance.lo ?? f.pooledBalance.median ?? 0) >= 0 ? "✓ pooled fund ≥ 0" : "✗ pooled fund < 0 in some seeds",
      ]),
      ["left", "left", "right", "right", "right", "left"],
    ),
    "",
  );

  lines.push(`## Each county in ${target}`, "");
  const shown = defs.filter((d) => d.id !== "downwardReferrals");
  lines.push(
    markdownTable(
      ["County", "Joins", "Residents", ...shown.map((d) => `${d.label.en} ${d.label.zh} (${formatTarget(d) || "no target"})`), ...shown.filter((d) => d.target).map((d) => `P(${TARGET_SHORT[d.id] ?? d.id})`)],
      r.counties.map((c) => [
        `${c.name.zh} ${c.name.en}`,
        c.joins ?? "never",
        c.residents.toLocaleString("en-US"),
        ...shown.map((d) => bandText(d.unit, c.indicators[d.id][target].band)),
        ...shown.filter((d) => d.target).map((d) => pct(c.indicators[d.id][target].pMeet)),
      ]),
      ["left", "left", "right", ...shown.map(() => "right" as const), ...shown.filter((d) => d.target).map(() => "right" as const)],
    ),
    "",
  );

  lines.push(`## Where each county's residents were treated, ${final}`, "");
  lines.push(`Share of each county's visits and admissions by place of care (mean over seeds; every visit and admission counted once, where it was treated). "own county" is every tier inside the county; the city hospital and the other counties' lead hospitals are inside the prefecture; the province is outside. The full table by year is flows.csv.`, "");
  const g = flowGrid(r, final);
  lines.push(markdownTable(g.header, g.rows, g.header.map((_, i) => (i === 0 ? "left" : "right"))), "");

  lines.push(`## What this run assumes`, "");
  lines.push(
    `- Counties run independently: a neighbouring county's or the city's hospital is an out-of-county option of each county file (outOfCounty[], priced at the out-of-county tier's unit costs), so patients from elsewhere do not crowd a county's own hospitals in its run.`,
    `- A county joining the rollout takes up the reform's policy in force at its join date (every earlier reform change at once) and later changes at their dates; before that it runs the baseline.`,
    `- City pooling: care at the county's in-prefecture hospitals is reimbursed at the county tier's deductible and rate less the scenario's pooling.inPoolRateReduction (${Math.round(ps.pooling.inPoolRateReduction * 100)} points; assumption); the province stays at the out-of-county rate. Each county's fund is still booked separately; the pooled balance is their sum.`,
    `- The nine counties are synthetic (scripts/prefecture/make.ts): Qujing-like sizes, hospital strength and positions are assumptions.`,
    "",
  );
  return lines.join("\n");
}

function finalTable(r: PrefectureResults): string {
  const final = r.periods[r.periods.length - 1];
  const defs = headlineDefs();
  const siphon = r.siphon;
  const header = ["Area", "Joins", ...defs.map((d) => d.label.en), ...(siphon ? ["Siphon risk"] : [])];
  const row = (a: AreaResult, joins: string, cell: SiphonCell | undefined) => [
    `${a.name.zh} ${a.id}`,
    joins,
    ...defs.map((d) => `${bandText(d.unit, a.indicators[d.id][final].band)}${a.indicators[d.id][final].pMeet !== null ? ` P${pct(a.indicators[d.id][final].pMeet)}` : ""}`),
    ...(cell ? [siphonLevelText(cell)] : []),
  ];
  const rows: TableRow[] = [row(r.prefecture, "", siphon?.prefecture[final]), "rule", ...r.counties.map((c) => row(c, c.joins ?? "never", siphon?.counties[c.id][final]))];
  return `${r.scenario.title.en} / ${r.scenario.title.zh} — ${final}, ${r.seeds.length} seed(s), scale ${r.scale}, ${r.prefecture.residents.toLocaleString("en-US")} residents\n\n${textTable(header, rows, header.map((_, i) => (i < 2 ? "left" : "right")))}\n`;
}

/** The prefecture's charts (sim/charts/prefecture.ts) and their provenance. */
function prefectureChartPlan(r: PrefectureResults, ps: ReturnType<typeof loadPrefectureScenario>, results: readonly JobResult[], langs: Lang[]): ChartPlan {
  // the prefecture scenario has no content hash of its own: its county scenarios' hashes, hashed, identify it
  const countyHashes = [...new Set(results.map((x) => `${x.job.scenarioFile.slice(x.job.scenarioFile.lastIndexOf("#") + 1)}:${x.scenario.hash}`))].sort();
  const hash = createHash("sha256").update(countyHashes.join("\n")).digest("hex");
  const pilots = ps.prefecture.counties.filter((c) => c.pilot).map((c) => c.id);
  const hospitals = Object.fromEntries(ps.prefecture.hospitals.map((h) => [h.id, h.name]));
  return {
    langs,
    build: (lang) => prefectureCharts({ lang, results: r, pilots, hospitals }),
    provenance: { seed: r.seeds[0], seeds: r.seeds, scale: r.scale, years: r.years, scenarios: [{ name: r.scenario.name, hash }] },
  };
}

export async function prefectureCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("prefecture", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(PREFECTURE_HELP);
    return 0;
  }
  const o = a.options;
  if (a.positionals.length !== 1) throw new UsageError("give one prefecture scenario file: yigongti prefecture <prefecture-scenario.yaml>", "prefecture");
  const file = a.positionals[0];
  const shard = o.shard as { index: number; count: number } | undefined;
  const storeDir = o.store as string | undefined;
  if (shard && storeDir === undefined) throw new UsageError("--shard needs --store DIR: a shard's runs are only useful once stored and merged", "prefecture");
  for (const [name, dir] of [["out", o.out], ["store", storeDir]] as const) {
    const p = dir !== undefined ? outputDirProblem(dir as string) : null;
    if (p) throw new UsageError(`--${name} ${JSON.stringify(dir)}: ${p}`, "prefecture");
  }
  const ps = loadPrefectureScenario(file);
  const seeds = (o.seeds as number | undefined) ?? 2;
  const firstSeed = (o.seed as number | undefined) ?? 1;
  const scale = (o.scale as number | undefined) ?? 1;
  const years = o.years as number | undefined;
  const writesOut = o.out !== undefined && !(shard && shard.count > 1);
  const inputs = [file, ...(storeDir !== undefined ? [storeDir] : [])];
  if (writesOut) {
    const p = outputFolderProblem(o.out as string, OUTPUT_KINDS.prefecture, inputs);
    if (p) throw new UsageError(`--out ${JSON.stringify(o.out)}: ${p}`, "prefecture");
  }
  // largest counties first: with one county per worker at a time, the workers finish together
  const size = new Map(ps.prefecture.counties.map((c) => [c.id, countyPopulation(ps.prefecture.countyDescriptions[c.id])]));
  const order = [...ps.prefecture.counties].sort((x, y) => size.get(y.id)! - size.get(x.id)! || (x.id < y.id ? -1 : 1));
  // each county's rollout run, then its baseline twin: one fork group, so the worker that ran
  // the county forks the twin from the state at the county's first policy change
  const twins = (o.baseline as boolean | undefined) !== false;
  const jobs: Job[] = [];
  const groups: string[] = [];
  for (let s = 0; s < seeds; s++)
    for (const c of order)
      for (const twin of twins ? [false, true] : [false]) {
        jobs.push({ scenarioFile: countyRef(ps.file, c.id, twin), seed: firstSeed + s, scale, ...(years !== undefined ? { years } : {}) });
        groups.push(`${c.id} seed ${firstSeed + s}`);
      }
  const mine = shardJobs(jobs, shard);
  const mineGroups = shardJobs(groups, shard);
  const progress = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));
  progress.start(shard ? `prefecture shard ${shard.index}/${shard.count}` : "prefecture", 1, 1, "county runs");
  const workers = o.workers as number | undefined;
  let results: JobResult[];
  if (storeDir !== undefined) {
    const store = new ResultsStore(storeDir);
    const out = await runWithStore(mine, store, { workers, onProgress: progress.update, keepResults: !(shard && shard.count > 1), forkGroups: mineGroups });
    progress.finish();
    process.stderr.write(`${out.ran} county run${out.ran === 1 ? "" : "s"} simulated${out.skipped ? `, ${out.skipped} found in the store` : ""}; store ${storeDir}\n`);
    if (shard && shard.count > 1) {
      process.stdout.write(`shard ${shard.index}/${shard.count} done: ${mine.length} of ${jobs.length} county runs in ${storeDir}. Merge the shards' stores (yigongti store merge) and run this command without --shard on the merged store to summarise.\n`);
      return 0;
    }
    results = out.results;
  } else {
    results = await runJobs(mine, { workers, onProgress: progress.update, forkGroups: mineGroups });
    progress.finish();
  }
  // every county runs the reform's parameters (sim/prefecture/scenario.ts): one siphon threshold
  const r = prefectureResults(ps, results, countyScenario(ps, order[0].id).parameters.siphonCheck.minimumChange);
  const langs = o.out !== undefined ? chartLangs(o) : null;
  const files = {
    "prefecture.json": jsonText(r),
    "prefecture.md": prefectureMarkdown(r, ps, langs),
    "indicators.csv": csvText(INDICATOR_COLS, indicatorRows(r)),
    "flows.csv": csvText(["period", "residence", "place", "kind", "encounters", "share"], r.flows.map((f) => [f.period, f.residence, f.place, f.kind, f.encounters, f.share])),
    ...(r.siphon ? { "siphon.csv": csvText(SIPHON_COLS, siphonRows(r)) } : {}),
    "fund.csv": csvText(["period", "pooling", "countiesInDeficitMedian", "pNoCountyInDeficit", "pooledBalanceMedian", "pooledBalanceP10", "pooledBalanceP90"], r.fund.map((f, i) => [f.period, r.pooling[i].level, f.countiesInDeficit.median, f.pNoDeficit, f.pooledBalance.median, f.pooledBalance.lo, f.pooledBalance.hi])),
  };
  if (o.out !== undefined) {
    const charts = langs ? await experimentChartFiles(prefectureChartPlan(r, ps, results, langs), o.out as string) : null;
    writeOutputFolder(o.out as string, OUTPUT_KINDS.prefecture, { ...files, ...charts?.files }, inputs);
    process.stderr.write(`wrote ${join(o.out as string, `{${Object.keys(files).join(",")}}`)}${charts ? ` and ${charts.written}` : "\n"}`);
  }
  const format = (o.format as (typeof FORMATS)[number] | undefined) ?? "table";
  process.stdout.write(format === "json" ? files["prefecture.json"] : format === "csv" ? files["indicators.csv"] : finalTable(r));
  return 0;
}
