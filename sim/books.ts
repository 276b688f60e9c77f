/**
 * The county's books for one run: the insurance funds, each medical community's package
 * (打包基金), retained reserve (结余) and own funds, every facility's revenue, and the
 * outside sources (residents' OOP, premium contributors, medical assistance) — kept as a
 * double-entry Ledger (sim/ledger.ts).
 *
 * The books are a sink of the episode kernel (sim/engine/encounter.ts): each encounter's
 * money goes to this month's accumulators (claims by payer, facility revenue by source)
 * and, separately, to the `charged` totals; the month's postings then move the
 * accumulated amounts through the ledger, and `check` verifies every identity against
 * the independently kept totals. A posting or identity that fails stops the run with an
 * AccountingError.
 */
import type { County } from "./county/generate";
import type { Encounter, EncounterSink } from "./engine/encounter";
import type { Counters } from "./indicators";
import { AccountingError, Ledger, assertClose } from "./ledger";
import { claimsPaidNow, claimsProvision, deferredRepayment, prepaymentFactor, settlementHeadroom } from "./payment/fund-guard";
import type { CommunityPayments } from "./payment/registry";
import { CASE_PAID, type PaymentScheme } from "./payment/scheme";
import type { Policy } from "./policy";
import { EMPLOYEE_SCHEME, N_TIERS } from "./tier";

/** Where a month's recorded flows go; null during burn-in. */
export type Recorder = { counters: Counters; month: number } | null;

export class CountyBooks implements EncounterSink {
  readonly ledger = new Ledger();
  /** claims this month by payer slot: 0, 1 = insurer of each scheme; 2 + c = package of community c */
  private readonly payerClaims: Float64Array;
  /** this month's revenue of each facility, by source */
  private readonly facilityOop: Float64Array;
  private readonly facilityInsurance: Float64Array;
  private readonly facilityAssistance: Float64Array;
  /** claims of each community's enrolled residents this calendar year, whoever paid: [c * 2 + scheme] */
  private readonly enrolledClaimsYear: Float64Array;
  /** what the engine charged, accumulated apart from the postings (for the identities): cost of care, scheme payments (claims), OOP, assistance */
  private readonly charged = { cost: 0, payments: 0, oop: 0, assistance: 0 };

  private readonly insurer: number[];
  private readonly pkg: number[];
  private readonly reserve: number[];
  private readonly communityFunds: number[];
  private readonly facility: number[];
  private readonly residents: number;
  private readonly contributors: number;
  private readonly assistance: number;
  private readonly clearing: number;
  private readonly staffBonuses: number;
  private readonly primaryInvestment: number;
  /** claims each insurer owes facilities and has not paid yet (延付, fund guard): the balance is −outstanding */
  private readonly payable: number[];
  private readonly flows = { premiums: [0, 0], insurerClaims: [0, 0], prepaid: [0, 0], returned: [0, 0], overspend: [0, 0], deferred: [0, 0], repaid: [0, 0] };
  /**
   * The fund guard (基金不穿底, sim/payment/fund-guard.ts): on this month (the policy's
   * payment.capitation.fundNeverNegative), its claims provision in months, each fund's
   * direct claims last month, claims deferred and not yet paid, and each fund's balance
   * before this month's premiums (the guard never takes a fund below min(0, that)).
   */
  private guardOn = false;
  private guardProvisionMonths = 0;
  private readonly lastMonthClaims = [0, 0];
  private readonly outstanding = [0, 0];
  private readonly openingBalance = [0, 0];
  private readonly enrolledClaimsLastYear: Float64Array;
  private enrolledClaimsComplete = false;
  private readonly prepaidYear: Float64Array;
  private readonly prepaidByScheme: Float64Array;
  /** what each community × scheme's package was entitled to this year, and this month (−1: the scheme prepays nothing) — they differ from what was prepaid only when the fund guard cut a prepayment */
  private readonly entitledByScheme: Float64Array;
  private readonly entitledThisMonth: Float64Array;
  private readonly cutYear: Uint8Array;
  private readonly claimsYear: Float64Array;
  private readonly activeYear: Uint8Array;
  /** the scheme that last prepaid each community × insurance scheme's package this year (its settlement rules if it no longer pays in December) */
  private readonly prepaidBy: (PaymentScheme | null)[];
  // ---- case-based payment (sim/payment/: per-disease, DRG points, per-diem)
  private readonly facTier: Int8Array;
  /** what the payers paid for the admissions treating inpatient cases of each community × scheme's enrolled, by the facility's tier, this and last calendar year: [slot * N_TIERS + tier] */
  private readonly caseClaimsYear: Float64Array;
  private readonly caseClaimsLastYear: Float64Array;
  /** DRG points, interim payments and patients' payments (OOP + assistance) this year: [slot * F + facility] */
  private readonly drgPoints: Float64Array;
  private readonly drgInterim: Float64Array;
  private readonly drgPatient: Float64Array;
  /** the DRG budget accrued this year, and the scheme that accrued it (its point value at year end): [slot] */
  private readonly drgBudgetYear: Float64Array;
  private readonly drgBy: (PaymentScheme | null)[];
  /** cases paid at a fixed standard (per-disease price, bed-days × rate): revenue received and what their standard says it should be (each identity's two sides) */
  private readonly fixedStandard = { revenue: 0, expected: 0 };

  constructor(
    private readonly county: County,
    /** insured persons per scheme */
    private readonly insured: Float64Array,
    /** enrolled insured persons per community and scheme: [c * 2 + scheme] */
    private readonly enrolled: Float64Array,
  ) {
    const C = county.communities.length;
    const F = county.facilities.length;
    const L = this.ledger;
    this.insurer = [L.account("insurer:resident"), L.account("insurer:employee")];
    this.payable = [L.account("payable:insurer:resident"), L.account("payable:insurer:employee")];
    this.pkg = county.communities.map((c) => L.account(`package:${c.id}`));
    this.reserve = county.communities.map((c) => L.account(`reserve:${c.id}`));
    this.communityFunds = county.communities.map((c) => L.account(`communityFunds:${c.id}`));
    this.facility = county.facilities.map((f) => L.account(`facility:${f.id}`));
    this.residents = L.account("external:residents");
    this.contributors = L.account("external:contributors");
    this.assistance = L.account("external:medicalAssistance");
    this.clearing = L.account("clearing:claims");
    this.staffBonuses = L.account("external:staffBonuses");
    this.primaryInvestment = L.account("external:primaryInvestment");
    this.payerClaims = new Float64Array(2 + C);
    this.facilityOop = new Float64Array(F);
    this.facilityInsurance = new Float64Array(F);
    this.facilityAssistance = new Float64Array(F);
    this.enrolledClaimsYear = new Float64Array(C * 2);
    this.enrolledClaimsLastYear = new Float64Array(C * 2);
    this.prepaidYear = new Float64Array(C);
    this.prepaidByScheme = new Float64Array(C * 2);
    this.entitledByScheme = new Float64Array(C * 2);
    this.entitledThisMonth = new Float64Array(C * 2);
    this.cutYear = new Uint8Array(C);
    this.claimsYear = new Float64Array(C);
    this.activeYear = new Uint8Array(C);
    this.prepaidBy = county.communities.flatMap(() => [null, null]);
    this.facTier = Int8Array.from(county.facilities, (f) => f.tier);
    this.caseClaimsYear = new Float64Array(C * 2 * N_TIERS);
    this.caseClaimsLastYear = new Float64Array(C * 2 * N_TIERS);
    this.drgPoints = new Float64Array(C * 2 * F);
    this.drgInterim = new Float64Array(C * 2 * F);
    this.drgPatient = new Float64Array(C * 2 * F);
    this.drgBudgetYear = new Float64Array(C * 2);
    this.drgBy = county.communities.flatMap(() => [null, null]);
  }

  /** An encounter's money into this month's accumulators (posted by payClaims). */
  encounter(e: Encounter): void {
    const f = e.facility;
    this.facilityOop[f] += e.oop;
    this.facilityInsurance[f] += e.payment;
    this.facilityAssistance[f] += e.assistance;
    this.payerClaims[e.payer] += e.payment;
    if (e.enrolSlot >= 0) this.enrolledClaimsYear[e.enrolSlot] += e.payment;
    this.charged.cost += e.cost;
    this.charged.payments += e.payment;
    this.charged.oop += e.oop;
    this.charged.assistance += e.assistance;
    if (e.group >= 0 && e.enrolSlot >= 0) this.caseEncounter(e);
  }

  /** An admission treating an inpatient case: its payment by tier (budget bases), a DRG case's points, a fixed-standard case's identity. */
  private caseEncounter(e: Encounter): void {
    const slot = e.enrolSlot;
    this.caseClaimsYear[slot * N_TIERS + e.tier] += e.payment;
    if (e.points > 0) {
      const j = slot * this.facility.length + e.facility;
      this.drgPoints[j] += e.points;
      this.drgInterim[j] += e.payment;
      this.drgPatient[j] += e.oop + e.assistance;
    } else if (e.caseKind & CASE_PAID) {
      // a fixed standard: the facility receives it, or what the patient paid when that is more (the insurer pays no less than nothing)
      this.fixedStandard.revenue += e.payment + e.oop + e.assistance;
      this.fixedStandard.expected += Math.max(e.standard, e.oop + e.assistance);
    }
  }

  /** Open the books at the first recorded month: all at zero, funds given their opening reserve (期初结存). */
  open(policy: Policy): void {
    this.ledger.balances.fill(0);
    for (const k of ["premiums", "insurerClaims", "prepaid", "returned", "overspend", "deferred", "repaid"] as const) this.flows[k] = [0, 0];
    this.outstanding.fill(0);
    this.charged.cost = 0;
    this.charged.payments = 0;
    this.charged.oop = 0;
    this.charged.assistance = 0;
    this.prepaidYear.fill(0);
    this.prepaidByScheme.fill(0);
    this.entitledByScheme.fill(0);
    this.cutYear.fill(0);
    this.claimsYear.fill(0);
    this.activeYear.fill(0);
    this.prepaidBy.fill(null);
    this.drgPoints.fill(0);
    this.drgInterim.fill(0);
    this.drgPatient.fill(0);
    this.drgBudgetYear.fill(0);
    this.drgBy.fill(null);
    this.fixedStandard.revenue = 0;
    this.fixedStandard.expected = 0;
    const schemes = [policy.insurance.resident, policy.insurance.employee];
    for (let s = 0; s < 2; s++) {
      const opening = (policy.insurance.initialReserveMonths * schemes[s].premiumPerCapita * this.insured[s]) / 12;
      this.ledger.post(this.contributors, this.insurer[s], opening, "opening reserve");
      this.flows.premiums[s] += opening;
    }
  }

  /** In January: last year's enrolled claims become the basis for claims-sized packages. */
  newYear(lastYearFullyObserved: boolean): void {
    this.enrolledClaimsLastYear.set(this.enrolledClaimsYear);
    this.enrolledClaimsComplete = lastYearFullyObserved;
    this.enrolledClaimsYear.fill(0);
    this.caseClaimsLastYear.set(this.caseClaimsYear);
    this.caseClaimsYear.fill(0);
  }

  /**
   * Premiums in; packages pre-allocated (总额预拨) by the schemes that prepay them
   * (sim/payment/). Under the fund guard (`fundNeverNegative`, sim/payment/fund-guard.ts)
   * each fund first pays the claims it deferred, then prepays its packages only out of
   * what it holds above the provision for its own claims — a cut (预拨压减) shrinks the
   * package, borne by the community at year end.
   */
  fund(policy: Policy, payment: CommunityPayments, rec: Recorder, guard: { claimsProvisionMonths: number }): void {
    const L = this.ledger;
    const schemes = [policy.insurance.resident, policy.insurance.employee];
    this.guardOn = policy.payment.capitation.fundNeverNegative;
    this.guardProvisionMonths = guard.claimsProvisionMonths;
    for (let s = 0; s < 2; s++) {
      this.openingBalance[s] = L.balances[this.insurer[s]];
      const premiums = (schemes[s].premiumPerCapita * this.insured[s]) / 12;
      L.post(this.contributors, this.insurer[s], premiums, "premiums");
      this.flows.premiums[s] += premiums;
      if (rec) rec.counters.premiums[rec.month] += premiums;
      // claims deferred earlier are paid first — as far as the fund goes under the guard, in full once it is off
      if (this.outstanding[s] > 0) {
        const repay = this.guardOn ? deferredRepayment(L.balances[this.insurer[s]], this.outstanding[s]) : this.outstanding[s];
        L.post(this.insurer[s], this.payable[s], repay, "deferred claims paid");
        this.outstanding[s] -= repay;
        this.flows.repaid[s] += repay;
        if (rec) rec.counters.deferredClaimsPaid[rec.month] += repay;
      }
    }
    // what each community × scheme's package is entitled to this month (null: the scheme prepays nothing)
    const entitled = this.entitledThisMonth;
    const totalEntitled = [0, 0];
    for (let c = 0; c < this.pkg.length; c++) {
      for (let s = 0; s < 2; s++) {
        const amount = payment.scheme(c, s).monthlyPrepayment({
          premiumPerCapita: schemes[s].premiumPerCapita,
          enrolled: this.enrolled[c * 2 + s],
          lastYearClaims: this.enrolledClaimsLastYear[c * 2 + s],
          lastYearComplete: this.enrolledClaimsComplete,
        });
        entitled[c * 2 + s] = amount === null ? -1 : amount;
        if (amount !== null) totalEntitled[s] += amount;
      }
    }
    const factor = [1, 1];
    if (this.guardOn) {
      for (let s = 0; s < 2; s++) {
        const provision = claimsProvision(this.guardProvisionMonths, this.lastMonthClaims[s], this.outstanding[s]);
        factor[s] = prepaymentFactor(L.balances[this.insurer[s]], provision, totalEntitled[s]);
      }
    }
    for (let c = 0; c < this.pkg.length; c++) {
      for (let s = 0; s < 2; s++) {
        const due = entitled[c * 2 + s];
        if (due < 0) continue;
        const scheme = payment.scheme(c, s);
        const amount = factor[s] === 1 ? due : due * factor[s];
        L.post(this.insurer[s], this.pkg[c], amount, "capitation prepayment");
        this.flows.prepaid[s] += amount;
        this.prepaidYear[c] += amount;
        this.prepaidByScheme[c * 2 + s] += amount;
        this.entitledByScheme[c * 2 + s] += due;
        if (amount !== due) this.cutYear[c] = 1;
        this.activeYear[c] = 1;
        this.prepaidBy[c * 2 + s] = scheme;
        if (rec) {
          rec.counters.prepayments[rec.month] += amount;
          rec.counters.prepaymentWithheld[rec.month] += due - amount;
        }
      }
    }
    for (let slot = 0; slot < this.drgBudgetYear.length; slot++) {
      const s = slot & 1;
      const scheme = payment.scheme(slot >> 1, s);
      if (!scheme.monthlyCaseBudget) continue;
      // a budget for case payments (DRG points): allocated, not moved — paid out as the cases are, settled at year end
      const amount = scheme.monthlyCaseBudget({
        premiumPerCapita: schemes[s].premiumPerCapita,
        enrolled: this.enrolled[slot],
        lastYearCaseClaims: this.caseClaimsLastYear.subarray(slot * N_TIERS, slot * N_TIERS + N_TIERS),
        lastYearComplete: this.enrolledClaimsComplete,
      });
      this.drgBudgetYear[slot] += amount;
      this.drgBy[slot] = scheme;
      if (rec) rec.counters.drgBudget[rec.month] += amount;
    }
  }

  /** Post the month's claims (payer → clearing → facilities), OOP and assistance. */
  payClaims(rec: Recorder): void {
    const L = this.ledger;
    for (let p = 0; p < this.payerClaims.length; p++) {
      const amount = this.payerClaims[p];
      if (p < 2) {
        // the fund guard pays what the fund holds and defers the rest (延付); claims are counted as incurred
        const now = this.guardOn ? claimsPaidNow(L.balances[this.insurer[p]], amount) : amount;
        L.post(this.insurer[p], this.clearing, now, "claims");
        if (now < amount) {
          L.post(this.payable[p], this.clearing, amount - now, "claims deferred");
          this.outstanding[p] += amount - now;
          this.flows.deferred[p] += amount - now;
          if (rec) rec.counters.claimsDeferred[rec.month] += amount - now;
        }
        this.lastMonthClaims[p] = amount;
        this.flows.insurerClaims[p] += amount;
        if (rec) rec.counters.insurerClaims[rec.month] += amount;
      } else {
        L.post(this.pkg[p - 2], this.clearing, amount, "claims");
        this.claimsYear[p - 2] += amount;
        if (rec) rec.counters.packageClaims[rec.month] += amount;
      }
    }
    for (let f = 0; f < this.facility.length; f++) {
      L.post(this.clearing, this.facility[f], this.facilityInsurance[f], "claims");
      L.post(this.residents, this.facility[f], this.facilityOop[f], "out-of-pocket");
      L.post(this.assistance, this.facility[f], this.facilityAssistance[f], "medical assistance");
    }
    this.payerClaims.fill(0);
    this.facilityOop.fill(0);
    this.facilityInsurance.fill(0);
    this.facilityAssistance.fill(0);
  }

  /**
   * Year-end settlement (年终结算) of every package that was paid this year, each insurance
   * scheme's part by the rules of the scheme paying it now (or, if none settles, the one
   * that last prepaid it).
   */
  settle(payment: CommunityPayments, partialYear: boolean, rec: Recorder): void {
    const L = this.ledger;
    for (let c = 0; c < this.pkg.length; c++) {
      if (!this.activeYear[c]) continue;
      const id = this.county.communities[c].id;
      const balance = this.prepaidYear[c] - this.claimsYear[c];
      assertClose(`package ${id} balance`, L.balances[this.pkg[c]], balance);
      // Each scheme's fund settles its own part of the package, in proportion to what it
      // prepaid this year, so a surplus returns to (and an overspend share is paid by, and
      // limited by) the fund that financed it. If the fund guard cut a prepayment, the
      // parts are in proportion to what each fund was to prepay, and a fund's part is what
      // it prepaid less its share of the claims: a cut stays with the fund that made it
      // (and so with the community, as the capped overspend share of that fund).
      const prepaidTotal = this.prepaidYear[c];
      const cut = this.cutYear[c] === 1;
      const weightTotal = cut ? this.entitledByScheme[c * 2] + this.entitledByScheme[c * 2 + 1] : prepaidTotal;
      const r = { retained: 0, returned: 0, fromReserve: 0, insurerPays: 0, communityBears: 0 };
      const reserveBefore = L.balances[this.reserve[c]];
      for (let s = 0; s < 2; s++) {
        const w = weightTotal > 0 ? (cut ? this.entitledByScheme : this.prepaidByScheme)[c * 2 + s] / weightTotal : s === 0 ? 1 : 0;
        if (w === 0) continue;
        const partBalance = cut ? this.prepaidByScheme[c * 2 + s] - this.claimsYear[c] * w : balance * w;
        const now = payment.scheme(c, s);
        const rules = now.settle ? now : this.prepaidBy[c * 2 + s];
        if (!rules?.settle) throw new AccountingError(`package ${id}: no payment scheme settles its ${s === EMPLOYEE_SCHEME ? "employee" : "resident"} part`);
        // the overspend share draws on the fund net of claims it still owes (fund guard; = the balance when none are deferred)
        const part = rules.settle(partBalance, reserveBefore * w, settlementHeadroom(L.balances[this.insurer[s]], this.outstanding[s]));
        if (partBalance >= 0) {
          L.post(this.pkg[c], this.reserve[c], part.retained, "surplus retained");
          L.post(this.pkg[c], this.insurer[s], part.returned, "surplus returned");
          this.flows.returned[s] += part.returned;
        } else {
          L.post(this.reserve[c], this.pkg[c], part.fromReserve, "deficit from reserve");
          L.post(this.insurer[s], this.pkg[c], part.insurerPays, "overspend shared by insurer");
          L.post(this.communityFunds[c], this.pkg[c], part.communityBears, "overspend borne by community");
          this.flows.overspend[s] += part.insurerPays;
        }
        r.retained += part.retained;
        r.returned += part.returned;
        r.fromReserve += part.fromReserve;
        r.insurerPays += part.insurerPays;
        r.communityBears += part.communityBears;
      }
      if (rec) {
        const { counters, month } = rec;
        counters.settlementRetained[month] += r.retained;
        counters.settlementReturned[month] += r.returned;
        counters.settlementFromReserve[month] += r.fromReserve;
        counters.settlementInsurerPays[month] += r.insurerPays;
        counters.settlementCommunityBears[month] += r.communityBears;
        if (partialYear) counters.settlementPartialYear[month] = 1;
      }
      assertClose(`package ${id} settled to zero`, L.balances[this.pkg[c]], 0, Math.max(1, prepaidTotal));
      this.prepaidYear[c] = 0;
      this.prepaidByScheme[c * 2] = 0;
      this.prepaidByScheme[c * 2 + 1] = 0;
      this.entitledByScheme[c * 2] = 0;
      this.entitledByScheme[c * 2 + 1] = 0;
      this.cutYear[c] = 0;
      this.claimsYear[c] = 0;
      this.activeYear[c] = 0;
      this.prepaidBy[c * 2] = null;
      this.prepaidBy[c * 2 + 1] = null;
    }
    this.settleCaseBudgets(rec);
  }

  /**
   * Year-end settlement of case payments under a budget (DRG points, 年终清算): the point
   * value that spends exactly the year's budget (sim/payment/drg.ts), and each facility
   * paid (or paying back) the difference between its points × value − its patients'
   * payments and the interim payments it had. Checks that the insurer paid exactly the budget.
   */
  private settleCaseBudgets(rec: Recorder): void {
    const L = this.ledger;
    const F = this.facility.length;
    for (let slot = 0; slot < this.drgBudgetYear.length; slot++) {
      const scheme = this.drgBy[slot];
      if (!scheme?.pointValue) continue;
      const s = slot & 1;
      const budget = this.drgBudgetYear[slot];
      let points = 0;
      let patient = 0;
      for (let f = 0; f < F; f++) {
        points += this.drgPoints[slot * F + f];
        patient += this.drgPatient[slot * F + f];
      }
      if (points > 0) {
        const value = scheme.pointValue(budget, points, patient);
        let paid = 0;
        let settlement = 0;
        for (let f = 0; f < F; f++) {
          const j = slot * F + f;
          if (this.drgPoints[j] === 0 && this.drgInterim[j] === 0) continue;
          const adjustment = this.drgPoints[j] * value - this.drgPatient[j] - this.drgInterim[j];
          if (adjustment >= 0) L.post(this.insurer[s], this.facility[f], adjustment, "DRG settlement");
          else L.post(this.facility[f], this.insurer[s], -adjustment, "DRG settlement paid back");
          this.caseClaimsYear[slot * N_TIERS + this.facTier[f]] += adjustment;
          paid += this.drgInterim[j] + adjustment;
          settlement += adjustment;
        }
        const id = this.county.communities[slot >> 1].id;
        assertClose(`DRG ${id} ${s === EMPLOYEE_SCHEME ? "employee" : "resident"}: the insurer paid the year's budget (budget-neutral point value)`, paid, budget);
        this.flows.insurerClaims[s] += settlement;
        this.charged.payments += settlement;
        if (rec) {
          const { counters, month } = rec;
          counters.drgSettlement[month] += settlement;
          counters.drgPayments[month] += settlement;
          counters.casePayments[month] += settlement;
          counters.insurerClaims[month] += settlement;
        }
      }
      this.drgPoints.fill(0, slot * F, slot * F + F);
      this.drgInterim.fill(0, slot * F, slot * F + F);
      this.drgPatient.fill(0, slot * F, slot * F + F);
      this.drgBudgetYear[slot] = 0;
      this.drgBy[slot] = null;
    }
  }

  /** The accounting identities, checked at the end of every month. */
  check(when: string): void {
    const L = this.ledger;
    const { charged, flows } = this;
    let facilities = 0;
    for (const a of this.facility) facilities += L.balances[a];
    // whatever the payment scheme: what facilities received is what schemes paid plus what residents and assistance paid
    assertClose(`${when}: facility revenue = scheme payments + out-of-pocket + assistance`, facilities, charged.payments + charged.oop + charged.assistance);
    assertClose(`${when}: residents' payments = out-of-pocket charged`, -L.balances[this.residents], charged.oop);
    assertClose(`${when}: medical assistance paid`, -L.balances[this.assistance], charged.assistance);
    assertClose(`${when}: claims clearing account empty`, L.balances[this.clearing], 0, Math.max(1, charged.cost));
    // a case paid at a fixed standard (per-disease price, bed-days × rate) brings the facility exactly its standard
    assertClose(`${when}: revenue of cases paid at a fixed standard = their standard (or their patients' payments, when more)`, this.fixedStandard.revenue, this.fixedStandard.expected);
    for (let s = 0; s < 2; s++) {
      const name = s === EMPLOYEE_SCHEME ? "employee" : "resident";
      const expected = flows.premiums[s] - flows.insurerClaims[s] + flows.deferred[s] - flows.repaid[s] - flows.prepaid[s] + flows.returned[s] - flows.overspend[s];
      assertClose(`${when}: insurance fund ${name} = revenue − claims (incurred) + claims deferred − deferred claims paid − prepayments + returns − overspend`, L.balances[this.insurer[s]], expected);
      assertClose(`${when}: claims the ${name} fund owes = deferred − paid`, -L.balances[this.payable[s]], flows.deferred[s] - flows.repaid[s]);
      assertClose(`${when}: claims the ${name} fund owes (kept apart)`, this.outstanding[s], flows.deferred[s] - flows.repaid[s]);
      // 基金不穿底: under the guard a fund never ends a month below zero, or below where it began the month if it began below zero
      const floor = Math.min(0, this.openingBalance[s]);
      if (this.guardOn && L.balances[this.insurer[s]] < floor - 1e-6 * Math.max(1, flows.premiums[s]))
        throw new AccountingError(`${when}: the ${name} insurance fund is at ${L.balances[this.insurer[s]].toFixed(2)} under fundNeverNegative (floor ${floor.toFixed(2)})`);
    }
    for (let c = 0; c < this.pkg.length; c++) {
      assertClose(`${when}: package ${this.county.communities[c].id} = prepaid − claims`, L.balances[this.pkg[c]], this.packageBalance(c), Math.max(1, this.prepaidYear[c]));
    }
    let total = 0;
    for (let a = 0; a < L.balances.length; a++) total += L.balances[a];
    if (!Number.isFinite(total)) throw new AccountingError(`${when}: a balance is not a finite number`);
    assertClose(`${when}: books balance (sum of all accounts)`, total, 0, Math.max(1, charged.cost + flows.premiums[0] + flows.premiums[1]));
  }

  /** A community's retained surplus (结余留用 reserve), yuan. */
  reserveBalance(c: number): number {
    return this.ledger.balances[this.reserve[c]];
  }

  /**
   * Spend from a community's retained reserve: bonuses to its primary staff (002 §26) or
   * investment in primary capacity. Never more than the reserve holds.
   */
  spendReserve(c: number, amount: number, use: "staffBonuses" | "primaryInvestment", rec: Recorder): void {
    const available = this.reserveBalance(c);
    if (!(amount >= 0) || amount > available + 1e-6 * Math.max(1, available))
      throw new AccountingError(`${use} of ${amount.toFixed(2)} from reserve:${this.county.communities[c].id} which holds ${available.toFixed(2)}`);
    this.ledger.post(this.reserve[c], use === "staffBonuses" ? this.staffBonuses : this.primaryInvestment, amount, use);
    if (rec) rec.counters[use][rec.month] += amount;
  }

  /** A community's package this year so far: prepaid − claims. */
  packageBalance(c: number): number {
    return this.prepaidYear[c] - this.claimsYear[c];
  }

  insuranceFunds(): number {
    return this.ledger.balances[this.insurer[0]] + this.ledger.balances[this.insurer[1]];
  }

  /** One insurance fund's balance (0 resident, 1 employee), yuan. */
  insuranceFund(s: number): number {
    return this.ledger.balances[this.insurer[s]];
  }

  /** Claims the insurance funds have deferred (fund guard) and not yet paid, yuan. */
  deferredClaims(): number {
    return this.outstanding[0] + this.outstanding[1];
  }

  retainedReserves(): number {
    return this.reserve.reduce((a, r) => a + this.ledger.balances[r], 0);
  }

  /** Final balance of every account, by name. */
  accounts(): Record<string, number> {
    const out: Record<string, number> = {};
    this.ledger.names.forEach((name, i) => (out[name] = this.ledger.balances[i]));
    return out;
  }
}
