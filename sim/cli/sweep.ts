/**
 * `yigongti sweep`: run a scenario over a grid or a Latin hypercube of parameter values
 * (each point on the same seeds) and write, computed in full first, the folder written whole:
 *   DIR/sweep.csv   one row per point × year × indicator: the parameter values, mean, sd,
 *                   min and max over the seeds
 *   DIR/runs.csv    one row per point × seed × year × indicator: the value (for charts
 *                   that show the seed spread)
 *   DIR/sweep.json  the design, settings and the rows of sweep.csv
 *   DIR/sweep.md    the headline indicators in the analysed year, one row per point
 */
import { join } from "node:path";
import { INDICATORS } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, outputFolderProblem, safeDirName, writeOutputFolder } from "../output";
import { scenarioInputs } from "./results";
import { cachedScenario } from "../experiments/execute";
import { gridSize } from "../experiments/design";
import type { JobResult } from "../experiments/jobs";
import { resolvePeriod } from "../experiments/points";
import { runSweep, type SweepRow, type SweepSpec } from "../experiments/sweep";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseChoice, parseDir, parseSeed, parseYears, type OptionDef } from "./args";
import { KEY_INDICATORS } from "../study/comparison";
import { FIRST_SEED, SEEDS, SET, SHARD, STORE, WORKERS, YEAR, fixedOverrides, parameterRanges, parsePositiveInt, seedList, takeRepeated } from "./experiment-args";
import { formatValue } from "../study/format";
import { markdownTable } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { CHARTS, LANG, chartLangs, experimentChartFiles, type ChartPlan } from "./experiment-charts";
import { HEADLINE_INDICATORS, responseChart } from "../charts/experiments";
import type { Lang } from "../charts/labels";
import { leverName, leverUnit, leverValue } from "../scenario/lever-labels";

const DESIGNS = ["grid", "lhs"] as const;
const MAX_POINTS = 100_000;

const OPTIONS: OptionDef[] = [
  { name: "param", value: "PATH=LO:HI[:STEPS]", help: "a numeric leaf and its range (repeat for each): a parameter, e.g.\nchoice.quality=3.5:5.5:5, or a policy lever, e.g.\npolicy.insurance.resident.inpatient.rate.township=0.8:0.95:4; STEPS (≥ 2)\nis for grids" },
  SET,
  { name: "design", value: "grid|lhs", parse: parseChoice(DESIGNS), help: "grid: every combination of each parameter's STEPS values (default)\nlhs: a Latin hypercube of --samples points" },
  { name: "samples", value: "N", parse: parsePositiveInt(MAX_POINTS, "points"), help: "points of a Latin hypercube (lhs only)" },
  { name: "design-seed", value: "N", parse: parseSeed, help: "seed of the Latin hypercube's random stream (default 1)" },
  FIRST_SEED,
  SEEDS,
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: the scenario's)` },
  SCALE,
  YEAR,
  WORKERS,
  STORE,
  SHARD,
  { name: "out", value: "DIR", parse: parseDir, help: "directory for the result files (default: out/sweep-<scenario name>); written\nwhole, replacing an earlier sweep's folder" },
  LANG,
  CHARTS,
  PROGRESS,
];

export const SWEEP_HELP = commandHelp(
  "yigongti sweep <scenario.yaml> --param PATH=LO:HI[:STEPS] … [options]",
  `Run the scenario at every point of a grid or a Latin hypercube over named parameters
or policy levers (paths starting policy.; a bare path is a parameter), each point on
the same seeds (common random numbers). A policy lever swept here holds its value for
the whole run, also over later timeline changes of that lever. Writes:
  DIR/sweep.csv   point,<parameters…>,period,indicator,mean,sd,min,max,seeds
  DIR/runs.csv    point,<parameters…>,seed,period,indicator,value
  DIR/sweep.json  design, ranges, settings and the rows of sweep.csv
  DIR/sweep.md    headline indicators in the analysed --year, one row per point
  DIR/charts/     each headline indicator in the --year against the first swept
                  parameter (a line per combination of the others), min–max over
                  the seeds shaded, target dashed: sweep-<indicator>.{png,svg,csv,json}
The markdown table is also printed. With --store, finished runs are kept and reused;
with --shard i/N only that share of the runs is done (into the store) and nothing else
is written — run once more without --shard, on the merged store, for the files.`,
  OPTIONS,
  `Examples:
  yigongti sweep scenarios/baseline-2018.yaml --param choice.quality=3.5:5.5:5 --scale 0.05 --years 1
  yigongti sweep scenarios/baseline-2018.yaml --param policy.insurance.resident.inpatient.rate.township=0.80:0.95:4 \\
      --scale 0.02 --years 1
  yigongti sweep scenarios/baseline-2018.yaml --design lhs --samples 40 \\
      --param choice.habit=0:1.5 --param choice.crowding=-4:-0.5 --seeds 2 --store out/store

${EXIT_CODES}`,
);

export async function sweepCommand(argv: readonly string[]): Promise<number> {
  const { rest, values } = takeRepeated("sweep", argv, ["param", "set"]);
  const a = parseArgs("sweep", rest, OPTIONS);
  if (a.help) {
    process.stdout.write(SWEEP_HELP);
    return 0;
  }
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? `takes one scenario file, got ${a.positionals.length}` : "missing the scenario file: yigongti sweep <scenario.yaml> --param …", "sweep");
  const o = a.options;
  const design = (o.design as SweepSpec["design"] | undefined) ?? "grid";
  const ranges = parameterRanges("sweep", values.param);
  const overrides = fixedOverrides("sweep", values.set, ranges);
  if (design === "grid") {
    const missing = ranges.filter((r) => r.steps === undefined).map((r) => r.path);
    if (missing.length) throw new UsageError(`a grid needs STEPS for every parameter (e.g. --param ${missing[0]}=LO:HI:5); missing for ${missing.join(", ")}`, "sweep");
    if (o.samples !== undefined) throw new UsageError("--samples is for --design lhs; a grid's size is the product of the STEPS", "sweep");
    if (o["design-seed"] !== undefined) throw new UsageError("--design-seed is for --design lhs; a grid has no random part", "sweep");
    if (gridSize(ranges) > MAX_POINTS) throw new UsageError(`the grid has ${gridSize(ranges)} points; at most ${MAX_POINTS}`, "sweep");
  } else {
    if (o.samples === undefined) throw new UsageError("--design lhs needs --samples N", "sweep");
    const withSteps = ranges.filter((r) => r.steps !== undefined).map((r) => r.path);
    if (withSteps.length) throw new UsageError(`STEPS are for grids; a Latin hypercube samples ranges (remove :STEPS from ${withSteps.join(", ")})`, "sweep");
  }
  if (o.shard !== undefined && o.store === undefined) throw new UsageError("--shard needs --store DIR (the shard's runs go there)", "sweep");
  const file = a.positionals[0];
  const scenario = cachedScenario(file);
  const dir = (o.out as string | undefined) ?? join("out", `sweep-${safeDirName(scenario.name)}`);
  const shard = o.shard as { index: number; count: number } | undefined;
  const inputs = [...scenarioInputs([scenario]), ...(o.store !== undefined ? [o.store as string] : [])];
  // a shard of several writes no summary, so its folder is not checked
  const dirProblem = shard && shard.count > 1 ? null : outputFolderProblem(dir, OUTPUT_KINDS.sweep, inputs);
  if (dirProblem) throw new UsageError(`output directory ${dir}: ${dirProblem}`, "sweep");
  const years = o.years as number | undefined;
  let period: string;
  try {
    period = resolvePeriod(file, years, o.year as string | undefined);
  } catch (e) {
    throw new UsageError(`--year: ${(e as Error).message}`, "sweep");
  }
  const seeds = seedList(o);
  const spec: SweepSpec = { scenarioFile: file, seeds, years, scale: o.scale as number | undefined, ...(values.set.length ? { overrides } : {}), ranges, design, samples: o.samples as number | undefined, designSeed: (o["design-seed"] as number | undefined) ?? 1 };
  const progress = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));
  const shardLabel = o.shard ? ` shard ${(o.shard as { index: number }).index}/${(o.shard as { count: number }).count}` : "";
  progress.start(`sweep ${scenario.name}${shardLabel}`, 1, 1, "runs");
  const out = await runSweep(spec, { workers: o.workers as number | undefined, store: o.store as string | undefined, shard: o.shard as { index: number; count: number } | undefined, onProgress: progress.update });
  progress.finish();
  if (!out.results || !out.rows) {
    const total = out.points.length * seeds.length;
    process.stdout.write(`shard ${(o.shard as { index: number }).index}/${(o.shard as { count: number }).count}: ${out.jobs} of ${total} runs (${out.ran} run now, ${out.skipped} already in ${o.store as string}); no summary written for a shard\n`);
    return 0;
  }
  const files = sweepFiles(spec, out.points, out.results, out.rows, period, { ran: out.ran, skipped: out.skipped });
  const langs = chartLangs(o);
  const charts = langs ? await experimentChartFiles(sweepChartPlan(spec, out.rows, period, langs), dir, progress) : null;
  writeOutputFolder(dir, OUTPUT_KINDS.sweep, { ...files, ...charts?.files }, inputs);
  process.stdout.write(shortened(files["sweep.md"], 40) + `\nwrote ${Object.keys(files).map((f) => join(dir, f)).join(", ")}${charts ? ` and ${charts.written}` : "\n"}`);
  return 0;
}

/** The sweep's response curves (sim/charts/experiments.ts responseChart), one per headline indicator it has. */
function sweepChartPlan(spec: SweepSpec, rows: readonly SweepRow[], period: string, langs: Lang[]): ChartPlan {
  const s = cachedScenario(spec.scenarioFile);
  const ids = HEADLINE_INDICATORS.filter((id) => rows.some((r) => r.indicator === id && r.period === period && r.mean !== null));
  return {
    langs,
    build: (lang) =>
      ids.map((id) =>
        responseChart({ lang, indicator: id, scenario: s.name, rows, period, seeds: spec.seeds.length, scatter: spec.design === "lhs", scale: spec.scale ?? 1, parameters: spec.ranges.map((r) => ({ path: r.path, label: leverName(r.path, lang, "parameters"), text: (v: number) => leverValue(r.path, +v.toPrecision(4), lang, "parameters"), share: leverUnit(r.path, "parameters") === "share" })) }),
      ),
    provenance: { seed: spec.seeds[0], seeds: spec.seeds, scale: spec.scale ?? 1, years: spec.years ?? s.years, scenarios: [{ name: s.name, hash: s.hash }] },
  };
}

/** The markdown with at most `rows` table rows (a long sweep's table stays in sweep.md). */
function shortened(md: string, rows: number): string {
  const lines = md.trimEnd().split("\n");
  const firstRow = lines.findIndex((l) => l.startsWith("|---") || l.startsWith("|:--")) + 1;
  if (firstRow <= 0 || lines.length - firstRow <= rows) return md;
  return [...lines.slice(0, firstRow + rows), `… ${lines.length - firstRow - rows} more points in sweep.md`].join("\n") + "\n";
}

/** Every output file's content. */
export function sweepFiles(spec: SweepSpec, points: number[][], results: readonly JobResult[], rows: SweepRow[], period: string, counts: { ran: number; skipped: number }): Record<string, string> {
  const s = cachedScenario(spec.scenarioFile);
  const paths = spec.ranges.map((r) => r.path);
  const sweepCsv = csvText(["point", ...paths, "period", "indicator", "mean", "sd", "min", "max", "seeds"], rows.map((r) => [r.point, ...r.values, r.period, r.indicator, r.mean, r.sd, r.min, r.max, r.seeds]));
  const runRows: unknown[][] = [];
  results.forEach((r, i) => {
    const p = Math.floor(i / spec.seeds.length);
    for (const y of r.yearly) for (const d of INDICATORS) if (d.id in y.values) runRows.push([p, ...points[p], r.job.seed, y.period, d.id, y.values[d.id].value]);
  });
  const runsCsv = csvText(["point", ...paths, "seed", "period", "indicator", "value"], runRows);
  const json = {
    command: "sweep",
    scenario: { name: s.name, file: s.file, hash: s.hash },
    design: spec.design,
    ...(spec.design === "lhs" ? { samples: spec.samples, designSeed: spec.designSeed } : {}),
    ranges: spec.ranges,
    ...(spec.overrides ? { set: spec.overrides } : {}),
    seeds: spec.seeds,
    years: spec.years ?? s.years,
    scale: spec.scale ?? 1,
    period,
    runs: { total: results.length, ranNow: counts.ran, fromStore: counts.skipped },
    indicators: INDICATORS.filter((d) => rows.some((r) => r.indicator === d.id)).map((d) => ({ id: d.id, label: d.label, unit: d.unit, target: d.target ?? null })),
    points: points.map((x, p) => ({ point: p, values: Object.fromEntries(paths.map((path, i) => [path, x[i]])) })),
    rows,
  };
  const heads = KEY_INDICATORS.map((id) => INDICATORS.find((d) => d.id === id)!).filter(Boolean);
  const headline = [...heads, ...INDICATORS.filter((d) => ["withinCountyAdmissionRate", "primaryAdmissionShare"].includes(d.id))];
  const inYear = new Map(rows.filter((r) => r.period === period).map((r) => [`${r.point}|${r.indicator}`, r]));
  const at = (p: number, id: string) => inYear.get(`${p}|${id}`);
  const md =
    `# Sweep: ${s.title.en} / ${s.title.zh}\n\n` +
    `${spec.design === "grid" ? `Grid of ${points.length} points` : `Latin hypercube of ${points.length} points (design seed ${spec.designSeed})`}, ` +
    `${spec.seeds.length} seed${spec.seeds.length === 1 ? "" : "s"} each (${spec.seeds.join(", ")}), scale ${spec.scale ?? 1}, ${spec.years ?? s.years} year(s); values in ${period}, mean over seeds` +
    `${spec.seeds.length > 1 ? " (± sd)" : ""}` +
    `${spec.overrides ? `; held at every point: ${Object.entries(spec.overrides).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}` : ""}.\n\n` +
    markdownTable(
      ["point", ...paths, ...headline.map((d) => `${d.label.en} ${d.label.zh}`)],
      points.map((x, p) => [
        String(p),
        ...x.map((v) => String(Number(v.toPrecision(4)))),
        ...headline.map((d) => {
          const r = at(p, d.id);
          const v = formatValue(d.unit, r?.mean ?? null);
          return spec.seeds.length > 1 && r?.sd != null && d.unit === "share" ? `${v} ± ${(r.sd * 100).toFixed(1)}` : v;
        }),
      ]),
      ["right", ...paths.map(() => "right" as const), ...headline.map(() => "right" as const)],
    );
  return { "sweep.csv": sweepCsv, "runs.csv": runsCsv, "sweep.json": jsonText(json), "sweep.md": md };
}
