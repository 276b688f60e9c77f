import { describe, expect, it } from "vitest";
import { loadScenario } from "../sim/scenario/load";
import { simulate } from "../sim/simulate";
import { yearlyIndicators } from "../sim/indicators";
import { fileURLToPath } from "node:url";

const baseline = fileURLToPath(new URL("../scenarios/baseline-2018.yaml", import.meta.url));

describe("--scale shrinks the county without changing its behaviour", () => {
  // Staff, beds and population all scale together, so crowding — and with it every share —
  // must not depend on the scale. (A bug once scaled village doctors twice, making small
  // runs crowded at village clinics: primary share 54% at scale 0.05 vs 70% at scale 1.)
  it("gives the same tier shares at scale 0.02 and 0.1 within sampling error", () => {
    const s = loadScenario(baseline);
    const share = (scale: number) => {
      const r = simulate(s, { seed: 5, scale, years: 1 });
      return yearlyIndicators(r.counters, r.start, r.months)[0].values;
    };
    const small = share(0.02);
    const large = share(0.1);
    for (const id of ["primaryVisitShare", "withinCountyVisitRate", "primaryAdmissionShare"]) {
      expect(Math.abs(small[id].value! - large[id].value!), id).toBeLessThan(0.015);
    }
  });
});
