/**
 * Property-based fuzzing of county descriptions: each mutation of the shipped Qujing-like
 * county either loads and simulates, or is refused with an InputError whose every line
 * names the file — never another exception. Seeded and bounded (fast-check), so CI tries
 * the same cases each run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../sim/scenario/errors";
import { loadCounty, loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { BASELINE_SCENARIO, QUJING_COUNTY } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { edited, mutationOf, nonFiniteIndicators } from "./mutate";
import { monthlyIndicators, yearlyIndicators } from "../../sim/indicators";

const tmp = tempDir("yigongti-fuzz-county-");
afterAll(() => tmp.cleanup());
const TEXT = readFileSync(QUJING_COUNTY, "utf8");
type Township = { centre: { doctors: number }; villageDoctorsPerClinic: number };
const townships = (t: Record<string, unknown>) => t.townships as Township[];
/** Doctors and capacity: zero somewhere is a county; zero everywhere has no primary care. */
const EXTRA = [
  edited(TEXT, "no primary-care doctor in any township", (t) => townships(t).forEach((w) => ((w.centre.doctors = 0), (w.villageDoctorsPerClinic = 0))), /no primary-care doctor/),
  edited(TEXT, "township centres without doctors (village doctors kept)", (t) => townships(t).forEach((w) => (w.centre.doctors = 0))),
  edited(TEXT, "village clinics without doctors (centres kept)", (t) => townships(t).forEach((w) => (w.villageDoctorsPerClinic = 0))),
  edited(TEXT, "county hospitals without beds", (t) => (t.countyHospitals as { beds: number }[]).forEach((h) => (h.beds = 0))),
];
export const tally = { cases: 0, refused: 0, loaded: 0, simulated: 0, crashes: [] as string[] };

describe("fuzz: county descriptions", () => {
  it("every mutation loads and runs, or is refused naming the file — no other error", () => {
    let n = 0;
    fc.assert(
      fc.property(mutationOf(TEXT, EXTRA), (m) => {
        const file = join(tmp.dir, `county-${n}.yaml`);
        const scenario = join(tmp.dir, `scenario-${n++}.yaml`);
        writeFileSync(file, m.bytes);
        writeFileSync(scenario, `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ncounty: ${JSON.stringify(file)}\n`);
        tally.cases++;
        try {
          loadCounty(file);
          expect(m.mustRefuse, `${m.describe}: an invalid file was accepted`).toBeUndefined();
          tally.loaded++;
          const r = simulate(loadScenario(scenario), { seed: 1, years: 1, scale: 0.02 });
          expect(nonFiniteIndicators([...yearlyIndicators(r.counters, r.start, r.months), ...monthlyIndicators(r.counters, r.start, r.months)]), m.describe).toEqual([]);
          tally.simulated++;
        } catch (e) {
          if (e instanceof InputError) {
            tally.refused++;
            for (const p of e.problems) expect(p.includes(file) || p.startsWith("--scale") || p.startsWith("county "), `${m.describe}: problem does not name the file: ${p}`).toBe(true);
            if (m.mustRefuse) expect(e.problems.join("\n"), m.describe).toMatch(m.mustRefuse);
            return;
          }
          tally.crashes.push(`${m.describe}: ${(e as Error).message}`);
          throw new Error(`${m.describe}: ${(e as Error).stack}`);
        }
      }),
      { seed: 20261201, numRuns: 150, endOnFailure: true },
    );
    console.log(`county fuzz: ${tally.cases} cases, ${tally.refused} refused with a clear error, ${tally.loaded} loaded (${tally.simulated} simulated), ${tally.crashes.length} crashes`);
  }, 600_000);
});
