/**
 * Packages sized on last year's spending (basis "lastYearClaims": 结合上一年度医保资金支出情况,
 * 总额控制) rather than on premium revenue.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load";
import { InputError } from "../../sim/scenario/errors";
import { monthlyPrepaymentFromClaims } from "../../sim/payment/capitation";
import { simulate } from "../../sim/simulate";
import { BASELINE_SCENARIO } from "../helpers/paths";
import { sum } from "../helpers/scenarios";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const reform = (extra = "") =>
  tmp.write(
    `claims-basis-${Math.random().toString(36).slice(2)}.yaml`,
    `extends: ${JSON.stringify(BASELINE_SCENARIO)}
${extra}
timeline:
  - from: 2019-01
    source: test
    set:
      payment.regime: capitation
      payment.capitation.basis: lastYearClaims
      payment.capitation.growthAllowance: 0.05
`,
  );

describe("capitation package sized on last year's claims", () => {
  it("monthly prepayment = last year's claims × (1 + growth) / 12", () => {
    // 1,200,000 yuan of claims last year, 5% growth allowed → 1,260,000 a year, 105,000 a month
    expect(monthlyPrepaymentFromClaims(1_200_000, 0.05)).toBeCloseTo(105_000, 6);
    expect(monthlyPrepaymentFromClaims(1_200_000, -0.1)).toBeCloseTo(90_000, 6);
  });

  it("prepays in 2019 what the enrolled residents' claims cost in 2018, plus the allowance", () => {
    const r = simulate(loadScenario(reform()), { seed: 4, scale: 0.02, years: 2 });
    const c = r.counters;
    // In 2018 everyone is paid fee-for-service, and every township of the default county is
    // in a community and the package covers both schemes, so the enrolled residents'
    // claims are all the insurers' claims.
    const claims2018 = sum(c.insurerClaims.subarray(0, 12));
    const prepaid2019 = sum(c.prepayments.subarray(12, 24));
    expect(sum(c.prepayments.subarray(0, 12))).toBe(0);
    expect(prepaid2019).toBeGreaterThan(0);
    expect(Math.abs(prepaid2019 - claims2018 * 1.05)).toBeLessThan(1e-6 * prepaid2019);
  });

  it("is refused when no full calendar year of claims precedes the package", () => {
    const file = reform("parameters:\n  simulation.burnInMonths: 0\n");
    const s = tmp.write(
      "claims-basis-at-start.yaml",
      `extends: ${JSON.stringify(file)}
timeline:
  - from: 2018-01
    source: test
    set:
      payment.regime: capitation
      payment.capitation.basis: lastYearClaims
`,
    );
    expect(() => loadScenario(s)).toThrow(InputError);
    expect(() => loadScenario(s)).toThrow(/payment\.capitation\.basis = "lastYearClaims" at the scenario start \(2018-01\): the 0 burn-in months run under the starting policy/);
    // a package from 2019-01 has 2018's claims
    expect(() => loadScenario(reform())).not.toThrow();
  });

  it("is refused at the scenario start even with 12 burn-in months: the burn-in runs under the starting policy (was a RangeError in the books)", () => {
    const s = tmp.write(
      "claims-basis-at-start-burnin.yaml",
      `extends: ${JSON.stringify(BASELINE_SCENARIO)}
timeline:
  - from: 2018-01
    source: test
    set:
      payment.regime: capitation
      payment.capitation.communities: all
      payment.capitation.basis: lastYearClaims
`,
    );
    expect(() => loadScenario(s)).toThrow(/"lastYearClaims" at the scenario start \(2018-01\): the 12 burn-in months run under the starting policy, so the package would need claims from before the first simulated month \(2017-01\); start it with a timeline entry after the start \(e\.g\. from 2019-01\)/);
  });
});
