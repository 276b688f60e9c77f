/**
 * `yigongti sensitivity`: which parameters move an indicator in a given year.
 *   --method tornado  one at a time from the scenario's values to each end of its range
 *   --method sobol    first-order and total Sobol indices over the ranges (Saltelli
 *                     sampling; bootstrap confidence intervals)
 * Every indicator is analysed from the same runs; --indicator picks the one printed and
 * put first. Files (computed in full first, the folder written whole):
 *   DIR/tornado.csv | DIR/sobol.csv   one row per indicator × parameter
 *   DIR/points.csv                    every design point's seed-mean of every indicator
 *   DIR/sensitivity.json, DIR/sensitivity.md
 */
import { join } from "node:path";
import { INDICATORS, OPTIONAL_MODULES } from "../indicators";
import { OUTPUT_KINDS, csvText, jsonText, outputFolderProblem, safeDirName, writeOutputFolder } from "../output";
import { InputError } from "../scenario/errors";
import { scenarioInputs } from "./results";
import { cachedScenario } from "../experiments/execute";
import { indicatorProblem, resolvePeriod } from "../experiments/points";
import { pointOutputs, runSobol, runTornado, type SensitivityPlan, type SensitivitySpec } from "../experiments/sensitivity";
import type { SobolResult } from "../experiments/sobol";
import type { TornadoBar } from "../experiments/tornado";
import type { JobResult } from "../experiments/jobs";
import { MAX_YEARS, PROGRESS, SCALE, UsageError, parseArgs, parseChoice, parseDir, parseSeed, parseYears, type OptionDef } from "./args";
import { FIRST_SEED, SEEDS, SET, SHARD, STORE, WORKERS, YEAR, fixedOverrides, parameterRanges, parsePositiveInt, seedList, takeRepeated } from "./experiment-args";
import { formatValue } from "../study/format";
import { markdownTable } from "./format";
import { EXIT_CODES, commandHelp } from "./help";
import { ProgressBar } from "./progress";
import { CHARTS, LANG, chartLangs, experimentChartFiles, type ChartPlan } from "./experiment-charts";
import { effectTornado, sobolChart } from "../charts/experiments";
import type { Lang } from "../charts/labels";
import { leverName } from "../scenario/lever-labels";

const METHODS = ["tornado", "sobol"] as const;
type Method = (typeof METHODS)[number];

const OPTIONS: OptionDef[] = [
  { name: "method", value: "tornado|sobol", parse: parseChoice(METHODS), help: "tornado: one parameter at a time to each end of its range (2k+1 points; default)\nsobol: variance-based first-order and total indices (N(k+2) points)" },
  { name: "param", value: "PATH=LO:HI", help: "a parameter or policy lever and its range (repeat for each), e.g.\nchoice.quality=3.5:5.5 or policy.insurance.resident.inpatient.rate.township=0.8:0.95" },
  SET,
  { name: "indicator", value: "ID", parse: (raw) => {
    const p = indicatorProblem(raw);
    if (p) throw new Error(p);
    return raw;
  }, help: "indicator reported first and printed (default primaryVisitShare); all are saved" },
  YEAR,
  { name: "samples", value: "N", parse: parsePositiveInt(100_000, "base samples", 2), help: "sobol: base sample rows N, at least 2 (default 64; runs = N × (parameters + 2) × seeds)" },
  { name: "bootstrap", value: "R", parse: (raw) => (raw === "0" ? 0 : parsePositiveInt(100_000, "resamples")(raw)), help: "sobol: bootstrap resamples for 95% intervals (default 200; 0 = none)" },
  { name: "design-seed", value: "N", parse: parseSeed, help: "sobol: seed of the sampling and bootstrap streams (default 1)" },
  FIRST_SEED,
  SEEDS,
  { name: "years", value: "N", parse: parseYears, help: `simulated years, 1–${MAX_YEARS} (default: the scenario's)` },
  SCALE,
  WORKERS,
  STORE,
  SHARD,
  { name: "out", value: "DIR", parse: parseDir, help: "directory for the result files (default: out/sensitivity-<scenario name>);\nwritten whole, replacing an earlier analysis's folder" },
  LANG,
  CHARTS,
  PROGRESS,
];

export const SENSITIVITY_HELP = commandHelp(
  "yigongti sensitivity <scenario.yaml> --param PATH=LO:HI … [options]",
  `Sensitivity of the indicators in one simulated year to named parameters or policy
levers (paths starting policy.; a bare path is a parameter). Every point runs on the
same seeds and the indicator is their mean. A lever's base value is the scenario's
starting value, and each point holds it for the whole run (over later timeline changes
of that lever). Writes:
  DIR/tornado.csv  indicator,rank,path,base,low,high,outputBase,outputLow,outputHigh,
                   effectLow,effectHigh,swing,largestEffect (--method tornado;
                   sorted by largestEffect = max |effect| at either end, then by
                   swing = |outputHigh − outputLow|)
  DIR/sobol.csv    indicator,path,first,firstLow,firstHigh,total,totalLow,totalHigh,
                   variance,mean                      (--method sobol; 95% bootstrap intervals)
  DIR/points.csv   point,<parameters…>,indicator,value (seed means at every design point)
  DIR/sensitivity.json, DIR/sensitivity.md
  DIR/charts/      the --indicator's tornado (change from the base point, shares in
                   percentage points) or Sobol bars (S1 and ST with their intervals):
                   tornado-<indicator>.* | sobol-<indicator>.* (png, svg, csv, json)
The chosen --indicator's table is printed. Tornado bars start from the scenario's own
values; Sobol indices treat each range as a uniform distribution. --store and --shard
work as for sweep.`,
  OPTIONS,
  `Examples:
  yigongti sensitivity scenarios/baseline-2018.yaml --method tornado --scale 0.05 --years 1 \\
      --param choice.quality=3.5:5.5 --param choice.habit=0:1.4 --param choice.crowding=-4:-1
  yigongti sensitivity scenarios/baseline-2018.yaml --method tornado --scale 0.02 --years 1 \\
      --param policy.insurance.resident.inpatient.rate.township=0.7:0.95 --param choice.habit=0:1.4
  yigongti sensitivity scenarios/full-package-qujing.yaml --method sobol --samples 128 --seeds 2 \\
      --param choice.quality=3.5:5.5 --param choice.habit=0:1.4 --indicator withinCountyVisitRate --year 2020

${EXIT_CODES}`,
);

export async function sensitivityCommand(argv: readonly string[]): Promise<number> {
  const { rest, values } = takeRepeated("sensitivity", argv, ["param", "set"]);
  const a = parseArgs("sensitivity", rest, OPTIONS);
  if (a.help) {
    process.stdout.write(SENSITIVITY_HELP);
    return 0;
  }
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? `takes one scenario file, got ${a.positionals.length}` : "missing the scenario file: yigongti sensitivity <scenario.yaml> --param …", "sensitivity");
  const o = a.options;
  const method = (o.method as Method | undefined) ?? "tornado";
  const ranges = parameterRanges("sensitivity", values.param, { steps: "forbidden" });
  const overrides = fixedOverrides("sensitivity", values.set, ranges);
  if (method === "tornado") {
    for (const k of ["samples", "bootstrap", "design-seed"]) if (o[k] !== undefined) throw new UsageError(`--${k} is for --method sobol`, "sensitivity");
  }
  if (o.shard !== undefined && o.store === undefined) throw new UsageError("--shard needs --store DIR (the shard's runs go there)", "sensitivity");
  const file = a.positionals[0];
  const scenario = cachedScenario(file);
  const dir = (o.out as string | undefined) ?? join("out", `sensitivity-${safeDirName(scenario.name)}`);
  const shard = o.shard as { index: number; count: number } | undefined;
  const inputs = [...scenarioInputs([scenario]), ...(o.store !== undefined ? [o.store as string] : [])];
  // a shard of several writes no summary, so its folder is not checked
  const dirProblem = shard && shard.count > 1 ? null : outputFolderProblem(dir, OUTPUT_KINDS.sensitivity, inputs);
  if (dirProblem) throw new UsageError(`output directory ${dir}: ${dirProblem}`, "sensitivity");
  const years = o.years as number | undefined;
  let period: string;
  try {
    period = resolvePeriod(file, years, o.year as string | undefined);
  } catch (e) {
    throw new UsageError(`--year: ${(e as Error).message}`, "sensitivity");
  }
  const indicator = (o.indicator as string | undefined) ?? "primaryVisitShare";
  const spec: SensitivitySpec = { scenarioFile: file, seeds: seedList(o), years, scale: o.scale as number | undefined, ...(values.set.length ? { overrides } : {}), ranges, period };
  const designSeed = (o["design-seed"] as number | undefined) ?? 1;
  const bootstrap = (o.bootstrap as number | undefined) ?? 200;
  const progress = new ProgressBar((o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY));
  const shardLabel = o.shard ? ` shard ${(o.shard as { index: number }).index}/${(o.shard as { count: number }).count}` : "";
  progress.start(`${method} ${scenario.name}${shardLabel}`, 1, 1, "runs");
  const execute = { workers: o.workers as number | undefined, store: o.store as string | undefined, shard: o.shard as { index: number; count: number } | undefined, onProgress: progress.update };
  const out =
    method === "tornado"
      ? await runTornado(spec, execute)
      : await runSobol(spec, { samples: (o.samples as number | undefined) ?? 64, designSeed, bootstrap }, execute);
  progress.finish();
  if (!out.results || !out.byIndicator) {
    const sh = o.shard as { index: number; count: number };
    process.stdout.write(`shard ${sh.index}/${sh.count}: ${out.jobs} of ${out.plan.points.length * spec.seeds.length} runs (${out.ran} run now, ${out.skipped} already in ${o.store as string}); no summary written for a shard\n`);
    return 0;
  }
  const d = INDICATORS.find((x) => x.id === indicator);
  if (d?.module && !out.results.every((r) => r.yearly.some((y) => indicator in y.values)))
    throw new InputError([`--indicator ${indicator}: not in the runs of ${spec.scenarioFile}: it belongs to ${OPTIONAL_MODULES[d.module].doc.split(":")[0]}, which the scenario does not use (at every point)`]);
  const files =
    method === "tornado"
      ? tornadoFiles(spec, out.plan, out.results, out.byIndicator as Record<string, TornadoBar[]>, indicator)
      : sobolFiles(spec, out.plan, out.results, out.byIndicator as Record<string, SobolResult>, indicator, { bootstrap, seed: designSeed });
  const langs = chartLangs(o);
  const plan = langs ? sensitivityChartPlan(method, spec, out.byIndicator as Record<string, TornadoBar[] | SobolResult>, indicator, out.plan, langs) : null;
  const charts = plan ? await experimentChartFiles(plan, dir, progress) : null;
  writeOutputFolder(dir, OUTPUT_KINDS.sensitivity, { ...files, ...charts?.files }, inputs);
  process.stdout.write(files["sensitivity.md"] + `\nwrote ${Object.keys(files).map((f) => join(dir, f)).join(", ")}${charts ? ` and ${charts.written}` : "\n"}`);
  return 0;
}

/** The --indicator's chart: its tornado of effects or its Sobol bars; null when the indicator has no result (no value at some point). */
function sensitivityChartPlan(method: Method, spec: SensitivitySpec, byIndicator: Record<string, TornadoBar[] | SobolResult>, indicator: string, plan: SensitivityPlan, langs: Lang[]): ChartPlan | null {
  const mine = byIndicator[indicator];
  if (!mine || (method === "sobol" && !((mine as SobolResult).variance > 0))) return null;
  const s = cachedScenario(spec.scenarioFile);
  const name = (path: string, lang: Lang) => leverName(path, lang, "parameters");
  return {
    langs,
    build: (lang) => [
      method === "tornado"
        ? effectTornado({ lang, indicator, period: spec.period, scale: spec.scale ?? 1, bars: (mine as TornadoBar[]).map((b) => ({ ...b, label: name(b.path, lang) })) })
        : sobolChart({ lang, indicator, period: spec.period, samples: plan.n ?? 0, confidence: (mine as SobolResult).confidence ?? null, parameters: spec.ranges.map((r) => ({ path: r.path, label: name(r.path, lang) })), indices: (mine as SobolResult).indices }),
    ],
    provenance: { seed: spec.seeds[0], seeds: spec.seeds, scale: spec.scale ?? 1, years: spec.years ?? s.years, scenarios: [{ name: s.name, hash: s.hash }] },
  };
}

const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : "-");

/** What both methods write: the points table, the settings line and the JSON header. */
function commonParts(method: Method, spec: SensitivitySpec, plan: SensitivityPlan, results: readonly JobResult[], indicator: string) {
  const s = cachedScenario(spec.scenarioFile);
  const paths = spec.ranges.map((r) => r.path);
  const def = INDICATORS.find((d) => d.id === indicator)!;
  const outputs = pointOutputs(spec, results);
  const order = [indicator, ...INDICATORS.map((d) => d.id).filter((id) => id !== indicator && id in outputs)];
  const pointsCsv = csvText(
    ["point", ...paths, "indicator", "value"],
    order.flatMap((id) => plan.points.map((x, p) => [p, ...x, id, outputs[id][p]])),
  );
  const held = spec.overrides ? `, held at every point: ${Object.entries(spec.overrides).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}` : "";
  const settings = `${spec.seeds.length} seed${spec.seeds.length === 1 ? "" : "s"} per point (${spec.seeds.join(", ")}), scale ${spec.scale ?? 1}, ${spec.years ?? s.years} year(s), values in ${spec.period}, ${results.length} runs${held}`;
  const common = {
    command: "sensitivity",
    method,
    scenario: { name: s.name, file: s.file, hash: s.hash },
    ranges: spec.ranges,
    ...(spec.overrides ? { set: spec.overrides } : {}),
    seeds: spec.seeds,
    years: spec.years ?? s.years,
    scale: spec.scale ?? 1,
    period: spec.period,
    indicator,
    runs: results.length,
  };
  return { s, paths, def, order, pointsCsv, settings, common };
}

export function tornadoFiles(spec: SensitivitySpec, plan: SensitivityPlan, results: readonly JobResult[], bars: Record<string, TornadoBar[]>, indicator: string): Record<string, string> {
  const { s, def, order, pointsCsv, settings, common } = commonParts("tornado", spec, plan, results, indicator);
  const ids = order.filter((id) => bars[id]);
  const csv = csvText(
    ["indicator", "rank", "path", "base", "low", "high", "outputBase", "outputLow", "outputHigh", "effectLow", "effectHigh", "swing", "largestEffect"],
    ids.flatMap((id) => bars[id].map((b, i) => [id, i + 1, b.path, b.base, b.low, b.high, b.outputBase, b.outputLow, b.outputHigh, b.effectLow, b.effectHigh, b.swing, b.largestEffect])),
  );
  const mine = bars[indicator];
  const fmt = (v: number) => formatValue(def.unit, v);
  const fmtEffect = (v: number) => (def.unit === "share" || def.unit === "growth" ? `${v > 0 ? "+" : ""}${(v * 100).toFixed(2)} pts` : `${v > 0 ? "+" : ""}${num(v)}`);
  const md =
    `# Tornado: ${def.label.en} / ${def.label.zh} in ${spec.period}\n\n${s.title.en} / ${s.title.zh}; one parameter at a time from the scenario's values; ${settings}.\n\n` +
    (mine
      ? `Base: ${fmt(mine[0]?.outputBase ?? NaN)}.\n\n` +
        markdownTable(
          ["rank", "parameter", "base", "low → effect", "high → effect", "largest |effect|", "swing |high − low|"],
          mine.map((b, i) => [String(i + 1), b.path, num(b.base), `${num(b.low)} → ${fmtEffect(b.effectLow)}`, `${num(b.high)} → ${fmtEffect(b.effectHigh)}`, fmtEffect(b.largestEffect).replace(/^\+/, ""), fmtEffect(b.swing).replace(/^\+/, "")]),
          ["right", "left", "right", "right", "right", "right", "right"],
        ) +
        "\nRanked by the largest effect at either end, max(|low → effect|, |high → effect|); the swing is the distance between the two ends' outcomes, small when both ends move the indicator the same way.\n"
      : `${indicator} has no value in ${spec.period} at some point (e.g. a growth rate in the first year).\n`);
  return { "tornado.csv": csv, "points.csv": pointsCsv, "sensitivity.json": jsonText({ ...common, base: plan.base, bars: Object.fromEntries(ids.map((id) => [id, bars[id]])) }), "sensitivity.md": md };
}

export function sobolFiles(spec: SensitivitySpec, plan: SensitivityPlan, results: readonly JobResult[], sob: Record<string, SobolResult>, indicator: string, sobolOpts: { bootstrap: number; seed: number }): Record<string, string> {
  const { s, paths, def, order, pointsCsv, settings, common } = commonParts("sobol", spec, plan, results, indicator);
  const ids = order.filter((id) => sob[id]);
  const csv = csvText(
    ["indicator", "path", "first", "firstLow", "firstHigh", "total", "totalLow", "totalHigh", "variance", "mean"],
    ids.flatMap((id) =>
      sob[id].indices.map((ix, i) => [id, paths[i], ix.first, ix.firstInterval?.[0], ix.firstInterval?.[1], ix.total, ix.totalInterval?.[0], ix.totalInterval?.[1], sob[id].variance, sob[id].mean]),
    ),
  );
  const mine = sob[indicator];
  const ci = (v: [number, number] | undefined) => (v ? ` [${num(v[0])}, ${num(v[1])}]` : "");
  const md =
    `# Sobol indices: ${def.label.en} / ${def.label.zh} in ${spec.period}\n\n${s.title.en} / ${s.title.zh}; ranges taken as independent uniform distributions; Saltelli sampling with N = ${plan.n} base rows; ${settings}` +
    `${sobolOpts.bootstrap > 0 ? `; 95% bootstrap intervals from ${sobolOpts.bootstrap} resamples` : ""}.\n\n` +
    (mine && mine.variance > 0
      ? `Mean ${formatValue(def.unit, mine.mean)}, standard deviation ${def.unit === "share" || def.unit === "growth" ? `${(Math.sqrt(mine.variance) * 100).toFixed(2)} pts` : num(Math.sqrt(mine.variance))} across the design. ` +
        `First order S1: share of the variance due to the parameter alone; total ST: including its interactions.\n\n` +
        markdownTable(
          ["parameter", "range", "S1 first order", "ST total"],
          mine.indices
            .map((ix, i) => [i, ix] as const)
            .sort((x, y) => y[1].total - x[1].total)
            .map(([i, ix]) => [paths[i], `${num(spec.ranges[i].low)} to ${num(spec.ranges[i].high)}`, `${num(ix.first)}${ci(ix.firstInterval)}`, `${num(ix.total)}${ci(ix.totalInterval)}`]),
          ["left", "right", "right", "right"],
        )
      : `${indicator} ${mine ? "does not vary across the design" : `has no value in ${spec.period} at some point`}; no indices.\n`);
  const json = {
    ...common,
    samples: plan.n,
    designSeed: sobolOpts.seed,
    bootstrap: sobolOpts.bootstrap,
    confidence: sobolOpts.bootstrap > 0 ? 0.95 : null,
    indices: Object.fromEntries(ids.map((id) => [id, { mean: sob[id].mean, variance: sob[id].variance, byParameter: sob[id].indices.map((ix, i) => ({ path: paths[i], ...ix })) }])),
  };
  return { "sobol.csv": csv, "points.csv": pointsCsv, "sensitivity.json": jsonText(json), "sensitivity.md": md };
}
