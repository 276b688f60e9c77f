/**
 * The fund guard (基金不穿底, 003 §三; sim/payment/fund-guard.ts): the pure rules by hand,
 * the rule on a toy ledger month by month, and the stress case that ends negative
 * without it.
 */
import { describe, expect, it } from "vitest";
import { CountyBooks } from "../../sim/books";
import type { County } from "../../sim/county/generate";
import { Encounter } from "../../sim/engine/encounter";
import { newCounters } from "../../sim/indicators";
import { claimsPaidNow, claimsProvision, deferredRepayment, prepaymentFactor, settlementHeadroom } from "../../sim/payment/fund-guard";
import { CommunityPayments } from "../../sim/payment/registry";
import type { Policy } from "../../sim/policy";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { simulate, type SimulationResult } from "../../sim/simulate";
import { FUND_STRESS_SCENARIO } from "../helpers/paths";
import { baseline, withPolicy } from "../helpers/scenarios";

describe("the guard's rules, by hand", () => {
  it("deferred claims are paid first, as far as the fund goes", () => {
    expect(deferredRepayment(10_000, 1_400)).toBe(1_400);
    expect(deferredRepayment(900, 1_400)).toBe(900);
    expect(deferredRepayment(-50, 1_400)).toBe(0);
    expect(deferredRepayment(500, 0)).toBe(0);
  });

  it("prepayments are paid out of what the fund holds above its claims provision", () => {
    // holds 12,000, keeps back 8,000: 4,000 of 5,400 entitled → 74.07%
    expect(prepaymentFactor(12_000, 8_000, 5_400)).toBeCloseTo(4_000 / 5_400, 12);
    // enough: exactly 1, so every package gets its entitlement bit for bit
    expect(prepaymentFactor(20_000, 8_000, 5_400)).toBe(1);
    expect(prepaymentFactor(13_400, 8_000, 5_400)).toBe(1);
    // nothing above the provision, or a fund below zero: nothing prepaid
    expect(prepaymentFactor(7_000, 8_000, 5_400)).toBe(0);
    expect(prepaymentFactor(-1, 0, 5_400)).toBe(0);
    // nothing entitled: nothing to cut
    expect(prepaymentFactor(-1, 0, 0)).toBe(1);
  });

  it("the provision is months × last month's direct claims + claims still owed", () => {
    expect(claimsProvision(1, 8_000, 0)).toBe(8_000);
    expect(claimsProvision(2, 8_000, 1_400)).toBe(17_400);
    expect(claimsProvision(0, 8_000, 1_400)).toBe(1_400);
  });

  it("direct claims are paid as far as the balance goes; the overspend share draws on the balance net of what is owed", () => {
    expect(claimsPaidNow(6_600, 8_000)).toBe(6_600);
    expect(claimsPaidNow(9_000, 8_000)).toBe(8_000);
    expect(claimsPaidNow(-10, 8_000)).toBe(0);
    expect(settlementHeadroom(5_000, 1_400)).toBe(3_600);
    expect(settlementHeadroom(5_000, 0)).toBe(5_000);
  });
});

/**
 * A toy county's books: 1,200 resident-scheme insured paying 120 yuan a year (12,000 a
 * month), no opening reserve; 600 of them enrolled with community "a", whose capitation
 * package is 90% of their premium (5,400 a month); the other 600 are paid for
 * fee-for-service by the insurer.
 */
function toyBooks(fundNeverNegative: boolean) {
  const county = { communities: [{ id: "a" }], facilities: [{ id: "f" }] } as unknown as County;
  let policy: Policy = withPolicy(baseline(), {
    "insurance.resident.premiumPerCapita": 120,
    "insurance.employee.premiumPerCapita": 0,
    "insurance.initialReserveMonths": 0,
    "payment.regime": "capitation",
    "payment.capitation.communities": "all",
    "payment.capitation.basis": "premium",
    "payment.capitation.shareOfPremium": 0.9,
    "payment.capitation.coversEmployeeScheme": false,
    "payment.capitation.surplusRetainedShare": 1,
    "payment.capitation.overspendInsurerShare": 0.5,
    "payment.capitation.reserveCoversDeficits": true,
    "payment.capitation.fundNeverNegative": fundNeverNegative,
  }).basePolicy;
  const books = new CountyBooks(county, Float64Array.of(1_200, 0), Float64Array.of(600, 0));
  const payment = new CommunityPayments(["a"]);
  payment.set(policy);
  const counters = newCounters(12);
  const e = new Encounter();
  /** a claim of `amount` (cost = claim, no OOP): payer 0 = the insurer, 2 = community a's package */
  const claim = (payer: number, amount: number) => {
    Object.assign(e, { resident: 0, facility: 0, tier: 2, care: 1, cost: amount, reimbursed: amount, oop: 0, assistance: 0, payment: amount, payer, community: payer === 2 ? 0 : -1, enrolSlot: payer === 2 ? 0 : -1 });
    books.encounter(e);
  };
  /** one month: funding, the claims, payments, (December) settlement, the books check */
  const month = (m: number, insurerClaims: number, packageClaims: number, december = false) => {
    const rec = { counters, month: m };
    books.fund(policy, payment, rec, { claimsProvisionMonths: 1 });
    if (insurerClaims) claim(0, insurerClaims);
    if (packageClaims) claim(2, packageClaims);
    books.payClaims(rec);
    if (december) books.settle(payment, false, rec);
    books.check(`toy month ${m + 1}`);
  };
  books.open(policy);
  return { books, counters, month, setPolicy: (p: Policy) => ((policy = p), payment.set(p)) };
}

describe("the guard on a toy ledger", () => {
  it("without the rule the fund goes negative", () => {
    const t = toyBooks(false);
    // 12,000 premiums − 5,400 prepaid − 8,000 fee-for-service claims = −1,400
    t.month(0, 8_000, 0);
    expect(t.books.insuranceFund(0)).toBeCloseTo(-1_400, 9);
  });

  it("with it: month by month, by hand", () => {
    const t = toyBooks(true);
    // Month 1: premiums 12,000; no claims last month → provision 0 → prepays 5,400 in full
    // (6,600 left); claims of 8,000: 6,600 paid, 1,400 deferred (延付). Fund 0.
    t.month(0, 8_000, 0);
    expect(t.books.insuranceFund(0)).toBeCloseTo(0, 9);
    expect(t.books.deferredClaims()).toBeCloseTo(1_400, 9);
    expect(t.counters.prepayments[0]).toBeCloseTo(5_400, 9);
    expect(t.counters.prepaymentWithheld[0]).toBe(0);
    expect(t.counters.claimsDeferred[0]).toBeCloseTo(1_400, 9);
    // Month 2: premiums 12,000; the 1,400 deferred paid first (10,600 left); provision =
    // 1 month × 8,000 → 2,600 available of 5,400 entitled: 2,600 prepaid, 2,800 cut;
    // claims of 8,000 paid in full. Fund 0, nothing owed.
    t.month(1, 8_000, 0);
    expect(t.counters.deferredClaimsPaid[1]).toBeCloseTo(1_400, 9);
    expect(t.counters.prepayments[1]).toBeCloseTo(2_600, 9);
    expect(t.counters.prepaymentWithheld[1]).toBeCloseTo(2_800, 9);
    expect(t.counters.claimsDeferred[1]).toBe(0);
    expect(t.books.insuranceFund(0)).toBeCloseTo(0, 9);
    expect(t.books.deferredClaims()).toBe(0);
    // Month 3 (settled as December): premiums 12,000; provision 8,000 → 4,000 prepaid,
    // 1,400 cut; claims 8,000 paid; fund 0. The package was prepaid 5,400 + 2,600 + 4,000
    // = 12,000 and its residents' claims were 13,000: a 1,000 overspend. The insurer's
    // half (500) is capped at what the fund holds net of what it owes (0): the community
    // bears all 1,000 (超支自付) — the cuts of 4,200 are what took it into overspend.
    t.month(2, 8_000, 13_000, true);
    expect(t.counters.prepayments[2]).toBeCloseTo(4_000, 9);
    expect(t.counters.prepaymentWithheld[2]).toBeCloseTo(1_400, 9);
    expect(t.counters.settlementInsurerPays[2]).toBe(0);
    expect(t.counters.settlementCommunityBears[2]).toBeCloseTo(1_000, 9);
    expect(t.books.insuranceFund(0)).toBeCloseTo(0, 9);
  });

  it("when the fund can afford it the rule does not bind and changes nothing", () => {
    const [on, off] = [toyBooks(true), toyBooks(false)];
    for (const t of [on, off]) {
      t.month(0, 3_000, 4_000);
      t.month(1, 3_000, 8_000, true);
    }
    expect(on.books.accounts()).toEqual(off.books.accounts());
    expect(on.counters.prepaymentWithheld.every((x) => x === 0)).toBe(true);
    expect(on.counters.claimsDeferred.every((x) => x === 0)).toBe(true);
  });

  it("claims deferred under the rule are paid in full once it is switched off", () => {
    const t = toyBooks(true);
    t.month(0, 8_000, 0);
    expect(t.books.deferredClaims()).toBeCloseTo(1_400, 9);
    t.setPolicy(withPolicy(baseline(), { "insurance.resident.premiumPerCapita": 120, "insurance.employee.premiumPerCapita": 0, "payment.regime": "feeForService", "payment.capitation.fundNeverNegative": false }).basePolicy);
    t.month(1, 0, 0);
    expect(t.counters.deferredClaimsPaid[1]).toBeCloseTo(1_400, 9);
    expect(t.books.deferredClaims()).toBe(0);
  });
});

describe("the stress case (test/fixtures/fund-stress.yaml)", () => {
  const SCALE = 0.05;
  const stress = loadScenario(FUND_STRESS_SCENARIO);
  /** the scenario with the lever held off everywhere (policy override semantics: starting policy and every timeline entry) */
  const withoutRule: Scenario = {
    ...stress,
    basePolicy: withPolicy(stress, { "payment.capitation.fundNeverNegative": false }).basePolicy,
    timeline: stress.timeline.map((t) => ({ ...t, set: { ...t.set, "payment.capitation.fundNeverNegative": false } })),
  };
  /** each fund's lowest month-end balance over the recorded months */
  const run = (s: Scenario): { r: SimulationResult; lowest: number[]; monthly: number[][] } => {
    const lowest = [Infinity, Infinity];
    const monthly: number[][] = [[], []];
    const r = simulate(s, {
      seed: 1,
      scale: SCALE,
      plan: (p) =>
        p.insert({ label: "watch funds", module: "test", doc: "each fund's balance at month end", run: (st) => {
          if (!st.recording) return;
          for (let k = 0; k < 2; k++) {
            lowest[k] = Math.min(lowest[k], st.books.insuranceFund(k));
            monthly[k].push(st.books.insuranceFund(k));
          }
        } }, { after: "books check" }),
    });
    return { r, lowest, monthly };
  };
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const withRule = run(stress);
  const without = run(withoutRule);

  it("ends negative without the rule", () => {
    expect(without.lowest[0]).toBeLessThan(-5e6);
    expect(without.r.accounts["insurer:resident"]).toBeLessThan(-5e6);
  });

  it("with the rule every fund is ≥ 0 at every month end, and the books balance (checked every month)", () => {
    expect(withRule.lowest[0]).toBeGreaterThanOrEqual(0);
    expect(withRule.lowest[1]).toBeGreaterThanOrEqual(0);
    expect(withRule.monthly[0]).toHaveLength(36);
    // the rule binds: prepayments were cut in 2020
    expect(sum(withRule.r.counters.prepaymentWithheld)).toBeGreaterThan(1e6);
  });

  it("what the fund does not pay is borne by someone named: the community or the facilities (deferred); residents pay the same", () => {
    const a = withRule.r;
    const b = without.r;
    // the guard never touches benefits: the same care, the same OOP and reimbursement
    for (const k of ["oop", "reimbursed", "assistance", "costOutpatient", "costInpatient", "insurerClaims", "packageClaims"] as const) expect(a.counters[k]).toEqual(b.counters[k]);
    // the money the fund kept = what the community bore in addition (own funds + reserve) + claims still owed to facilities
    const fundKept = a.accounts["insurer:resident"] + a.accounts["insurer:employee"] - (b.accounts["insurer:resident"] + b.accounts["insurer:employee"]);
    const communityBore = -(a.accounts["communityFunds:renmin"] - b.accounts["communityFunds:renmin"]) + (sum(a.counters.settlementFromReserve) - sum(b.counters.settlementFromReserve));
    const owed = a.counters.deferredClaimsOutstanding[a.months - 1];
    expect(fundKept).toBeGreaterThan(5e6);
    expect(fundKept).toBeCloseTo(communityBore + owed, 2);
    // and the cut shows: prepaid + cut = what the packages were entitled to (the same with and without the rule)
    expect(sum(a.counters.prepayments) + sum(a.counters.prepaymentWithheld)).toBeCloseTo(sum(b.counters.prepayments), 2);
  });
});
