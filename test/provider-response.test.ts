/**
 * Provider responses to payment (sim/provider-response.ts): the intensity rules worked by
 * hand, their directions, the monthly tables from the payment schemes in force, and whole
 * small runs — intensity falls under capitation when responsiveness > 0 and not when it is
 * 0, the cost delivered is exactly intensity × the cost at intensity 1, fee-for-service
 * raises intensity and return visits with the margin, a strong package under-provides and
 * loses patients out of the county, and the books balance throughout (simulate checks
 * every month).
 */
import { describe, expect, it } from "vitest";
import type { Encounter, EncounterSink } from "../sim/engine/encounter";
import { TREATMENT } from "../sim/engine/encounter";
import { yearTotals, yearlyIndicators } from "../sim/indicators";
import { CapitationPackage } from "../sim/payment/capitation-package";
import { FeeForService } from "../sim/payment/fee-for-service";
import type { CommunityPayments } from "../sim/payment/registry";
import type { PaymentScheme } from "../sim/payment/scheme";
import {
  OTHER_PAYER, OWN_PACKAGE, PROVIDER_RESPONSE_COUNTERS, ServiceIntensity,
  feeIntensity, packageIntensity, perceivedQualityShift, repeatVisitProbability, type ProviderResponseParameters,
} from "../sim/provider-response";
import { loadScenario, type Scenario } from "../sim/scenario/load";
import { simulate, type SimulationResult } from "../sim/simulate";
import { TOWNSHIP } from "../sim/tier";
import { REPO_ROOT } from "./helpers/paths";
import { baseline, withParameters } from "./helpers/scenarios";

const P: ProviderResponseParameters = {
  responsiveness: { feeForService: 0, capitation: 0.1 },
  minIntensity: 0.7,
  maxIntensity: 1.3,
  qualityPerIntensity: 0.3,
  repeatPerShortfall: 0.5,
  inducedReturnPerExcess: 0.5,
};
const withR = (capitation: number, feeForService = 0): ProviderResponseParameters => ({ ...P, responsiveness: { capitation, feeForService } });

describe("intensity rules, worked by hand", () => {
  it("a package that keeps the whole surplus: 1 − 0.1 × 1 = 0.9; half of it: 1 − 0.1 × 0.5 = 0.95; bounded below by minIntensity", () => {
    expect(packageIntensity(1, P)).toBeCloseTo(0.9, 12);
    expect(packageIntensity(0.5, P)).toBeCloseTo(0.95, 12);
    expect(packageIntensity(1, withR(0.5))).toBeCloseTo(0.7, 12); // 1 − 0.5 = 0.5, floored at 0.7
    expect(packageIntensity(0, P)).toBe(1); // nothing kept: no reason to cut
  });
  it("fee-for-service at margin 0.15: 1 + 1 × 0.15 = 1.15; capped at maxIntensity; 1 at responsiveness 0", () => {
    expect(feeIntensity(0.15, withR(0, 1))).toBeCloseTo(1.15, 12);
    expect(feeIntensity(0.15, withR(0, 4))).toBeCloseTo(1.3, 12); // 1.6 capped
    expect(feeIntensity(0.15, P)).toBe(1);
  });
  it("perceived quality and repeat visits: intensity 0.9 → −0.3 × 0.1 = −0.03 quality, 0.5 × 0.1 = 5% repeat visits; 1.15 → 7.5% return visits", () => {
    expect(perceivedQualityShift(0.9, P)).toBeCloseTo(-0.03, 12);
    expect(perceivedQualityShift(1, P)).toBe(0);
    expect(repeatVisitProbability(0.9, P)).toBeCloseTo(0.05, 12);
    expect(repeatVisitProbability(1.15, P)).toBeCloseTo(0.075, 12);
    expect(repeatVisitProbability(1, P)).toBe(0);
  });
});

describe("directions", () => {
  it("package intensity falls with responsiveness and with the share of the saving kept; 0 responsiveness never moves it", () => {
    let last = Infinity;
    for (const r of [0, 0.05, 0.1, 0.2, 0.3]) {
      const x = packageIntensity(1, withR(r));
      expect(x).toBeLessThanOrEqual(last);
      last = x;
    }
    expect(packageIntensity(1, withR(0.2))).toBeLessThan(packageIntensity(0.5, withR(0.2)));
    for (const kept of [0, 0.3, 1]) expect(packageIntensity(kept, withR(0))).toBe(1);
  });
  it("fee-for-service intensity rises with the margin (responsiveness > 0), and repeat visits rise as intensity moves away from 1 either way", () => {
    const p = withR(0, 1);
    expect(feeIntensity(0.05, p)).toBeLessThan(feeIntensity(0.15, p));
    expect(feeIntensity(0.15, p)).toBeLessThan(feeIntensity(0.25, p));
    expect(repeatVisitProbability(0.8, P)).toBeGreaterThan(repeatVisitProbability(0.9, P));
    expect(repeatVisitProbability(1.2, P)).toBeGreaterThan(repeatVisitProbability(1.1, P));
  });
});

/** A CommunityPayments stand-in: community 0 under a package, community 1 fee-for-service. */
function payments(schemes: PaymentScheme[][]): CommunityPayments {
  return {
    scheme: (c: number, s: number) => schemes[c][s],
    packageFlag: (c: number, s: number) => (schemes[c][s].paidFromPackage ? 1 : 0),
  } as unknown as CommunityPayments;
}
const pkg = (kept: number) => new CapitationPackage({ surplusRetainedShare: kept } as ConstructorParameters<typeof CapitationPackage>[0]);

describe("the month's tables (ServiceIntensity)", () => {
  // facilities: 0, 1 in community 0; 2 in community 1; 3 outside any community (out of county)
  const facCommunity = Int16Array.from([0, 0, 1, -1]);
  it("own package patients of a packaged community at 1 − r × kept; everyone else, and every other facility, at the fee-for-service intensity", () => {
    const t = new ServiceIntensity(P, 0.15, facCommunity, 2);
    t.setMonth(payments([[pkg(1), pkg(1)], [new FeeForService(), new FeeForService()]]));
    expect(t.intensity[0 * 2 + OWN_PACKAGE]).toBeCloseTo(0.9, 12);
    expect(t.intensity[1 * 2 + OWN_PACKAGE]).toBeCloseTo(0.9, 12);
    expect(t.intensity[0 * 2 + OTHER_PAYER]).toBe(1);
    expect(t.intensity[2 * 2 + OWN_PACKAGE]).toBe(1);
    expect(t.intensity[3 * 2 + OWN_PACKAGE]).toBe(1);
    expect(Array.from(t.ownPayer)).toEqual([2, 2, 3, -1]); // books' payer slot of the community's package (2 + c)
    expect(t.repeatProbability[0 * 2 + OWN_PACKAGE]).toBeCloseTo(0.05, 12);
    // the village of community 0 perceives its own facilities' cut; another community's village does not
    expect(t.perceivedShift(0, 0)).toBeCloseTo(-0.03, 12);
    expect(t.perceivedShift(0, 1)).toBe(0);
    expect(t.perceivedShift(3, 0)).toBe(0);
  });
  it("at responsiveness 0 every intensity is 1 and nothing else moves", () => {
    const t = new ServiceIntensity(withR(0), 0.15, facCommunity, 2);
    t.setMonth(payments([[pkg(1), pkg(1)], [new FeeForService(), new FeeForService()]]));
    expect(Array.from(t.intensity).every((x) => x === 1)).toBe(true);
    expect(Array.from(t.qualityShift).every((x) => x === 0)).toBe(true);
    expect(Array.from(t.repeatProbability).every((x) => x === 0)).toBe(true);
  });
});

// ---- whole small runs ----

const SMALL = { scale: 0.02, seed: 1 } as const;
const CAPITATION = `${REPO_ROOT}/scenarios/capitation-package.yaml`;
let capCached: Scenario | undefined;
const capitation = () => (capCached ??= loadScenario(CAPITATION));
const finalYear = (r: SimulationResult) => {
  const y = yearlyIndicators(r.counters, r.start, r.months);
  return y[y.length - 1].values;
};
const value = (r: SimulationResult, id: string) => finalYear(r)[id]?.value ?? null;

/**
 * Every recorded treatment at a township centre: its cost delivered ÷ its cost at
 * intensity 1 must be `own` for a patient whose claims a package pays (their own
 * community's — a package patient from another community is treated at 1) and 1 otherwise.
 */
class TownshipCosts implements EncounterSink {
  recording = false;
  ownPackage = 0;
  other = 0;
  wrong = 0;
  constructor(private readonly own: number) {}
  encounter(e: Encounter): void {
    if (!this.recording || e.tier !== TOWNSHIP || e.kind !== TREATMENT || e.caseKind !== 0) return;
    const ratio = e.cost / e.neutralCost;
    if (Math.abs(ratio - this.own) < 1e-12 && e.payer >= 2) this.ownPackage++;
    else if (Math.abs(ratio - 1) < 1e-12) this.other++;
    else this.wrong++;
  }
}

describe("whole runs", () => {
  it("intensity falls under capitation when responsiveness > 0 and not when it is 0", () => {
    const off = simulate(withParameters(capitation(), { "providerResponse.responsiveness.capitation": 0 }), SMALL);
    const on = simulate(withParameters(capitation(), { "providerResponse.responsiveness.capitation": 0.1 }), SMALL);
    // off: no encounter away from intensity 1 — the module's counters and indicators are absent
    const offTotals = yearTotals(off.counters, off.months);
    expect(offTotals.every((t) => !("serviceShortfall" in t))).toBe(true);
    expect(value(off, "serviceIntensity")).toBeNull();
    expect(off.counters.serviceShortfall.every((x) => x === 0)).toBe(true);
    expect(off.counters.repeatVisitsShortfall.every((x) => x === 0)).toBe(true);
    // on: the package's own providers give less, most at the township and village where the package pays nearly everything
    expect(value(on, "serviceIntensityTownship")!).toBeLessThan(0.95);
    expect(value(on, "serviceIntensityTownship")!).toBeGreaterThanOrEqual(0.9 - 1e-12);
    expect(value(on, "serviceIntensityCounty")!).toBeLessThan(1);
    expect(value(on, "serviceIntensityOutOfCounty")).toBeCloseTo(1, 12); // outside the community: paid by the package as a claim, no incentive
    expect(value(on, "underProvisionShare")!).toBeGreaterThan(0.02);
    expect(value(on, "repeatVisitShare")!).toBeGreaterThan(0);
    // the package keeps more of its money
    expect(value(on, "capitationBalance")!).toBeGreaterThan(value(off, "capitationBalance")!);
    // the decomposition is exact: (1 + total) = (1 + intensity) × (1 + price, mix, volume)
    const g = (id: string) => value(on, id)!;
    expect((1 + g("spendingGrowthFromIntensity")) * (1 + g("spendingGrowthFromPriceAndMix"))).toBeCloseTo(1 + g("totalSpendingGrowth"), 10);
  });

  it("the cost delivered is exactly the intensity × the cost at intensity 1: 0.9 for the community's own package patients at township centres, 1 for everyone else", () => {
    const s = withParameters(capitation(), { "providerResponse.responsiveness.capitation": 0.1 });
    const sink = new TownshipCosts(0.9);
    simulate(s, { ...SMALL, years: 2, sinks: [sink], plan: (p) => p.insert({ label: "rec", module: "test", doc: "", run: (st) => void (sink.recording = st.recording) }, { before: "policy" }) });
    expect(sink.ownPackage).toBeGreaterThan(100);
    expect(sink.other).toBeGreaterThan(100);
    expect(sink.wrong).toBe(0);
  });

  it("fee-for-service: intensity and return visits rise with the margin when responsiveness > 0; none at 0 (the baseline is untouched)", () => {
    const none = simulate(baseline(), SMALL);
    expect(value(none, "serviceIntensity")).toBeNull();
    const at = (margin: number) => simulate(withParameters(baseline(), { "providerResponse.responsiveness.feeForService": 1, "leadHospital.margin": margin }), SMALL);
    const low = at(0.1);
    const high = at(0.2);
    // every encounter at 1 + 1 × margin (tests upstream for township inpatients excepted: ordered, not chosen, at intensity 1)
    for (const t of ["Village", "Township", "OutOfCounty"]) {
      expect(value(low, `serviceIntensity${t}`)!).toBeCloseTo(1.1, 10);
      expect(value(high, `serviceIntensity${t}`)!).toBeCloseTo(1.2, 10);
    }
    expect(value(high, "serviceIntensityCounty")!).toBeGreaterThan(value(low, "serviceIntensityCounty")!);
    expect(value(high, "intensityReturnVisitShare")!).toBeGreaterThan(value(low, "intensityReturnVisitShare")!);
    expect(value(high, "costPerVisit")!).toBeGreaterThan(value(low, "costPerVisit")!);
    expect(value(low, "underProvisionShare")).toBe(0);
  });

  it("probe: a strong package response (responsiveness 0.3, intensity at its floor 0.7) under-provides more and sends patients out of the county", () => {
    const at = (r: number) => simulate(withParameters(capitation(), { "providerResponse.responsiveness.capitation": r }), SMALL);
    const off = at(0);
    const mild = at(0.1);
    const strong = at(0.3);
    expect(value(strong, "serviceIntensityTownship")!).toBeLessThan(value(mild, "serviceIntensityTownship")!);
    expect(value(strong, "underProvisionShare")!).toBeGreaterThan(value(mild, "underProvisionShare")!);
    expect(value(strong, "repeatVisitShare")!).toBeGreaterThan(value(mild, "repeatVisitShare")!);
    expect(value(strong, "withinCountyVisitRate")!).toBeLessThan(value(off, "withinCountyVisitRate")!);
    expect(value(strong, "packageOutsideShare")!).toBeGreaterThan(value(off, "packageOutsideShare")!);
  });

  it("declares its counters once", () => {
    expect(new Set(PROVIDER_RESPONSE_COUNTERS).size).toBe(PROVIDER_RESPONSE_COUNTERS.length);
  });
});
