/**
 * The supply side as an actor: doctors who move, capacity and quality that follow them,
 * and a lead hospital that sets its strategy from how its community is paid.
 *
 * Monthly, the engine calls `setMonthlyLevers` (the operational levers — downward-referral
 * effort and openness to primary-treatable patients — respond as soon as the payment
 * regime changes) and `observeMonth` (loads, capacities, costs and claims by tier). Each
 * January of a recorded year it calls `january`, which
 *   1. closes last year's observation (workload, occupancy, cost and claim per encounter);
 *   2. sets each lead hospital's structural levers (sim/strategy/leadHospital.ts);
 *   3. grows or trims the lead hospital's beds;
 *   4. pays primary-staff bonuses and primary investment out of the community's retained
 *      surplus (books: reserve → external accounts);
 *   5. moves the staff one year on (sim/staff/workforce.ts), with pay from the pay reform;
 *   6. sends doctor-days down, and recomputes capacity and perceived quality from staff.
 */
import type { CountyBooks, Recorder } from "./books";
import type { County } from "./county/generate";
import type { Parameters } from "./parameters";
import type { Policy } from "./policy";
import { annualPay, workload } from "./staff/mobility";
import { inpatientCapacity, outpatientCapacity, townshipQualityShift, WORKING_DAYS_PER_MONTH } from "./staff/capacity";
import { Workforce, type StaffFlows } from "./staff/workforce";
import { leadHospitalLevers, NEUTRAL_LEVERS, paymentSignal, type LeadLevers } from "./strategy/leadHospital";
import { COUNTY, N_TIERS, TIERS, TOWNSHIP, VILLAGE } from "./tier";

interface LastYear {
  countyCost: number;
  countyClaim: number;
  townshipClaim: number;
}

export class SupplySide {
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
  /** per community: this year's structural levers */
  readonly levers: LeadLevers[];
  /** per community: doctor-days per member township per month */
  readonly sendDownDays: Float64Array;
  /** observation of the year in progress */
  readonly tierCost = new Float64Array(N_TIERS);
  readonly tierClaims = new Float64Array(N_TIERS);
  readonly tierEncounters = new Float64Array(N_TIERS);
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

  private primaryCapacity(): number {
    let s = 0;
    for (let f = 0; f < this.F; f++) if (this.tier[f] === VILLAGE || this.tier[f] === TOWNSHIP) s += this.opCapacity[f];
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

  private situation(policy: Policy, capitated: boolean) {
    const last = this.last!;
    return {
      capitated,
      surplusRetainedShare: policy.payment.capitation.surplusRetainedShare,
      countyCostPerEncounter: last.countyCost,
      countyClaimPerEncounter: last.countyClaim,
      townshipClaimPerEncounter: last.townshipClaim,
    };
  }

  /** Operational levers for this month's policy: openness and downward-referral effort per community. */
  setMonthlyLevers(policy: Policy, capitated: Uint8Array): void {
    const L = this.P.leadHospital;
    for (let c = 0; c < this.county.communities.length; c++) {
      if (!this.last) {
        this.openness[c] = 0;
        this.downwardEffort[c] = 0;
        continue;
      }
      const lv = leadHospitalLevers(paymentSignal(this.situation(policy, capitated[c * 2] === 1), L.margin), 0, L, policy.workforce.pooledQuota);
      this.openness[c] = lv.openness;
      this.downwardEffort[c] = lv.downwardEffort;
    }
  }

  /** The January step of a recorded year (see the file comment). Returns the staff flows. */
  january(policy: Policy, capitated: Uint8Array, books: CountyBooks, rec: Recorder, year: number): StaffFlows {
    const { P, county } = this;
    const F = this.F;
    const C = county.communities.length;
    const hc = this.staff.headcount;
    // 1. close last year's observation
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
    this.sharedDiagnostics = policy.workforce.sharedDiagnostics;
    const w = policy.workforce;
    // 2. structural levers; 3. beds
    const countyTarget = new Float64Array(F);
    for (let f = 0; f < F; f++) if (this.tier[f] === COUNTY) countyTarget[f] = this.staff.headcountAtStart[f];
    const recruit = new Float64Array(C);
    const posting = new Float64Array(C);
    let signalSum = 0;
    for (let c = 0; c < C; c++) {
      const lead = county.communities[c].lead;
      const lv = this.last
        ? leadHospitalLevers(paymentSignal(this.situation(policy, capitated[c * 2] === 1), P.leadHospital.margin), this.lastOccupancy[lead], P.leadHospital, w.pooledQuota)
        : NEUTRAL_LEVERS;
      this.levers[c] = lv;
      signalSum += lv.signal;
      this.beds[lead] *= 1 + lv.bedGrowth;
      countyTarget[lead] = this.staff.headcountAtStart[lead] * (this.beds[lead] / Math.max(1e-9, this.beds0[lead]));
      recruit[c] = lv.recruitFromMembers;
      posting[c] = lv.postingShare;
    }
    // 4. bonuses and investment from the retained surplus (money at the run's scale; per doctor at full size)
    const bonusPerDoctor = new Float64Array(C);
    const primaryDoctors = new Float64Array(C);
    for (let f = 0; f < F; f++) if (this.community[f] >= 0 && (this.tier[f] === VILLAGE || this.tier[f] === TOWNSHIP)) primaryDoctors[this.community[f]] += hc[f];
    for (let c = 0; c < C; c++) {
      const bonus = w.surplusBonusShare * Math.max(0, books.reserveBalance(c));
      if (bonus > 0) {
        books.spendReserve(c, bonus, "staffBonuses", rec);
        bonusPerDoctor[c] = primaryDoctors[c] > 0 ? bonus / county.scale / primaryDoctors[c] : 0;
      }
      const invest = this.levers[c].investmentShare * Math.max(0, books.reserveBalance(c));
      const centres = county.communities[c].townships.map((t) => county.townships[t].centre);
      if (invest > 0 && centres.length > 0) {
        books.spendReserve(c, invest, "primaryInvestment", rec);
        for (const f of centres) this.invested[f] += invest / county.scale / centres.length;
      }
    }
    // 5. staff: pay by post, last year's workload
    const pay = new Float64Array(F);
    for (let f = 0; f < F; f++) {
      const t = this.tier[f];
      const primary = t === VILLAGE || t === TOWNSHIP;
      const base = t === VILLAGE ? P.staff.basePay.village : t === TOWNSHIP ? P.staff.basePay.township : t === COUNTY ? P.staff.basePay.county : P.staff.basePay.outOfCounty;
      pay[f] = annualPay(base, primary ? w.primaryPayUplift : 0, primary && this.community[f] >= 0 ? bonusPerDoctor[this.community[f]] : 0);
    }
    const flows = this.staff.year({
      year,
      pay,
      workload: this.lastWorkload,
      countyTarget,
      recruitFromMembers: recruit,
      postingShare: posting,
      policy: {
        pooledQuota: w.pooledQuota,
        leadRecruitmentFromMembers: w.leadRecruitmentFromMembers,
        recruitmentCapShare: w.recruitmentCapShare,
        promotionRequiresGrassrootsYear: w.promotionRequiresGrassrootsYear,
      },
    });
    // 6. doctor-days sent down (drawn from the lead hospital's own capacity)
    this.visitingFte.fill(0);
    this.lentFte.fill(0);
    for (let c = 0; c < C; c++) {
      const days = Math.max(w.minimumSendDownDays, this.levers[c].sendDownDays);
      this.sendDownDays[c] = days;
      const lead = county.communities[c].lead;
      for (const t of county.communities[c].townships) {
        const fte = days / WORKING_DAYS_PER_MONTH;
        this.visitingFte[county.townships[t].centre] += fte;
        this.lentFte[lead] += fte;
      }
    }
    this.updateCapacity();
    this.stock = this.staff.stock();
    if (rec) {
      const { counters: k, month: m } = rec;
      k.staffPrimaryToCounty[m] += flows.primaryToCounty;
      k.staffCountyToPrimary[m] += flows.countyToPrimary;
      k.staffPostedDown[m] += flows.postedDown;
      k.staffRotations[m] += flows.rotationsToPrimary;
      k.staffExits[m] += flows.exits;
      k.staffRecruitsCounty[m] += flows.recruitsCounty;
      k.staffRecruitsPrimary[m] += flows.recruitsPrimary;
    }
    this.signalMean = C > 0 ? signalSum / C : 0;
    return flows;
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
