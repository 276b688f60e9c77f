/**
 * How `compare`, `brief` and `npm run main` answer: from an ensemble, not one run. Each
 * scenario runs with the seeds --seed … --seed + N − 1 and, with more than one seed, a
 * parameter draw per seed from the parameter file's distributions and
 * data/parameter-uncertainty.yaml (second-order Monte Carlo; the same draws in every
 * scenario, so a reform and its baseline differ only by policy). Every headline number
 * is then a median with its 10–90% band, every target has the probability of being met
 * (share of runs), every effect is the paired reform − baseline difference with its band,
 * and the siphon verdict has its probability. `--seeds 1` is the single run of before (the
 * parameter file's values, no draws).
 *
 * Defaults: 8 seeds at scale 0.1. Why: the answer needs enough runs for a 10–90% band
 * (with 8, the 10th and 90th percentiles interpolate between the two lowest and the two
 * highest runs), and `npm run main` (14 scenarios, both briefings) must stay under 3 minutes
 * on a 2-core machine. Measured there: at scale 0.1 it took 1 min 45 s wall from a fresh
 * clone (192 s of CPU; 2 min 26 s before runs forked at the reform); at scale 0.2, 303 s of CPU for the simulation alone (loaded
 * by other jobs) — over budget. At 0.1 the 112 runs are ≈ 11 full-county runs of 3 years. Shares are nearly scale-free (test/scale.test.ts; the
 * parameter draws dominate the band); counts and money are those of the simulated
 * fraction, and are marked with the scale.
 */
import { join } from "node:path";
import { INDICATORS, type IndicatorDefinition } from "../indicators";
import { PACKAGE_ROOT } from "../manifest";
import { csvText } from "../output";
import { loadUncertaintyFile } from "../experiments/uncertainty";
import { EFFECT_INDICATORS, KEY_INDICATORS } from "../study/comparison";
import { bandText, effectText, formatTarget } from "../study/format";
import type { StudySpec, Study } from "../study/study";
import { scenarioSummaries, type ScenarioSummary } from "../study/summary";
import { parseDir, parseScale, parseSeed, type OptionDef } from "./args";
import { parsePositiveInt } from "./experiment-args";
import { markdownTable, textTable, type Align, type TableRow } from "./format";

/** Runs per scenario of an answer (see the module comment for why). */
export const ANSWER_SEEDS = 8;
/** Fraction of the county simulated in an answer. */
export const ANSWER_SCALE = 0.1;
/** The uncertainty file read by default. */
export const DEFAULT_UNCERTAINTY = join(PACKAGE_ROOT, "data/parameter-uncertainty.yaml");

export const ANSWER_OPTIONS: OptionDef[] = [
  { name: "seed", value: "N", parse: parseSeed, help: "first random seed, a whole number ≥ 0 (default 1); same seeds → identical results" },
  {
    name: "seeds",
    value: "N",
    parse: parsePositiveInt(1000, "seeds"),
    help: `runs per scenario: seeds --seed … --seed+N−1 (default ${ANSWER_SEEDS}); each answer is the median and\n10–90% band over them, each target the share of runs meeting it; --seeds 1 is one run\nwith the parameter file's values (no band)`,
  },
  {
    name: "scale",
    value: "F",
    parse: parseScale,
    help: `simulate this fraction of the county's residents, staff and beds, 0 < F ≤ 1\n(default ${ANSWER_SCALE}; shares do not depend on it, counts and money are of the fraction)`,
  },
  {
    name: "parameter-uncertainty",
    negatable: true,
    help: "with more than one seed, each run also draws the uncertain behavioural parameters\n(default on; --no-parameter-uncertainty: seeds only)",
  },
  { name: "uncertainty", value: "FILE", parse: parseDir, help: "distributions of the parameter draws (default data/parameter-uncertainty.yaml)" },
];

export interface AnswerSettings {
  seeds: number[];
  scale: number;
  parameterDraws: StudySpec["parameterDraws"];
}

/** The study settings of an answer from the parsed options. */
export function answerSettings(o: Record<string, unknown>): AnswerSettings {
  const first = (o.seed as number | undefined) ?? 1;
  const n = (o.seeds as number | undefined) ?? ANSWER_SEEDS;
  const seeds = Array.from({ length: n }, (_, k) => first + k);
  const draws = n > 1 && ((o["parameter-uncertainty"] as boolean | undefined) ?? true);
  return {
    seeds,
    scale: (o.scale as number | undefined) ?? ANSWER_SCALE,
    parameterDraws: draws ? { extra: loadUncertaintyFile((o.uncertainty as string | undefined) ?? DEFAULT_UNCERTAINTY), drawSeed: first } : undefined,
  };
}

const def = (id: string): IndicatorDefinition => INDICATORS.find((d) => d.id === id)!;
/** Targets shown in the summary: the reform's three and the fund's. */
export const SUMMARY_TARGETS = [...KEY_INDICATORS, "insurerFundBalance"];

/** Column titles short enough for a terminal (the full labels are in compare.md and the briefing). */
const SHORT: Record<string, string> = {
  primaryVisitShare: "Primary-care visits",
  withinCountyVisitRate: "Within county",
  downwardReferralGrowth: "Downward referrals",
  insurerFundBalance: "Insurance fund",
  oopShare: "OOP share",
  catastrophicExpenditure10: "Catastrophic >10%",
};
const short = (id: string) => SHORT[id] ?? def(id).label.en;

const pct = (p: number | null) => (p === null ? "-" : `${Math.round(p * 100)}%`);

/** The siphon verdict with its probability: "low (88%)", or the single run's level. */
export function siphonText(s: ScenarioSummary): string {
  return s.runs > 1 ? `${s.siphon.level} (${pct(s.siphon.probability)})` : s.siphon.level;
}

function caption(study: Study): string {
  const st = study.settings;
  const seeds = st.seeds.length === 1 ? `one run (seed ${st.seeds[0]})` : `${st.seeds.length} runs per scenario (seeds ${st.seeds[0]}–${st.seeds[st.seeds.length - 1]}${st.parameterDraws ? ", each with a parameter draw" : ", parameters fixed"})`;
  const years = [...new Set(study.scenarios.map((s) => s.runs[0].finalYear))].join(", ");
  return `Final simulated year (${years}) — ${seeds}, scale ${st.scale}${st.scale < 1 ? " (counts and money are those of the simulated fraction)" : ""}`;
}

function tables(study: Study, summaries: ScenarioSummary[]) {
  const several = study.settings.seeds.length > 1;
  const targets = SUMMARY_TARGETS.filter((id) => summaries.some((s) => id in s.indicators));
  const tHeader = ["Scenario 情景", ...targets.map((id) => `${short(id)} ${formatTarget(def(id))}`)];
  const tRows: TableRow[] = summaries.map((s) => [
    s.name,
    ...targets.map((id) => {
      const x = s.indicators[id];
      if (!x) return "-";
      const p = x.target?.probability ?? null;
      return `${bandText(def(id).unit, x.band)} ${several ? `P ${pct(p)}` : p === null ? "" : p === 1 ? "✓" : "✗"}`.trim();
    }),
  ]);
  const effects = EFFECT_INDICATORS.filter((id) => summaries.some((s) => id in s.indicators));
  const eHeader = ["Scenario 情景", "against 对照", ...effects.map((id) => `Δ ${short(id)}${def(id).unit === "share" || def(id).unit === "growth" ? " (pts)" : ""}`), "Siphon risk 虹吸风险"];
  const eRows: TableRow[] = summaries.map((s, i) => [
    s.name,
    study.scenarios[i].baseline === i ? "own first year" : s.baseline,
    ...effects.map((id) => (study.scenarios[i].baseline === i ? "" : effectText(def(id).unit, s.indicators[id]?.effect ?? null))),
    siphonText(s),
  ]);
  const align = (n: number, left: number): Align[] => Array.from({ length: n }, (_, k) => (k < left ? "left" : "right"));
  return { targets: { header: tHeader, rows: tRows, align: align(tHeader.length, 1) }, effects: { header: eHeader, rows: eRows, align: align(eHeader.length, 2) } };
}

const NOTES = (several: boolean) =>
  several
    ? "Median (10–90% of runs); P = probability the target is met (share of runs). Δ = reform − baseline, run by run on the same seeds and\nparameter draws; n.d. = not distinguishable from zero (the 10–90% band contains 0). Siphon risk: the level most runs reach, with its share."
    : "One run: no band. ✓ target met, ✗ not met. Δ = reform − baseline on the same seed. Run with --seeds N for bands and probabilities.";

/** The answer as text for a terminal: the targets, the effects against the baseline, the siphon verdict. */
export function answerTable(study: Study, summaries: ScenarioSummary[] = scenarioSummaries(study)): string {
  const t = tables(study, summaries);
  return [
    `${caption(study)}`,
    "",
    "Targets 目标",
    textTable(t.targets.header, t.targets.rows, t.targets.align).trimEnd(),
    "",
    "Effects against the baseline 与对照相比的效果",
    textTable(t.effects.header, t.effects.rows, t.effects.align).trimEnd(),
    "",
    NOTES(study.settings.seeds.length > 1),
    ...unpaired(study),
    "",
  ].join("\n");
}

/**
 * Scenarios set against their own first year only because no other scenario shares their
 * county file and start — e.g. a county imported from tables beside the shipped one with the
 * same figures: the pairing goes by file, so say so rather than leave the effects blank.
 */
export function unpaired(study: Study): string[] {
  const s = study.scenarios;
  if (s.length < 2) return [];
  const alone = s.filter((x, i) => x.baseline === i && !s.some((y, j) => j !== i && y.baseline === i));
  if (alone.length === 0) return [];
  const list = alone.map((x) => `${x.name} (county ${x.scenario.countyFile}, from ${x.scenario.start.year})`).join(", ");
  return [`Note: not compared with any other scenario: ${list} — scenarios are paired by county file and start year, so each is set against its own first year and shows no effects; run them on the same county file to compare them.`];
}

/** The same answer in Markdown (compare.md). */
export function answerMarkdown(study: Study, summaries: ScenarioSummary[] = scenarioSummaries(study)): string {
  const t = tables(study, summaries);
  return [
    `${caption(study)}.`,
    "",
    "### Targets 目标",
    "",
    markdownTable(t.targets.header, t.targets.rows, t.targets.align),
    "### Effects against the baseline 与对照相比的效果",
    "",
    markdownTable(t.effects.header, t.effects.rows, t.effects.align),
    NOTES(study.settings.seeds.length > 1).replace(/\n/g, " "),
    "",
  ].join("\n");
}

/** Tidy CSV of the answer: one row per (scenario, indicator) — band, probability of the target, paired effect. */
export function answerCsv(summaries: readonly ScenarioSummary[]): string {
  const { header, rows } = answerRows(summaries);
  return csvText(header, rows);
}

/** The rows of summary.csv (and of the workbook's Summary sheet). */
export function answerRows(summaries: readonly ScenarioSummary[]): { header: string[]; rows: (string | number | boolean | null)[][] } {
  const rows = summaries.flatMap((s) =>
    INDICATORS.filter((d) => d.id in s.indicators).map((d) => {
      const x = s.indicators[d.id];
      const e = x.effect;
      return [s.name, d.id, d.unit, x.band.runs, x.band.n, x.band.median, x.band.lo, x.band.hi, d.target?.value ?? null, d.target?.comparison ?? null, x.target?.probability ?? null, s.baseline, e?.median ?? null, e?.lo ?? null, e?.hi ?? null, e?.distinguishableFromZero ?? null];
    }),
  );
  return {
    header: ["scenario", "indicator", "unit", "runs", "n", "median", "p10", "p90", "target", "comparison", "probability_met", "baseline", "effect_median", "effect_p10", "effect_p90", "effect_distinguishable_from_zero"],
    rows,
  };
}

/** The answer as JSON-ready data: settings, and per scenario the summaries and the siphon verdict's probability. */
export function answerJson(study: Study, summaries: readonly ScenarioSummary[]) {
  const st = study.settings;
  return {
    settings: { seeds: st.seeds, scale: st.scale, parameterDraws: st.parameterDraws, levels: [0.1, 0.9] },
    scenarios: summaries,
  };
}
