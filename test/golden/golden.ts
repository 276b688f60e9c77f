/**
 * The regression golden: yearly indicators of baseline-2018 for a fixed seed and scale,
 * compared exactly. Update only on purpose (`npm run golden:update`), with the reason in
 * the commit and in CHANGELOG.md.
 */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { yearlyIndicators } from "../../sim/indicators";

const here = dirname(fileURLToPath(import.meta.url));
export const GOLDEN_FILE = join(here, "baseline-2018.json");
export const GOLDEN_RUN = { scenario: join(here, "../../scenarios/baseline-2018.yaml"), seed: 20180101, years: 3, scale: 0.05 };

/** What the golden file holds: the run's settings and every yearly indicator value. */
export function goldenSnapshot() {
  const s = loadScenario(GOLDEN_RUN.scenario);
  const r = simulate(s, { seed: GOLDEN_RUN.seed, years: GOLDEN_RUN.years, scale: GOLDEN_RUN.scale });
  return {
    run: { scenario: "scenarios/baseline-2018.yaml", seed: GOLDEN_RUN.seed, years: GOLDEN_RUN.years, scale: GOLDEN_RUN.scale },
    years: yearlyIndicators(r.counters, r.start, r.months).map((y) => ({
      period: y.period,
      values: Object.fromEntries(Object.entries(y.values).map(([k, v]) => [k, v.value])),
    })),
  };
}
