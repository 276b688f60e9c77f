/**
 * Property-based fuzzing of scenario files: mutations of a shipped root scenario (full
 * policy tree) and of a shipped reform (extends + timeline) either load and simulate, or
 * are refused with problems that each name a file — never another exception. Seeded and
 * bounded (fast-check), so CI tries the same cases each run.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { edited, mutationOf, nonFiniteIndicators, ranOrRefused, type Mutation } from "./mutate";
import { monthlyIndicators, yearlyIndicators } from "../../sim/indicators";
import { STACK_LINE, cli } from "../cli/cli";
import { existsSync } from "node:fs";

// A copy of the repository's layout: the mutated file sits in scenarios/ beside the shipped
// ones, so its relative references (extends, county, parameterFile) resolve as they do.
const tmp = tempDir("yigongti-fuzz-scenario-");
afterAll(() => tmp.cleanup());
const scenarios = join(tmp.dir, "scenarios");
mkdirSync(scenarios);
symlinkSync(join(REPO_ROOT, "data"), join(tmp.dir, "data"), "dir");
for (const f of ["baseline-2018.yaml", "capitation-package.yaml", "capitation-with-staff-sinking.yaml", "differential-reimbursement.yaml", "starting-line-rules.yaml", "family-doctor-contracting.yaml"])
  symlinkSync(join(REPO_ROOT, "scenarios", f), join(scenarios, f));

/** A problem line names a file (path:… or path:line:col …) or a command-line option. */
const NAMES_A_FILE = /^(\S+\.ya?ml)(:\d+:\d+)?[: ]|^--|^county /;

/** Domain cases: capacity norms of 0 (unconstrained; the capacity index was NaN) and a timeline many times its length. */
function extras(text: string): Mutation[] {
  const params = (p: Record<string, number>) => (t: Record<string, unknown>) => void (t.parameters = { ...(t.parameters as object), ...p });
  return [
    edited(text, "village clinics without a capacity norm", params({ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0 })),
    edited(text, "no primary tier with a capacity norm", params({ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0, "capacity.outpatientVisitsPerDoctorPerMonth.township": 0 })),
    edited(text, "no capacity norm anywhere", params({ "capacity.outpatientVisitsPerDoctorPerMonth.village": 0, "capacity.outpatientVisitsPerDoctorPerMonth.township": 0, "capacity.outpatientVisitsPerDoctorPerMonth.county": 0, "capacity.averageLengthOfStay.township": 0, "capacity.averageLengthOfStay.county": 0 })),
    edited(text, "the timeline repeated 100 times", (t) => void (t.timeline = Array.from({ length: 100 }, () => t.timeline as unknown[]).flat())),
  ];
}

function fuzz(shipped: string, seed: number, runs: number) {
  const text = readFileSync(join(REPO_ROOT, "scenarios", shipped), "utf8");
  const tally = { cases: 0, refused: 0, simulated: 0, refusedFiles: [] as string[] };
  let n = 0;
  fc.assert(
    fc.property(mutationOf(text, extras(text)), (m) => {
      const file = join(scenarios, `mutant-${n++}.yaml`);
      writeFileSync(file, m.bytes);
      tally.cases++;
      const outcome = ranOrRefused(m, () => {
        const r = simulate(loadScenario(file), { seed: 1, years: 1, scale: 0.02 });
        expect(nonFiniteIndicators([...yearlyIndicators(r.counters, r.start, r.months), ...monthlyIndicators(r.counters, r.start, r.months)]), m.describe).toEqual([]);
      }, NAMES_A_FILE);
      if (outcome === "ran") tally.simulated++;
      else {
        tally.refused++;
        tally.refusedFiles.push(file);
      }
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  return tally;
}

describe("fuzz: scenario files", () => {
  it.each([
    ["baseline-2018.yaml", 11, 120],
    ["full-package-qujing.yaml", 12, 120],
  ])("every mutation of %s loads and runs, or is refused naming a file", (shipped, seed, runs) => {
    const t = fuzz(shipped, seed, runs);
    console.log(`scenario fuzz (${shipped}): ${t.cases} cases, ${t.refused} refused with a clear error, ${t.simulated} simulated, 0 crashes`);
    expect(t.cases).toBe(runs);
    // a sample through the real CLI: exit 2, no stack trace, nothing written
    for (const f of t.refusedFiles.filter((_, i) => i % 20 === 0)) {
      const out = join(tmp.dir, `out-${f.replace(/\W/g, "")}`);
      const r = cli(["run", f, "--scale", "0.02", "--years", "1", "--out", out]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(existsSync(out)).toBe(false);
    }
  }, 600_000);
});
