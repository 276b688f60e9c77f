/**
 * The supply side as an actor: doctors who move, capacity and quality that follow them,
 * and a lead hospital that sets its strategy from how its community is paid.
 *
 * Monthly, the engine calls `setMonthlyLevers` (the operational levers — downward-referral
 * effort and openness to primary-treatable patients — respond as soon as the payment
 * regime changes) and `observeMonth` (loads and capacities); as a sink of the episode
 * kernel it hears of every encounter (cost and claims by tier). Each January of a
 * recorded year it runs its January plan (`SupplySide.januaryPlan`), which
 *   1. closes last year's observation (workload, occupancy, cost and claim per encounter);
 *   2. sets each lead hospital's structural levers (sim/strategy/leadHospital.ts);
 *   3. grows or trims the lead hospital's beds;
 *   4. pays primary-staff bonuses and primary investment out of the community's retained
 *      surplus (books: reserve → external accounts);
 *   5. sets pay by post (the pay reform);
 *   6. moves the staff one year on (sim/staff/workforce.ts: a plan of its own);
 *   7. sends doctor-days down; 8. recomputes capacity and perceived quality from staff.
 */
import type { CountyBooks, Recorder } from "./books";
import type { County } from "./county/generate";
import type { Encounter, EncounterSink } from "./engine/encounter";
import type { Parameters } from "./parameters";
import type { Policy } from "./policy";
import { annualPay, workload } from "./staff/mobility";
import { inpatientCapacity, outpatientCapacity, townshipQualityShift, WORKING_DAYS_PER_MONTH } from "./staff/capacity";
import { Plan } from "./engine/plan";
import { Workforce, type StaffFlows, type StaffYearPlan } from "./staff/workforce";
import type { CommunityPayments } from "./payment/registry";
import { leadHospitalLevers, NEUTRAL_LEVERS, paymentSignal, type LeadLevers, type PaymentSituation } from "./strategy/leadHospital";
import { COUNTY, N_TIERS, RESIDENT_SCHEME, TIERS, TOWNSHIP, VILLAGE } from "./tier";

interface LastYear {
  countyCost: number;
  countyClaim: number;
  townshipClaim: number;
}

/** One January's working state, passed from step to step. */
export interface SupplyYear {
  readonly policy: Policy;
  /** the payment schemes in force (sim/payment/registry.ts) */
  readonly payment: CommunityPayments;
  readonly books: CountyBooks;
  readonly rec: Recorder;
  /** calendar year */
  readonly year: number;
  /** doctors each county hospital wants this year */
  readonly countyTarget: Float64Array;
  /** per community: how actively the lead recruits from members; share of its doctors posted down */
  readonly recruit: Float64Array;
  readonly posting: Float64Array;
  /** per community: surplus bonus per primary doctor (full size) */
  readonly bonusPerDoctor: Float64Array;
  /** pay per doctor-year at each facility */
  readonly pay: Float64Array;
  flows: StaffFlows | null;
}

export type JanuaryPlan = Plan<SupplyYear, SupplySide>;

/** The supply side's January steps (a fresh plan). */
export const januaryPlan = (): JanuaryPlan => SupplySide.januaryPlan();

export class SupplySide implements EncounterSink {
  readonly staff: Workforce;
  /** beds per facility (scaled like the population) */
  readonly beds: Float64Array;
  readonly opCapacity: Float64Array;
  readonly ipCapacity: Float64Array;
  /** perceived-quality shift per facility (township centres), added to the facility's quality offset */
  readonly qualityShift: Float64Array;
  /** per community: openness to primary-treatable patients (≤ 0) and downward-referral effort (0…1) */
  readonly openness: Float64Array;
  readonly downwardEffort: Float64Array;
  /** per community: the payment signal the lead hospital read this month (−1 … 1, sim/strategy/leadHospital.ts; 0 before a year is observed) — also the primary doctor's incentive at a required first contact (sim/gatekeeping.ts) */
  readonly paymentSignal: Float64Array;
  /** per community: this year's structural levers */
  readonly levers: LeadLevers[];
  /** per community: doctor-days per member township per month */
  readonly sendDownDays: Float64Array;
  /** observation of the year in progress: cost, claims and encounters by tier */
  private readonly tierCost = new Float64Array(N_TIERS);
  private readonly tierClaims = new Float64Array(N_TIERS);
  private readonly tierEncounters = new Float64Array(N_TIERS);
  stock: ReturnType<Workforce["stock"]>;
  primaryCapacityIndex = 1;

  private readonly F: number;
  private readonly tier: Int8Array;
  private readonly community: Int16Array;
  private readonly beds0: Float64Array;
  private readonly bedsPerDoctor: Float64Array;
  private readonly invested: Float64Array;
  private readonly visitingFte: Float64Array;
  private readonly lentFte: Float64Array;
  private readonly yearOpLoad: Float64Array;
  private readonly yearIpLoad: Float64Array;
  private readonly yearOpCap: Float64Array;
  private readonly yearIpCap: Float64Array;
  private monthsObserved = 0;
  private last: LastYear | null = null;
  private readonly lastWorkload: Float64Array;
  private readonly lastOccupancy: Float64Array;
  private readonly primaryCapacityAtStart: number;
  private sharedDiagnostics = false;
  /** the January steps, used unless `january` is given another plan */
  private readonly plan: JanuaryPlan = SupplySide.januaryPlan();

  constructor(private readonly county: County, private readonly P: Parameters, staffKey: number) {
    const F = (this.F = county.facilities.length);
    const C = county.communities.length;
    this.tier = Int8Array.from(county.facilities, (f) => f.tier);
    this.community = Int16Array.from(county.facilities, (f) => f.community);
    this.staff = new Workforce(county, P.staff, staffKey);
    this.beds = Float64Array.from(county.facilities, (f) => f.beds);
    this.beds0 = this.beds.slice();
    // Beds a doctor can staff, from the starting ratio (scaled beds per scaled doctor).
    this.bedsPerDoctor = Float64Array.from(county.facilities, (f, i) => {
      const fte = this.staff.headcountAtStart[i] * county.scale;
      return fte > 0 ? f.beds / fte : 0;
    });
    this.opCapacity = new Float64Array(F);
    this.ipCapacity = new Float64Array(F);
    this.qualityShift = new Float64Array(F);
    this.openness = new Float64Array(C);
    this.downwardEffort = new Float64Array(C);
    this.paymentSignal = new Float64Array(C);
    this.levers = county.communities.map(() => NEUTRAL_LEVERS);
    this.sendDownDays = new Float64Array(C);
    this.invested = new Float64Array(F);
    this.visitingFte = new Float64Array(F);
    this.lentFte = new Float64Array(F);
    this.yearOpLoad = new Float64Array(F);
    this.yearIpLoad = new Float64Array(F);
    this.yearOpCap = new Float64Array(F);
    this.yearIpCap = new Float64Array(F);
    this.lastWorkload = new Float64Array(F).fill(1);
    this.lastOccupancy = new Float64Array(F);
    this.updateCapacity();
    this.primaryCapacityAtStart = this.primaryCapacity();
    this.stock = this.staff.stock();
  }

  /**
   * Outpatient capacity of the village clinics and township centres that have one: a tier
   * without a capacity norm (capacity.outpatientVisitsPerDoctorPerMonth = 0, unconstrained)
   * has infinite capacity, which cannot grow or shrink, and is left out (it made the
   * index ∞/∞ = NaN). With neither tier constrained the sum is 0 and the index stays 1.
   */
  private primaryCapacity(): number {
    let s = 0;
    for (let f = 0; f < this.F; f++) if ((this.tier[f] === VILLAGE || this.tier[f] === TOWNSHIP) && Number.isFinite(this.opCapacity[f])) s += this.opCapacity[f];
    return s;
  }

  /** Capacity from staff (own, rotating, visiting, lent out) and beds; quality from staff and support. */
  private updateCapacity(): void {
    const { P, county } = this;
    const hc = this.staff.headcount;
    for (let f = 0; f < this.F; f++) {
      const t = TIERS[this.tier[f]];
      const fte = Math.max(0, hc[f] + this.visitingFte[f] - this.lentFte[f]) * county.scale;
      this.opCapacity[f] = outpatientCapacity(fte, P.capacity.outpatientVisitsPerDoctorPerMonth[t]);
      this.ipCapacity[f] = inpatientCapacity(this.beds[f], fte, this.bedsPerDoctor[f], P.capacity.averageLengthOfStay[t]);
      this.qualityShift[f] =
        this.tier[f] === TOWNSHIP
          ? townshipQualityShift(P.quality, hc[f], this.staff.headcountAtStart[f], this.visitingFte[f], this.invested[f], this.sharedDiagnostics)
          : 0;
    }
    this.primaryCapacityIndex = this.primaryCapacityAtStart > 0 ? this.primaryCapacity() / this.primaryCapacityAtStart : 1;
  }

  /** An encounter into the year's observation (what the lead hospital reads next January). */
  encounter(e: Encounter): void {
    const t = e.tier;
    this.tierCost[t] += e.cost;
    this.tierClaims[t] += e.payment;
    this.tierEncounters[t]++;
  }

  /** Add a month's loads (and the capacities they met) to the year's observation. */
  observeMonth(opLoad: Float64Array, ipLoad: Float64Array): void {
    for (let f = 0; f < this.F; f++) {
      this.yearOpLoad[f] += opLoad[f];
      this.yearIpLoad[f] += ipLoad[f];
      this.yearOpCap[f] += this.opCapacity[f];
      this.yearIpCap[f] += this.ipCapacity[f];
    }
    this.monthsObserved++;
  }

  /** What the community's payment (its resident-scheme members') makes of last year's costs and claims. */
  private situation(payment: CommunityPayments, c: number): PaymentSituation {
    const last = this.last!;
    return {
      payment: payment.scheme(c, RESIDENT_SCHEME),
      countyCostPerEncounter: last.countyCost,
      countyClaimPerEncounter: last.countyClaim,
      townshipClaimPerEncounter: last.townshipClaim,
    };
  }

  /** Operational levers for this month's policy: openness and downward-referral effort per community. */
  setMonthlyLevers(policy: Policy, payment: CommunityPayments): void {
    const L = this.P.leadHospital;
    for (let c = 0; c < this.county.communities.length; c++) {
      if (!this.last) {
        this.openness[c] = 0;
        this.downwardEffort[c] = 0;
        this.paymentSignal[c] = 0;
        continue;
      }
      const lv = leadHospitalLevers(paymentSignal(this.situation(payment, c), L.margin), 0, L, policy.workforce.pooledQuota);
      this.openness[c] = lv.openness;
      this.downwardEffort[c] = lv.downwardEffort;
      this.paymentSignal[c] = lv.signal;
    }
  }

  /** The January steps (see the file comment); a fresh plan each call, the workforce's year nested in it. */
  static januaryPlan(): JanuaryPlan {
    const M = "sim/supply.ts";
    const staffYear = Workforce.yearPlan();
    return new Plan<SupplyYear, SupplySide>("the supply side's January", [
      { label: "close year", module: M, doc: "last year's workload, bed occupancy, cost and claim per encounter by tier", run: (y, sup) => sup.closeYear() },
      { label: "strategy", module: "sim/strategy/leadHospital.ts", doc: "each lead hospital's payment signal (fee-for-service margin vs the package's retained share) → its structural levers", run: (y, sup) => sup.strategy(y) },
      { label: "beds", module: M, doc: "the lead hospital's beds grow or shrink; county hospitals' doctor targets follow their beds", run: (y, sup) => sup.bedsYear(y) },
      { label: "reserve", module: "sim/books.ts", doc: "primary-staff bonuses and primary investment out of the community's retained surplus (reserve → external accounts)", run: (y, sup) => sup.spendReserves(y) },
      { label: "pay", module: "sim/staff/mobility.ts", doc: "pay by post: base pay, primary pay uplift (pay reform), surplus bonus per primary doctor", run: (y, sup) => sup.payYear(y) },
      { label: "staff", module: "sim/staff/workforce.ts", doc: "doctors move one year on (plan below) from pay and last year's workload; flows recorded", plan: staffYear, run: (y, sup) => sup.staffYear(y, staffYear) },
      { label: "send down", module: M, doc: "doctor-days sent down to member townships (派驻), lent from the lead hospital's own capacity", run: (y, sup) => sup.sendDown(y) },
      { label: "capacity", module: "sim/staff/capacity.ts", doc: "capacity from staff and beds; township quality from staff, visiting doctors, investment and shared diagnostics", run: (y, sup) => sup.capacityYear(y) },
    ]);
  }

  /** The January step of a recorded year, by `plan` (default: this supply side's own). Returns the staff flows. */
  january(policy: Policy, payment: CommunityPayments, books: CountyBooks, rec: Recorder, year: number, plan: JanuaryPlan = this.plan): StaffFlows {
    const F = this.F;
    const C = this.county.communities.length;
    const y: SupplyYear = {
      policy, payment, books, rec, year,
      countyTarget: new Float64Array(F),
      recruit: new Float64Array(C),
      posting: new Float64Array(C),
      bonusPerDoctor: new Float64Array(C),
      pay: new Float64Array(F),
      flows: null,
    };
    plan.run(y, this);
    return y.flows!;
  }

  /** 1. Close last year's observation. */
  private closeYear(): void {
    const F = this.F;
    if (this.monthsObserved > 0) {
      const per = (a: number, b: number) => (b > 0 ? a / b : 0);
      this.last = {
        countyCost: per(this.tierCost[COUNTY], this.tierEncounters[COUNTY]),
        countyClaim: per(this.tierClaims[COUNTY], this.tierEncounters[COUNTY]),
        townshipClaim: per(this.tierClaims[TOWNSHIP], this.tierEncounters[TOWNSHIP]),
      };
      for (let f = 0; f < F; f++) {
        this.lastWorkload[f] = workload(this.yearOpLoad[f], this.yearOpCap[f]);
        this.lastOccupancy[f] = this.yearIpCap[f] > 0 && Number.isFinite(this.yearIpCap[f]) ? this.yearIpLoad[f] / this.yearIpCap[f] : 0;
      }
    }
    for (const a of [this.yearOpLoad, this.yearIpLoad, this.yearOpCap, this.yearIpCap, this.tierCost, this.tierClaims, this.tierEncounters]) a.fill(0);
    this.monthsObserved = 0;
  }

  /** 2. Structural levers of each lead hospital. */
  private strategy(y: SupplyYear): void {
    const { P, county } = this;
    const C = county.communities.length;
    let signalSum = 0;
    for (let c = 0; c < C; c++) {
      const lead = county.communities[c].lead;
      const lv = this.last
        ? leadHospitalLevers(paymentSignal(this.situation(y.payment, c), P.leadHospital.margin), this.lastOccupancy[lead], P.leadHospital, y.policy.workforce.pooledQuota)
        : NEUTRAL_LEVERS;
      this.levers[c] = lv;
      signalSum += lv.signal;
      y.recruit[c] = lv.recruitFromMembers;
      y.posting[c] = lv.postingShare;
    }
    this.signalMean = C > 0 ? signalSum / C : 0;
  }

  /** 3. Beds, and the doctors each county hospital wants for them. */
  private bedsYear(y: SupplyYear): void {
    const { county } = this;
    const countyTarget = y.countyTarget;
    for (let f = 0; f < this.F; f++) if (this.tier[f] === COUNTY) countyTarget[f] = this.staff.headcountAtStart[f];
    for (let c = 0; c < county.communities.length; c++) {
      const lead = county.communities[c].lead;
      this.beds[lead] *= 1 + this.levers[c].bedGrowth;
      countyTarget[lead] = this.staff.headcountAtStart[lead] * (this.beds[lead] / Math.max(1e-9, this.beds0[lead]));
    }
  }

  /** 4. Bonuses and investment from the retained surplus (money at the run's scale; per doctor at full size). */
  private spendReserves(y: SupplyYear): void {
    const { county } = this;
    const { books, rec } = y;
    const w = y.policy.workforce;
    const C = county.communities.length;
    const hc = this.staff.headcount;
    const primaryDoctors = new Float64Array(C);
    for (let f = 0; f < this.F; f++) if (this.community[f] >= 0 && (this.tier[f] === VILLAGE || this.tier[f] === TOWNSHIP)) primaryDoctors[this.community[f]] += hc[f];
    for (let c = 0; c < C; c++) {
      const bonus = w.surplusBonusShare * Math.max(0, books.reserveBalance(c));
      if (bonus > 0) {
        books.spendReserve(c, bonus, "staffBonuses", rec);
        y.bonusPerDoctor[c] = primaryDoctors[c] > 0 ? bonus / county.scale / primaryDoctors[c] : 0;
      }
      const invest = this.levers[c].investmentShare * Math.max(0, books.reserveBalance(c));
      const centres = county.communities[c].townships.map((t) => county.townships[t].centre);
      if (invest > 0 && centres.length > 0) {
        books.spendReserve(c, invest, "primaryInvestment", rec);
        for (const f of centres) this.invested[f] += invest / county.scale / centres.length;
      }
    }
  }

  /** 5. Pay by post. */
  private payYear(y: SupplyYear): void {
    const P = this.P;
    const w = y.policy.workforce;
    for (let f = 0; f < this.F; f++) {
      const t = this.tier[f];
      const primary = t === VILLAGE || t === TOWNSHIP;
      const base = t === VILLAGE ? P.staff.basePay.village : t === TOWNSHIP ? P.staff.basePay.township : t === COUNTY ? P.staff.basePay.county : P.staff.basePay.outOfCounty;
      y.pay[f] = annualPay(base, primary ? w.primaryPayUplift : 0, primary && this.community[f] >= 0 ? y.bonusPerDoctor[this.community[f]] : 0);
    }
  }

  /** 6. The workforce's year (sim/staff/workforce.ts), and its flows into the counters. */
  private staffYear(y: SupplyYear, plan: StaffYearPlan): void {
    const w = y.policy.workforce;
    const flows = this.staff.year(
      {
        year: y.year,
        pay: y.pay,
        workload: this.lastWorkload,
        countyTarget: y.countyTarget,
        recruitFromMembers: y.recruit,
        postingShare: y.posting,
        policy: {
          pooledQuota: w.pooledQuota,
          leadRecruitmentFromMembers: w.leadRecruitmentFromMembers,
          recruitmentCapShare: w.recruitmentCapShare,
          promotionRequiresGrassrootsYear: w.promotionRequiresGrassrootsYear,
        },
      },
      plan,
    );
    y.flows = flows;
    if (y.rec) {
      const { counters: k, month: m } = y.rec;
      k.staffPrimaryToCounty[m] += flows.primaryToCounty;
      k.staffCountyToPrimary[m] += flows.countyToPrimary;
      k.staffPostedDown[m] += flows.postedDown;
      k.staffRotations[m] += flows.rotationsToPrimary;
      k.staffExits[m] += flows.exits;
      k.staffRecruitsCounty[m] += flows.recruitsCounty;
      k.staffRecruitsPrimary[m] += flows.recruitsPrimary;
    }
  }

  /** 7. Doctor-days sent down (drawn from the lead hospital's own capacity). */
  private sendDown(y: SupplyYear): void {
    const { county } = this;
    const w = y.policy.workforce;
    this.visitingFte.fill(0);
    this.lentFte.fill(0);
    for (let c = 0; c < county.communities.length; c++) {
      const days = Math.max(w.minimumSendDownDays, this.levers[c].sendDownDays);
      this.sendDownDays[c] = days;
      const lead = county.communities[c].lead;
      for (const t of county.communities[c].townships) {
        const fte = days / WORKING_DAYS_PER_MONTH;
        this.visitingFte[county.townships[t].centre] += fte;
        this.lentFte[lead] += fte;
      }
    }
  }

  /** 8. Capacity and quality follow staff. */
  private capacityYear(y: SupplyYear): void {
    this.sharedDiagnostics = y.policy.workforce.sharedDiagnostics;
    this.updateCapacity();
    this.stock = this.staff.stock();
  }

  /** mean payment signal of the lead hospitals this year (−1 … 1) */
  signalMean = 0;

  /** Doctor-days sent down this month, full size. */
  doctorDaysSentDown(): number {
    let s = 0;
    this.county.communities.forEach((c, ci) => (s += this.sendDownDays[ci] * c.townships.length));
    return s;
  }

  /** Record the month's stocks. */
  recordStocks(rec: NonNullable<Recorder>, residents: number): void {
    const { counters: k, month: m } = rec;
    k.doctorsVillage[m] = this.stock.village;
    k.doctorsTownship[m] = this.stock.township;
    k.doctorsCounty[m] = this.stock.county;
    k.gpAll[m] = this.stock.gpAll;
    k.gpPrimary[m] = this.stock.gpPrimary;
    k.population[m] = residents / this.county.scale;
    let beds = 0;
    for (let f = 0; f < this.F; f++) if (this.tier[f] === COUNTY) beds += this.beds[f];
    k.countyBeds[m] = beds / this.county.scale;
    k.primaryCapacityIndex[m] = this.primaryCapacityIndex;
    k.leadSignal[m] = this.signalMean;
    k.sendDownDoctorDays[m] += this.doctorDaysSentDown();
  }
}
