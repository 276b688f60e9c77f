/**
 * Summaries of a study across its seeds: the quantile band of an indicator, the
 * probability that a target is met (the share of runs meeting it), the paired reform −
 * baseline difference seed by seed (common random numbers) with its band, and the share
 * of runs at each siphon-risk level. Pure functions of the runs; each reads the runs'
 * indicators as the study computed them, so a probability is exactly the share of
 * `entry.indicators[id].met` (the one target-met rule, sim/indicators.ts meetsTarget).
 *
 *   const s = study.scenarios[i];
 *   indicatorBand(s.runs, "primaryVisitShare")               // final year: median, 10–90%
 *   targetProbability(s.runs, "primaryVisitShare").probability
 *   pairedDifference(s, study.scenarios[s.baseline], "primaryVisitShare").band
 */
import { quantileSorted } from "../experiments/stats";
import type { PeriodIndicators } from "../indicators";
import type { SiphonLevel } from "../siphon";
import type { StudyRun, StudyScenario } from "./study";

export type Granularity = "year" | "month" | "rolling";

/** Which value of a run: an indicator in one period (default: the final simulated year). */
export interface IndicatorAt {
  /** period label ("2020", "2020-06"); default: the run's final year (for "year"), else the last period */
  period?: string;
  granularity?: Granularity;
}

export interface QuantileBand {
  /** runs in all */
  runs: number;
  /** runs with a value (not null) — the quantiles are over these */
  n: number;
  median: number | null;
  /** the lower and upper quantiles (default the 10th and 90th percentiles) */
  lo: number | null;
  hi: number | null;
  /** the quantile levels of lo and hi */
  levels: [number, number];
}

const DEFAULT_LEVELS: [number, number] = [0.1, 0.9];

/** The median and the [lo, hi] quantiles (linear interpolation, R type 7) of the values that are not null. */
export function quantileBand(values: readonly (number | null)[], levels: readonly [number, number] = DEFAULT_LEVELS): QuantileBand {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  const q = (p: number) => (v.length ? quantileSorted(v, p) : null);
  return { runs: values.length, n: v.length, median: q(0.5), lo: q(levels[0]), hi: q(levels[1]), levels: [levels[0], levels[1]] };
}

function periodsOf(r: StudyRun, g: Granularity): readonly PeriodIndicators[] {
  if (g === "year") return r.yearly;
  if (g === "month") return r.monthly;
  if (!r.rolling) throw new Error(`${r.name} (seed ${r.settings.seed}): no rolling indicators (a run from the results store keeps none)`);
  return r.rolling;
}

/** An indicator's value (and verdict) in one run, or undefined when the run has no such period. */
export function valueAt(r: StudyRun, id: string, at: IndicatorAt = {}) {
  const g = at.granularity ?? "year";
  const ps = periodsOf(r, g);
  const p = at.period === undefined ? ps[ps.length - 1] : ps.find((x) => x.period === at.period);
  return p?.values[id];
}

/** The band of an indicator across runs (seeds) in one period: median and 10–90% by default. */
export function indicatorBand(runs: readonly StudyRun[], id: string, at: IndicatorAt = {}, levels?: readonly [number, number]): QuantileBand {
  return quantileBand(runs.map((r) => valueAt(r, id, at)?.value ?? null), levels);
}

export interface TargetProbability {
  runs: number;
  /** runs with a verdict (a value and a target) */
  judged: number;
  met: number;
  /** met ÷ judged — the share of runs meeting the target; null when no run has a verdict */
  probability: number | null;
}

/** The probability that a target is met: the share of runs (seeds) whose value meets it. */
export function targetProbability(runs: readonly StudyRun[], id: string, at: IndicatorAt = {}): TargetProbability {
  const verdicts = runs.map((r) => valueAt(r, id, at)?.met ?? null);
  const judged = verdicts.filter((m) => m !== null).length;
  const met = verdicts.filter((m) => m === true).length;
  return { runs: runs.length, judged, met, probability: judged ? met / judged : null };
}

export interface PairedDifference {
  /** reform − baseline for each seed (null where either has no value), in seed order */
  seeds: number[];
  differences: (number | null)[];
  band: QuantileBand;
}

/**
 * The paired effect reform − baseline seed by seed: each reform run minus the baseline's
 * run with the same seed (common random numbers, so the difference is the policy's), and
 * the band of those differences. Seeds present in only one are left out.
 */
export function pairedDifference(reform: StudyScenario, baseline: StudyScenario, id: string, at: IndicatorAt = {}, levels?: readonly [number, number]): PairedDifference {
  const base = new Map(baseline.runs.map((r) => [r.settings.seed, r]));
  const seeds: number[] = [];
  const differences: (number | null)[] = [];
  for (const r of reform.runs) {
    const b = base.get(r.settings.seed);
    if (!b) continue;
    const x = valueAt(r, id, at)?.value ?? null;
    const y = valueAt(b, id, at)?.value ?? null;
    seeds.push(r.settings.seed);
    differences.push(x !== null && y !== null ? x - y : null);
  }
  return { seeds, differences, band: quantileBand(differences, levels) };
}

/** Share of verdicts at each siphon-risk level (0 each when there are none). */
export function siphonLevelShares(levels: readonly SiphonLevel[]): Record<SiphonLevel, number> {
  const n = levels.length;
  const share = (level: SiphonLevel) => (n ? levels.filter((l) => l === level).length / n : 0);
  return { high: share("high"), moderate: share("moderate"), low: share("low") };
}

const LEVELS_BY_SERIOUSNESS: readonly SiphonLevel[] = ["high", "moderate", "low"];

/** The level most verdicts reach (ties: the more serious). */
export function prevailingSiphonLevel(shares: Record<SiphonLevel, number>): SiphonLevel {
  return LEVELS_BY_SERIOUSNESS.reduce((a, b) => (shares[b] > shares[a] ? b : a));
}

/** Share of runs at each siphon-risk level (each run's verdict against its baseline twin). */
export function siphonRiskShares(runs: readonly StudyRun[]): Record<SiphonLevel, number> & { runs: number } {
  return { runs: runs.length, ...siphonLevelShares(runs.map((r) => r.entry.siphonRisk.level)) };
}

/**
 * Whether a paired effect's band lies on one side of zero. null when it cannot be told:
 * fewer than two runs with a value (one seed gives no band).
 */
export function distinguishableFromZero(band: QuantileBand): boolean | null {
  if (band.n < 2 || band.lo === null || band.hi === null) return null;
  return band.lo > 0 || band.hi < 0;
}

/** One indicator of one scenario across its runs: band, probability of meeting its target, effect against the baseline. */
export interface IndicatorSummary {
  band: QuantileBand;
  /** null for an indicator without a target */
  target: TargetProbability | null;
  /** reform − baseline twin, seed by seed (null for a baseline) */
  effect: (QuantileBand & { distinguishableFromZero: boolean | null }) | null;
}

/** One scenario's answer across its runs: every indicator's summary and the siphon verdict with its probability. */
export interface ScenarioSummary {
  name: string;
  baseline: string;
  /** runs (seeds) summarised */
  runs: number;
  indicators: Record<string, IndicatorSummary>;
  siphon: {
    shares: Record<SiphonLevel, number>;
    /** the level most runs reach (ties: the more serious); with its share */
    level: SiphonLevel;
    probability: number;
  };
}

/**
 * Every scenario of a study summarised across its runs, in the final simulated year:
 * median and 10–90% band of each indicator it has, the probability each target is met,
 * and the paired effect against its baseline twin (same seeds, same parameter draws).
 * `targets` picks which indicators carry a target probability (default: all with a
 * target, sim/indicators.ts).
 */
export function scenarioSummaries(study: { scenarios: readonly StudyScenario[] }, ids?: readonly string[]): ScenarioSummary[] {
  return study.scenarios.map((s, i) => {
    const base = study.scenarios[s.baseline];
    const own = s.baseline === i;
    const present = ids ?? [...new Set(s.runs.flatMap((r) => Object.keys(r.entry.indicators)))];
    const indicators: Record<string, IndicatorSummary> = {};
    for (const id of present) {
      if (!s.runs.some((r) => id in r.entry.indicators)) continue;
      const hasTarget = s.runs.some((r) => r.entry.indicators[id]?.target !== null && r.entry.indicators[id]?.target !== undefined);
      const effect = own ? null : pairedDifference(s, base, id).band;
      indicators[id] = {
        band: indicatorBand(s.runs, id),
        target: hasTarget ? targetProbability(s.runs, id) : null,
        effect: effect ? { ...effect, distinguishableFromZero: distinguishableFromZero(effect) } : null,
      };
    }
    const { runs: _n, ...shares } = siphonRiskShares(s.runs);
    const level = prevailingSiphonLevel(shares);
    return { name: s.name, baseline: base.name, runs: s.runs.length, indicators, siphon: { shares, level, probability: shares[level] } };
  });
}
