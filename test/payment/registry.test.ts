/**
 * Payment schemes as plug-ins (sim/payment/): the registry, which scheme pays each
 * community × insurance scheme under a policy, the two shipped schemes on hand values,
 * and a scheme added from outside the engine — run by simulate with no change to the loop.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { monthlyPrepayment, settleYear } from "../../sim/payment/capitation";
import { CapitationPackage } from "../../sim/payment/capitation-package";
import { FeeForService } from "../../sim/payment/fee-for-service";
import { CommunityPayments, PAYMENT_SCHEMES, paymentSchemeSpec, type PaymentSchemeSpec } from "../../sim/payment/registry";
import type { PaymentScheme, PrepaymentBasis } from "../../sim/payment/scheme";
import type { Encounter, EncounterSink } from "../../sim/engine/encounter";
import { COUNTY, INPATIENT } from "../../sim/tier";
import { loadScenario } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { REPO_ROOT } from "../helpers/paths";
import { baseline, differingOutputs, sum, withPolicy } from "../helpers/scenarios";

const basis: PrepaymentBasis = { premiumPerCapita: 710, enrolled: 12_000, lastYearClaims: 6e6, lastYearComplete: true };

describe("the registry", () => {
  it("knows capitation and fee-for-service, each with a label, its policy levers and a source", () => {
    expect(PAYMENT_SCHEMES.map((s) => s.name)).toEqual(["capitation", "perDisease", "drg", "perDiem", "feeForService"]);
    for (const s of PAYMENT_SCHEMES) {
      expect(s.label.zh.length).toBeGreaterThan(0);
      expect(s.policy).toMatch(/payment/);
      expect(s.source.length).toBeGreaterThan(0);
    }
    expect(() => paymentSchemeSpec("dip")).toThrow(/no payment scheme "dip"; registered: capitation, perDisease, drg, perDiem, feeForService/);
  });

  it("picks the scheme of each community × insurance scheme from the policy; the package pays only what it covers", () => {
    const b = baseline().basePolicy;
    const pay = new CommunityPayments(["renmin", "tcm"]);
    pay.set(b);
    expect([pay.scheme(0, 0).name, pay.scheme(0, 1).name, pay.scheme(1, 0).name]).toEqual(["feeForService", "feeForService", "feeForService"]);
    expect([...pay.payerOf]).toEqual([0, 1, 0, 1]);
    const pilot = withPolicy(baseline(), { "payment.regime": "capitation", "payment.capitation.communities": ["tcm"], "payment.capitation.coversEmployeeScheme": false }).basePolicy;
    pay.set(pilot);
    expect([pay.scheme(1, 0).name, pay.scheme(1, 1).name, pay.scheme(0, 0).name]).toEqual(["capitation", "feeForService", "feeForService"]);
    // payer slots: 0, 1 = the insurer of each scheme; 2 + c = community c's package
    expect([...pay.payerOf]).toEqual([0, 1, 3, 1]);
    expect([pay.packageFlag(1, 0), pay.packageFlag(1, 1)]).toEqual([1, 0]);
  });
});

describe("fee-for-service and the capitation package", () => {
  const terms = { ...baseline().basePolicy.payment.capitation, basis: "premium" as const, shareOfPremium: 0.9, surplusRetainedShare: 0.6 };

  it("fee-for-service prepays nothing and charges the community nothing for a county case", () => {
    const f = new FeeForService();
    expect(f.monthlyPrepayment()).toBeNull();
    expect(f.paidFromPackage).toBe(false);
    expect(f.countyCaseCost()).toBe(0);
    expect(f.chargesCommunity).toBe(false);
  });

  it("the package prepays by premium or by last year's claims, settles by its rules, and charges the retained share of the claim gap", () => {
    const p = new CapitationPackage(terms);
    expect(p.monthlyPrepayment(basis)).toBe(monthlyPrepayment(0.9, 710, 12_000));
    const byClaims = new CapitationPackage({ ...terms, basis: "lastYearClaims", growthAllowance: 0.05 });
    expect(byClaims.monthlyPrepayment(basis)).toBeCloseTo((6e6 * 1.05) / 12, 6);
    expect(() => byClaims.monthlyPrepayment({ ...basis, lastYearComplete: false })).toThrow(/needs a full calendar year/);
    expect(p.settle(-400_000, 100_000, 5e6)).toEqual(settleYear(-400_000, 100_000, 5e6, terms));
    expect(p.countyCaseCost({ countyClaimPerEncounter: 700, townshipClaimPerEncounter: 200 })).toBeCloseTo(300, 12);
    expect(p.chargesCommunity).toBe(true);
    expect(new CapitationPackage({ ...terms, surplusRetainedShare: 0 }).chargesCommunity).toBe(false);
  });
});

describe("a scheme added from outside the engine", () => {
  const s = loadScenario(join(REPO_ROOT, "scenarios", "capitation-package.yaml"));
  const SMALL = { scale: 0.02, years: 2, seed: 1 } as const;
  const standard = simulate(s, SMALL);
  const capitation = paymentSchemeSpec("capitation");

  it("a renamed copy of the package, registered first, gives bit-identical outputs", () => {
    class RenamedPackage extends CapitationPackage {
      override readonly name = "renamedPackage";
    }
    const renamed: PaymentSchemeSpec = { ...capitation, name: "renamedPackage", create: (p) => new RenamedPackage(p.payment.capitation) };
    const r = simulate(s, { ...SMALL, paymentSchemes: [renamed, ...PAYMENT_SCHEMES] });
    expect(differingOutputs(r, standard)).toEqual([]);
    expect(r.accounts).toEqual(standard.accounts);
  });

  it("a package prepaid twice over runs with no change to the loop: prepayments double, the books still balance", () => {
    class DoublePackage extends CapitationPackage {
      override readonly name = "doublePackage";
      override monthlyPrepayment(b: PrepaymentBasis): number {
        return 2 * super.monthlyPrepayment(b);
      }
    }
    const double: PaymentSchemeSpec = { ...capitation, name: "doublePackage", create: (p) => new DoublePackage(p.payment.capitation) };
    const r = simulate(s, { ...SMALL, paymentSchemes: [double, ...PAYMENT_SCHEMES] });
    // first month of the pilot (2019-03 = month 14): the same enrolment, twice the prepayment
    expect(standard.counters.prepayments[14]).toBeGreaterThan(0);
    expect(r.counters.prepayments[14]).toBe(2 * standard.counters.prepayments[14]);
    expect(sum(r.counters.settlementRetained)).toBeGreaterThan(sum(standard.counters.settlementRetained));
  });

  it("a case-based scheme (a flat rate per county admission) plugs in: facility revenue = scheme payments + OOP + assistance, no longer the cost of care", () => {
    const RATE = 5000;
    class CountyAdmissionRate implements PaymentScheme {
      readonly name = "countyAdmissionRate";
      readonly paidFromPackage = false;
      readonly chargesCommunity = false;
      monthlyPrepayment(): null {
        return null;
      }
      countyCaseCost(): number {
        return 0;
      }
      casePayment(e: Encounter): number {
        return e.care === INPATIENT && e.tier === COUNTY ? RATE : e.reimbursed;
      }
    }
    const perCase: PaymentSchemeSpec = {
      name: "countyAdmissionRate",
      label: { en: "flat rate per county admission", zh: "县级医院住院按次定额（示例）" },
      policy: "(test only)",
      doc: "the insurer pays county hospitals a flat rate per admission of resident-scheme members",
      source: "test",
      appliesTo: (_p, _id, scheme) => scheme === 0,
      create: () => new CountyAdmissionRate(),
    };
    class Revenue implements EncounterSink {
      recording = false;
      payments = 0;
      paid = 0;
      cost = 0;
      flatRateCases = 0;
      encounter(e: Encounter): void {
        if (!this.recording) return;
        this.payments += e.payment;
        this.paid += e.payment + e.oop + e.assistance;
        this.cost += e.cost;
        if (e.payment === RATE && e.payer === 0 && e.enrolSlot >= 0) this.flatRateCases++;
      }
    }
    const b = baseline();
    const plain = simulate(b, SMALL);
    const rev = new Revenue();
    const r = simulate(b, {
      ...SMALL,
      paymentSchemes: [perCase, ...PAYMENT_SCHEMES],
      sinks: [rev],
      plan: (p) => p.insert({ label: "tell the sink", module: "test", doc: "recording?", run: (st) => void (rev.recording = st.recording) }, { before: "policy" }),
    });
    const facilities = Object.entries(r.accounts).filter(([k]) => k.startsWith("facility:")).reduce((a, [, v]) => a + v, 0);
    expect(rev.flatRateCases).toBeGreaterThan(0);
    expect(Math.abs(facilities - rev.paid)).toBeLessThan(1e-6 * rev.paid);
    expect(Math.abs(facilities - rev.cost)).toBeGreaterThan(1000);
    // patients' choices in the first year do not depend on how hospitals are paid; the insurer's spending does
    expect(Array.from(r.counters.visitsCounty.slice(0, 12))).toEqual(Array.from(plain.counters.visitsCounty.slice(0, 12)));
    expect(Array.from(r.counters.oop.slice(0, 12))).toEqual(Array.from(plain.counters.oop.slice(0, 12)));
    expect(r.counters.insurerClaims[0]).not.toBe(plain.counters.insurerClaims[0]);
  });
});
