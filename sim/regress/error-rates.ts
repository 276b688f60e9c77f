/**
 * How good is the statistical check? Two measurements, on real runs:
 *
 *  - false alarms: record 1 + R references that differ only in their seeds (blocks of N
 *    seeds: S, S+N, S+2N, …) and check each later block against the first — exactly
 *    what `regress check --reseed` does — and, for a tighter estimate, every pair of
 *    blocks. The share of checks that flag anything is the false-alarm rate; Holm's
 *    procedure promises at most α.
 *  - detection: shift one behavioural parameter by δ from each scenario's own value (a
 *    change of behaviour, e.g. a tier constant of the choice model), run blocks of N
 *    seeds, and count how often the check flags it — with the size of the change it
 *    caused in the headline indicators.
 *
 * `scripts/regress-error-rates.ts` prints both for the README; the tests hold them.
 */
import { cachedScenario } from "../experiments/execute";
import type { Job } from "../experiments/jobs";
import { runJobs, type RunOptions } from "../experiments/runner";
import { valuesTable, horizonOf } from "./record";
import type { PeriodTable } from "./reference";
import { statisticalCheck } from "./statistical";

export interface StudySettings {
  scenarioFiles: string[];
  /** seeds per block (the ensemble size of a reference) */
  seeds: number;
  scale: number;
  years?: number;
  /** first seed of block 0 */
  seed: number;
  alpha: number;
}

type Blocks = Map<string, PeriodTable[]>[]; // block → scenario → yearly table per seed

async function runBlocks(s: StudySettings, blocks: number, firstBlock: number, overridesOf: (file: string) => Record<string, number> | undefined, options: RunOptions): Promise<Blocks> {
  const jobs: Job[] = [];
  for (let b = 0; b < blocks; b++)
    for (const f of s.scenarioFiles)
      for (let k = 0; k < s.seeds; k++)
        jobs.push({ scenarioFile: f, seed: s.seed + (firstBlock + b) * s.seeds + k, years: horizonOf(f, { years: s.years ?? null }), scale: s.scale, ...(overridesOf(f) ? { overrides: overridesOf(f) } : {}) });
  const results = await runJobs(jobs, options);
  const out: Blocks = [];
  let i = 0;
  for (let b = 0; b < blocks; b++) {
    const m = new Map<string, PeriodTable[]>();
    for (const f of s.scenarioFiles) m.set(f, results.slice(i, (i += s.seeds)).map((r) => valuesTable(r.yearly)));
    out.push(m);
  }
  return out;
}

function flags(s: StudySettings, ref: Map<string, PeriodTable[]>, fresh: Map<string, PeriodTable[]>) {
  const res = statisticalCheck(s.scenarioFiles.map((f) => ({ scenario: f, reference: ref.get(f)!, fresh: fresh.get(f)! })), s.alpha);
  return res.filter((t) => t.flagged);
}

export interface FalseAlarmResult {
  /** checks of blocks 1…R against block 0 */
  againstFirst: { checks: number; alarms: number; flaggedTests: string[] };
  /** checks of every pair of blocks */
  allPairs: { checks: number; alarms: number };
}

/** Run 1 + references blocks of seeds and count false alarms (see the module comment). */
export async function measureFalseAlarms(s: StudySettings, references: number, options: RunOptions = {}): Promise<FalseAlarmResult> {
  const blocks = await runBlocks(s, references + 1, 0, () => undefined, options);
  let alarms = 0;
  const flaggedTests: string[] = [];
  for (let b = 1; b < blocks.length; b++) {
    const f = flags(s, blocks[0], blocks[b]);
    if (f.length) alarms++;
    flaggedTests.push(...f.map((t) => `block ${b}: ${t.scenario} ${t.indicator} ${t.period} (p ${t.adjusted.toPrecision(2)})`));
  }
  let pairs = 0;
  let pairAlarms = 0;
  for (let a = 0; a < blocks.length; a++)
    for (let b = a + 1; b < blocks.length; b++) {
      pairs++;
      if (flags(s, blocks[a], blocks[b]).length) pairAlarms++;
    }
  return { againstFirst: { checks: references, alarms, flaggedTests }, allPairs: { checks: pairs, alarms: pairAlarms } };
}

export interface DetectionResult {
  path: string;
  delta: number;
  checks: number;
  detected: number;
  /** mean change the shift caused (new − reference, final year), per headline indicator and scenario */
  effect: Record<string, Record<string, number>>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A numeric parameter's value in a scenario (dotted path below `parameters`). */
function parameterValue(file: string, path: string): number {
  let v: unknown = cachedScenario(file).parameters;
  for (const k of path.split(".")) v = (v as Record<string, unknown>)[k];
  if (typeof v !== "number") throw new Error(`${path} is not a numeric parameter of ${file}`);
  return v;
}

/**
 * Shift parameter `path` by each delta from each scenario's own value (scenarios may set
 * it differently, e.g. the Wuhua district's tier constants); for each delta, run `checks`
 * blocks of seeds (other seeds than the reference block's) and count how often the check
 * flags.
 */
export async function measureDetection(
  s: StudySettings,
  path: string,
  deltas: number[],
  checks: number,
  indicators: string[],
  options: RunOptions = {},
): Promise<DetectionResult[]> {
  const [ref] = await runBlocks(s, 1, 0, () => undefined, options);
  const out: DetectionResult[] = [];
  for (const delta of deltas) {
    const shifted = await runBlocks(s, checks, 1, (f) => ({ [path]: parameterValue(f, path) + delta }), options);
    let detected = 0;
    for (const b of shifted) if (flags(s, ref, b).length) detected++;
    const effect: DetectionResult["effect"] = {};
    for (const id of indicators) {
      effect[id] = {};
      for (const f of s.scenarioFiles) {
        const last = (t: PeriodTable) => t[t.length - 1].values[id] ?? NaN;
        effect[id][f] = mean(shifted.flatMap((b) => b.get(f)!.map(last))) - mean(ref.get(f)!.map(last));
      }
    }
    out.push({ path, delta, checks, detected, effect });
  }
  return out;
}
