/**
 * `regress check`: re-run what a reference records (its scenarios, seeds, scale and
 * horizons) and compare — exactly, statistically, or both — and say what changed on the
 * input side (model fingerprint, scenario content hashes, Node), so "the model changed on
 * purpose", "a scenario was edited" and "nothing changed yet the numbers did" read
 * differently.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { modelVersion } from "../manifest";
import { InputError } from "../scenario/errors";
import { cachedScenario } from "../experiments/execute";
import { modelFingerprint } from "../experiments/fingerprint";
import { runJobs, type Job, type RunOptions } from "../experiments/runner";
import { exactDifferences, type ExactDifference } from "./exact";
import { scenarioTables } from "./record";
import { REFERENCE_FILE, readReference, resolveInReference, type LoadedReference, type ReferenceScenario, type ScenarioTables } from "./reference";
import { detectableDifference, familySize, statisticalCheck, type TestResult } from "./statistical";

export const CHECK_MODES = ["exact", "statistical", "both"] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

/** Exit codes of `regress check` (2 is bad input, 1 any other error, as for every command). */
export const EXIT_MATCH = 0;
export const EXIT_OUTPUTS_CHANGED = 3;
export const EXIT_BEHAVIOUR_CHANGED = 4;

export const DEFAULT_ALPHA = 0.01;

export interface CheckOptions extends Pick<RunOptions, "workers" | "onProgress"> {
  mode?: CheckMode;
  /** family-wise false-alarm level of the statistical check */
  alpha?: number;
  /**
   * Run the statistical ensemble from this seed instead of the recorded one (seeds
   * R … R+N−1): a check of seed noise alone. The exact check is then skipped.
   */
  reseed?: number;
}

export interface ScenarioProvenance {
  name: string;
  file: string;
  recordedHash: string;
  currentHash: string;
  edited: boolean;
}

export interface Detectable {
  scenario: string;
  indicator: string;
  period: string;
  referenceSd: number;
  /** smallest difference in means flagged with 80% probability (normal approximation) */
  difference: number;
}

export interface CheckResult {
  dir: string;
  mode: CheckMode;
  reference: LoadedReference["reference"];
  now: { version: string; fingerprint: string; node: string };
  modelChanged: boolean;
  nodeChanged: boolean;
  scenarios: ScenarioProvenance[];
  exact: null | { skipped?: string; differences: ExactDifference[]; byScenario: { name: string; count: number }[] };
  statistical: null | { skipped?: string; alpha: number; seeds: number[]; tests: number; results: TestResult[]; flagged: TestResult[]; detectable: Detectable[] };
  status: "match" | "outputs changed" | "behaviour changed";
  exitCode: number;
  /** one sentence on why outputs moved (or that they did not) */
  cause: string;
}

function scenarioFile(loaded: LoadedReference, s: ReferenceScenario, i: number): string {
  const file = resolveInReference(loaded.dir, s.file);
  if (!existsSync(file)) throw new InputError([`${join(loaded.dir, REFERENCE_FILE)}: scenarios[${i}].file = ${JSON.stringify(s.file)}: no such file (${file}); paths are relative to the reference folder`]);
  return file;
}

/** Indicators whose detectable change the report states (the headline targets and the patient siphon). */
const DETECTABILITY_INDICATORS = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth", "patientSiphonShare"];

const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);

/** Why outputs differ (or that they do not), from what changed on the input side. */
function causeOf(changed: boolean, modelChanged: boolean, nodeChanged: boolean, edited: ScenarioProvenance[], recorded: string, now: string): string {
  const parts: string[] = [];
  if (modelChanged) parts.push(`the model code changed (fingerprint ${recorded} → ${now})`);
  if (edited.length) parts.push(`${edited.length === 1 ? "a scenario was" : `${edited.length} scenarios were`} edited (${edited.map((e) => e.name).join(", ")})`);
  if (!changed) return parts.length ? `Outputs are unchanged although ${parts.join(" and ")}.` : "Nothing changed: model code, scenarios and outputs are as recorded.";
  if (parts.length) return `Outputs changed; ${parts.join(" and ")}.`;
  return `Outputs changed although neither the model code nor any scenario did${nodeChanged ? " — Node differs from the recording's" : ""}: the run is not reproducible in this environment.`;
}

export async function checkReference(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const mode = options.mode ?? "both";
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const loaded = readReference(dir);
  const ref = loaded.reference;
  const { seed, seeds: n } = ref.settings;
  const refFile = join(dir, REFERENCE_FILE);
  if (mode === "statistical" && n < 2) throw new InputError([`${refFile}: settings.seeds = ${n}: the statistical check needs a reference of at least 2 seeds (record it with --seeds N); use --mode exact`]);
  if (options.reseed !== undefined && mode === "exact") throw new InputError([`--reseed runs the statistical check on other seeds; with --mode exact there is nothing to run`]);

  const files = ref.scenarios.map((s, i) => scenarioFile(loaded, s, i));
  const provenance: ScenarioProvenance[] = ref.scenarios.map((s, i) => {
    const current = cachedScenario(files[i]);
    return { name: s.name, file: s.file, recordedHash: s.hash, currentHash: current.hash, edited: current.hash !== s.hash };
  });

  const first = options.reseed ?? seed;
  const jobs: Job[] = ref.scenarios.flatMap((s, i) => range(first, n).map((sd): Job => ({ scenarioFile: files[i], seed: sd, years: s.years, scale: ref.settings.scale })));
  const results = await runJobs(jobs, { workers: options.workers, onProgress: options.onProgress });
  const fresh = new Map<string, ScenarioTables>();
  ref.scenarios.forEach((s, i) => fresh.set(s.dir, scenarioTables(results.slice(i * n, (i + 1) * n))));

  return assessCheck({ loaded, fresh, provenance, mode, alpha, reseed: options.reseed, now: { version: modelVersion(), fingerprint: modelFingerprint(), node: process.version } });
}

export interface CheckInputs {
  loaded: LoadedReference;
  /** the re-run's tables by scenario folder */
  fresh: Map<string, ScenarioTables>;
  provenance: ScenarioProvenance[];
  mode: CheckMode;
  alpha: number;
  reseed?: number;
  now: CheckResult["now"];
}

/** Compare a re-run with its reference (pure: no runs, no files — the reports' golden tests call it). */
export function assessCheck(c: CheckInputs): CheckResult {
  const { loaded, fresh, provenance, mode, alpha, now } = c;
  const ref = loaded.reference;
  const { seed, seeds: n } = ref.settings;
  const wantExact = mode !== "statistical" && c.reseed === undefined;
  const wantStat = mode !== "exact" && n >= 2;
  const first = c.reseed ?? seed;
  let exact: CheckResult["exact"] = null;
  if (mode !== "statistical") {
    if (!wantExact) exact = { skipped: `--reseed ${c.reseed}: the runs use other seeds than the reference's`, differences: [], byScenario: [] };
    else {
      const differences: ExactDifference[] = [];
      const byScenario = ref.scenarios.map((s) => {
        const d = exactDifferences(s.name, loaded.tables.get(s.dir)!, fresh.get(s.dir)!, range(seed, n));
        differences.push(...d);
        return { name: s.name, count: d.length };
      });
      exact = { differences, byScenario };
    }
  }

  let statistical: CheckResult["statistical"] = null;
  if (mode !== "exact") {
    if (!wantStat) statistical = { skipped: `the reference has ${n} seed; the statistical check needs at least 2`, alpha, seeds: [], tests: 0, results: [], flagged: [], detectable: [] };
    else {
      const results = statisticalCheck(ref.scenarios.map((s) => ({ scenario: s.name, reference: loaded.tables.get(s.dir)!.ensemble, fresh: fresh.get(s.dir)!.ensemble })), alpha);
      const detectable: Detectable[] = [];
      for (const s of ref.scenarios) {
        const final = loaded.tables.get(s.dir)!.yearly.at(-1)!.period;
        for (const id of DETECTABILITY_INDICATORS) {
          const r = results.find((t) => t.scenario === s.name && t.indicator === id && t.period === final);
          if (r?.reference && r.reference.sd > 0) detectable.push({ scenario: s.name, indicator: id, period: final, referenceSd: r.reference.sd, difference: detectableDifference(r.reference.sd, r.reference.n, n, alpha, familySize(results)) });
        }
      }
      statistical = { alpha, seeds: range(first, n), tests: familySize(results), results, flagged: results.filter((t) => t.flagged).sort((a, b) => a.adjusted - b.adjusted || Math.abs(b.standardised ?? 0) - Math.abs(a.standardised ?? 0)), detectable };
    }
  }

  const modelChanged = now.fingerprint !== ref.model.fingerprint;
  const nodeChanged = now.node !== ref.model.node;
  const outputsChanged = (exact?.differences.length ?? 0) > 0;
  const behaviourChanged = (statistical?.flagged.length ?? 0) > 0;
  const status = behaviourChanged ? "behaviour changed" : outputsChanged ? "outputs changed" : "match";
  return {
    dir: loaded.dir,
    mode,
    reference: ref,
    now,
    modelChanged,
    nodeChanged,
    scenarios: provenance,
    exact,
    statistical,
    status,
    exitCode: behaviourChanged ? EXIT_BEHAVIOUR_CHANGED : outputsChanged ? EXIT_OUTPUTS_CHANGED : EXIT_MATCH,
    cause: causeOf(outputsChanged || behaviourChanged, modelChanged, nodeChanged, provenance.filter((p) => p.edited), ref.model.fingerprint, now.fingerprint),
  };
}
