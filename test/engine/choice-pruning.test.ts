/**
 * The choice's shortcuts (sim/engine/kernel.ts choose) change no choice: an option passed
 * over on its month's utility bound, or by its score's bounds, is one that could not win,
 * so the option chosen is the one the full Gumbel-max over every option's exact score
 * chooses — for sampled residents, episodes and slots of real runs, including a
 * prefecture county (ten options per village) and the burn-in.
 */
import fc from "fast-check";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineState } from "../../sim/engine/state";
import { countyScenarioOf } from "../../sim/prefecture/scenario";
import { gumbelFromHash, hashFromPrefix, hashPrefixFrom } from "../../sim/random";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { INPATIENT, N_SEVERITIES, OUTPATIENT } from "../../sim/tier";
import { REPO_ROOT } from "../helpers/paths";

const SCENARIOS: Record<string, () => Scenario> = {
  "baseline-2018": () => loadScenario(join(REPO_ROOT, "scenarios", "baseline-2018.yaml")),
  "family-doctor-contracting": () => loadScenario(join(REPO_ROOT, "scenarios", "family-doctor-contracting.yaml")),
  "prefecture county beishan": () => countyScenarioOf(`${join(REPO_ROOT, "scenarios", "prefecture", "qujing-rollout.yaml")}#beishan`),
};

describe("the choice's shortcuts choose what the full Gumbel-max chooses", () => {
  it.each(Object.keys(SCENARIOS))("%s", (name) => {
    const failures: string[] = [];
    let checked = 0;
    let pruned = 0;
    const check = (st: EngineState, seed: number) => {
      const k = st.kernel as unknown as Record<string, any>;
      const R = k.people;
      fc.assert(
        fc.property(fc.nat(R.count - 1), fc.constantFrom(OUTPATIENT, INPATIENT), fc.nat(N_SEVERITIES - 1), fc.boolean(), fc.nat(40), (i, care, sev, contracted, slot) => {
          const g = R.scheme[i] * 4 + R.poor[i] * 2 + (contracted ? 1 : 0);
          const v = R.village[i];
          k.pricer.bundleCounty = k.bundleCounty[v];
          k.pricer.bundleCity = k.bundleCity[v];
          const chosen = k.choose(i, g, care, sev, slot);
          const upper = Array.from(k.optionUpper.subarray(0, k.optionStart[v + 1] - k.optionStart[v]) as Float64Array);
          pruned += upper.filter((x) => x === -Infinity).length;
          // the full Gumbel-max: every option's exact utility and score, in order
          k.allUtilities = true;
          k.choose(i, g, care, sev, slot);
          k.allUtilities = false;
          const h = hashPrefixFrom(k.choiceFirst[i], k.cal);
          let best = -1;
          let bestScore = -Infinity;
          for (let o = k.optionStart[v]; o < k.optionStart[v + 1]; o++) {
            const score = k.utilities[o - k.optionStart[v]] + gumbelFromHash(hashFromPrefix(h, slot * 16 + (o - k.optionStart[v])));
            if (score > bestScore) {
              bestScore = score;
              best = o;
            }
          }
          if (chosen !== best) failures.push(`${name} step ${st.step} resident ${i} care ${care} severity ${sev} slot ${slot}: chose ${chosen}, full Gumbel-max ${best}`);
          checked++;
        }),
        { seed, numRuns: 400 },
      );
    };
    const steps = new Set([-6, 3, 14, 27]);
    simulate(SCENARIOS[name](), {
      scale: 0.01,
      years: 3,
      seed: 3,
      plan: (p) => p.insert({ label: "pruning check", module: "test/engine/choice-pruning.test.ts", doc: "pruned choice vs full Gumbel-max", run: (st) => {
        if (steps.has(st.step)) check(st, 77 + st.step);
      } }, { after: "residents" }),
    });
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBe(1600);
    // the shortcut is taken: options are passed over on their bound
    expect(pruned).toBeGreaterThan(checked);
  }, 120_000);
});
