/**
 * Doctors as agents (医务人员): every licensed doctor and village doctor of the county is one
 * record with a post, a grade and a GP flag, simulated at full size whatever `--scale`
 * (the county's few thousand doctors cost nothing; capacity is scaled with the
 * population instead, so staff flows do not depend on the scale).
 *
 * Once a year (January) the workforce changes, in this order (the year's plan,
 * `Workforce.yearPlan`; `yigongti plan` prints it inside the supply side's January):
 *   1. rotations end   — county doctors back from their grassroots year
 *   2. promotion       — attending doctors due for senior grade are promoted; where the
 *                        rule requires a grassroots year first (004 §五(一)) and they have
 *                        none, they spend this year at a member township instead
 *   3. exits           — doctors leave the county (retire, go to the city): logistic in
 *                        the pay gap to out-of-county posts (sim/staff/mobility.ts)
 *   4. upward moves    — township doctors take posts at their community's lead hospital
 *                        when it has vacancies and recruits from its members; willingness
 *                        from pay and workload gaps; without pooled quotas (编制统筹) a
 *                        transfer is frictional; the recruitment rule may cap or forbid it
 *   5. downward moves  — the lead hospital posts doctors to member townships (needs pooled
 *                        quotas; 县招乡用), and a few county doctors move down by choice
 *   6. recruitment     — new graduates choose a county post, a township post or a post
 *                        outside the county by pay (logit); pooled quotas make township
 *                        posts more attractive (编制 held by the community); a graduate whose
 *                        choice has no vacancy is lost to the county; village posts are
 *                        refilled locally (乡聘村用)
 *
 * Every doctor is always at one facility or counted as having left: checked each year.
 */
import type { County } from "../county/generate";
import { Plan } from "../engine/plan";
import { AccountingError } from "../ledger";
import { uniform } from "../random";
import { COUNTY, TOWNSHIP, VILLAGE, OUT_OF_COUNTY } from "../tier";
import { moveProbability } from "./mobility";
import type { Parameters } from "../parameters";

export const JUNIOR = 0;
export const ATTENDING = 1;
export const SENIOR = 2;

/** The workforce parameters, declared with their ranges, units and meanings in sim/parameters.ts (`staff`). */
export type StaffParameters = Parameters["staff"];

export interface WorkforcePolicy {
  pooledQuota: boolean;
  leadRecruitmentFromMembers: "free" | "capped" | "forbidden";
  /** with "capped": at most this share of the community's township doctors per year */
  recruitmentCapShare: number;
  promotionRequiresGrassrootsYear: boolean;
}

export interface StaffYearInputs {
  /** calendar year (random keys) */
  year: number;
  /** pay per doctor-year at each facility */
  pay: Float64Array;
  /** last year's workload (load ÷ capacity) at each facility */
  workload: Float64Array;
  /** doctors each county hospital wants this year (its beds × starting doctors per bed) */
  countyTarget: Float64Array;
  /** per community: how actively the lead recruits from members (0…1), share of its doctors posted down */
  recruitFromMembers: Float64Array;
  postingShare: Float64Array;
  policy: WorkforcePolicy;
}

export interface StaffFlows {
  primaryToCounty: number;
  countyToPrimary: number;
  postedDown: number;
  rotationsToPrimary: number;
  exits: number;
  recruitsCounty: number;
  recruitsPrimary: number;
  promotions: number;
}

/** A year's working state, passed from step to step of the year's plan. */
export interface StaffYear {
  readonly x: StaffYearInputs;
  /** doctors at the start of the year (this year's recruits are not moved again) */
  readonly n0: number;
  readonly flows: StaffFlows;
  /** village doctors who left, and where (to be refilled locally) */
  villageExits: number;
  readonly villageExitsAt: number[];
  /** moved up this year (a doctor moves at most once a year) */
  readonly movedUp: Uint8Array;
}

export type StaffYearPlan = Plan<StaffYear, Workforce>;

const zeroFlows = (): StaffFlows => ({ primaryToCounty: 0, countyToPrimary: 0, postedDown: 0, rotationsToPrimary: 0, exits: 0, recruitsCounty: 0, recruitsPrimary: 0, promotions: 0 });

/**
 * A graduate's choice: 0 = county post, 1 = township post, 2 = outside the county, by a
 * logit over intercept + payElasticity × ln(pay ÷ county pay), inverted from one uniform.
 */
export function graduateChoice(p: StaffParameters, townshipBoost: number, countyPay: number, townshipPay: number, u: number): 0 | 1 | 2 {
  const e = p.upward.payElasticity;
  const wCounty = 1;
  const wTown = Math.exp(p.graduateTownshipIntercept + townshipBoost + e * Math.log(townshipPay / countyPay));
  const wOut = Math.exp(p.graduateOutsideIntercept + e * Math.log(p.basePay.outOfCounty / countyPay));
  const total = wCounty + wTown + wOut;
  return u * total < wCounty ? 0 : u * total < wCounty + wTown ? 1 : 2;
}

/** Decisions keyed per doctor and year. */
const GRADUATE_KEY = 0x40000000;
const D = { exit: 1, upward: 2, downward: 3, graduate: 4, order: 5, villageReplace: 6, rotation: 7, posting: 8 } as const;

export class Workforce {
  /** current post (facility index), −1 = left the county */
  facility: Int32Array;
  /** county post to return to after a grassroots rotation, −1 = not rotating */
  home: Int32Array;
  grade: Uint8Array;
  gp: Uint8Array;
  yearsInGrade: Uint8Array;
  /** has served a year at the grassroots (promotion rule) */
  grassroots: Uint8Array;
  /** doctors ever created (starting staff + recruits) */
  count = 0;
  readonly initial: number;
  exited = 0;
  /** headcount per facility (doctors whose post is there, rotations included) */
  readonly headcount: Float64Array;
  readonly headcountAtStart: Float64Array;
  /** doctors of each county hospital away on a grassroots rotation (their posts stay held) */
  readonly away: Float64Array;
  /** member township centres of each community; lead hospital of each community */
  private readonly memberCentres: number[][];
  private readonly leads: number[];
  private readonly leadOfTownshipCentre: Int32Array;
  private readonly communityOfFacility: Int16Array;
  private readonly tier: Int8Array;
  /** the year's steps, used unless `year` is given another plan */
  private readonly plan: StaffYearPlan = Workforce.yearPlan();

  constructor(private readonly county: County, private readonly p: StaffParameters, private readonly key: number) {
    const F = county.facilities.length;
    this.tier = Int8Array.from(county.facilities, (f) => f.tier);
    this.communityOfFacility = Int16Array.from(county.facilities, (f) => f.community);
    this.memberCentres = county.communities.map((c) => c.townships.map((t) => county.townships[t].centre));
    this.leads = county.communities.map((c) => c.lead);
    const firstCounty = county.facilities.findIndex((f) => f.tier === COUNTY);
    this.leadOfTownshipCentre = new Int32Array(F).fill(-1);
    for (const t of county.townships) this.leadOfTownshipCentre[t.centre] = t.community >= 0 ? county.communities[t.community].lead : firstCounty;
    // Staff at full size: the county's description divided back by the scale.
    const start = county.facilities.map((f) => (f.tier === OUT_OF_COUNTY ? 0 : Math.max(f.doctors > 0 ? 1 : 0, Math.round(f.doctors / county.scale))));
    const total = start.reduce((a, b) => a + b, 0);
    const cap = total * 4 + 1000;
    this.facility = new Int32Array(cap).fill(-1);
    this.home = new Int32Array(cap).fill(-1);
    this.grade = new Uint8Array(cap);
    this.gp = new Uint8Array(cap);
    this.yearsInGrade = new Uint8Array(cap);
    this.grassroots = new Uint8Array(cap);
    this.headcount = new Float64Array(F);
    this.away = new Float64Array(F);
    start.forEach((n, f) => {
      for (let k = 0; k < n; k++) {
        const d = this.count++;
        this.facility[d] = f;
        const t = this.tier[f];
        const u = uniform(key, d, 0, 1);
        this.grade[d] = t === VILLAGE ? JUNIOR : u < p.gradeShare.junior ? JUNIOR : u < p.gradeShare.junior + p.gradeShare.attending ? ATTENDING : SENIOR;
        const gpShare = t === VILLAGE ? p.gpShare.village : t === TOWNSHIP ? p.gpShare.township : p.gpShare.county;
        this.gp[d] = uniform(key, d, 0, 2) < gpShare ? 1 : 0;
        this.yearsInGrade[d] = Math.floor(uniform(key, d, 0, 3) * p.yearsToPromotion);
        this.grassroots[d] = t === COUNTY ? 0 : 1;
      }
    });
    this.initial = this.count;
    this.recount();
    this.headcountAtStart = this.headcount.slice();
  }

  private recount(): void {
    this.headcount.fill(0);
    for (let d = 0; d < this.count; d++) if (this.facility[d] >= 0) this.headcount[this.facility[d]]++;
  }

  /** Doctors (and GPs) at primary tiers (village + township), county hospitals. */
  stock(): { village: number; township: number; county: number; gpPrimary: number; gpAll: number } {
    const s = { village: 0, township: 0, county: 0, gpPrimary: 0, gpAll: 0 };
    for (let d = 0; d < this.count; d++) {
      const f = this.facility[d];
      if (f < 0) continue;
      const t = this.tier[f];
      if (t === VILLAGE) s.village++;
      else if (t === TOWNSHIP) s.township++;
      else if (t === COUNTY) s.county++;
      if (this.gp[d]) {
        s.gpAll++;
        if (t !== COUNTY) s.gpPrimary++;
      }
    }
    return s;
  }

  private create(f: number, gp: boolean): void {
    if (this.count >= this.facility.length) this.grow();
    const d = this.count++;
    this.facility[d] = f;
    this.grade[d] = JUNIOR;
    this.gp[d] = gp ? 1 : 0;
    this.yearsInGrade[d] = 0;
    this.grassroots[d] = this.tier[f] === COUNTY ? 0 : 1;
    this.headcount[f]++;
  }

  private grow(): void {
    const n = this.facility.length * 2;
    const g = <T extends Int32Array | Uint8Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.fill(fill as never);
      b.set(a);
      return b;
    };
    this.facility = g(this.facility, -1);
    this.home = g(this.home, -1);
    this.grade = g(this.grade, 0);
    this.gp = g(this.gp, 0);
    this.yearsInGrade = g(this.yearsInGrade, 0);
    this.grassroots = g(this.grassroots, 0);
  }

  private move(d: number, to: number): void {
    this.headcount[this.facility[d]]--;
    this.facility[d] = to;
    this.headcount[to]++;
  }

  /** The member township centre with the fewest doctors relative to its start (ties: lowest index). */
  private neediestCentre(c: number): number {
    let best = -1;
    let bestRatio = Infinity;
    for (const f of this.memberCentres[c]) {
      const r = this.headcount[f] / Math.max(1, this.headcountAtStart[f]);
      if (r < bestRatio) {
        bestRatio = r;
        best = f;
      }
    }
    return best;
  }

  /** The year's steps (see the file comment); a fresh plan each call. */
  static yearPlan(): StaffYearPlan {
    const M = "sim/staff/workforce.ts";
    return new Plan<StaffYear, Workforce>("the workforce's year", [
      { label: "rotations end", module: M, doc: "county doctors back from their grassroots year", run: (w, staff) => staff.rotationsEnd(w) },
      { label: "promotion", module: M, doc: "attending doctors due are promoted; where the rule requires a grassroots year first (004 §五(一)) they spend this year at a member township", run: (w, staff) => staff.promotion(w) },
      { label: "exits", module: M, doc: "doctors leave the county (retire, go to the city): logistic in the pay gap (sim/staff/mobility.ts)", run: (w, staff) => staff.exits(w) },
      { label: "upward moves", module: M, doc: "township doctors take vacancies at their lead hospital (frictional without pooled quotas 编制统筹; capped or forbidden by the recruitment rule)", run: (w, staff) => staff.upwardMoves(w) },
      { label: "downward moves", module: M, doc: "the lead hospital posts doctors to member townships (pooled quotas, 县招乡用); a few county doctors move down by choice", run: (w, staff) => staff.downwardMoves(w) },
      { label: "recruitment", module: M, doc: "graduates choose a county, township or outside post by pay (logit); village posts refilled locally (乡聘村用)", run: (w, staff) => staff.recruitment(w) },
      { label: "staff conserved", module: M, doc: "every doctor at one facility or counted as having left", run: (w, staff) => staff.check(w.x.year) },
    ]);
  }

  /** One year of staff change, by `plan` (default: this workforce's own year plan). */
  year(x: StaffYearInputs, plan: StaffYearPlan = this.plan): StaffFlows {
    const w: StaffYear = { x, n0: this.count, flows: zeroFlows(), villageExits: 0, villageExitsAt: [], movedUp: new Uint8Array(this.count) };
    plan.run(w, this);
    return w.flows;
  }

  private rotationsEnd(w: StaffYear): void {
    const n0 = w.n0;
    for (let d = 0; d < n0; d++) {
      if (this.home[d] >= 0 && this.facility[d] >= 0) {
        this.move(d, this.home[d]);
        this.grassroots[d] = 1;
      }
      this.home[d] = -1;
    }
    this.away.fill(0);
  }

  /** Promotion, and the grassroots year it may require. */
  private promotion(w: StaffYear): void {
    const { p } = this;
    const { x, n0, flows } = w;
    const y = x.year;
    for (let d = 0; d < n0; d++) {
      const f = this.facility[d];
      if (f < 0) continue;
      if (this.yearsInGrade[d] < 255) this.yearsInGrade[d]++;
      if (this.grade[d] === SENIOR || this.yearsInGrade[d] < p.yearsToPromotion) continue;
      const c = this.communityOfFacility[f];
      if (this.grade[d] === ATTENDING && this.tier[f] === COUNTY && x.policy.promotionRequiresGrassrootsYear && !this.grassroots[d] && c >= 0 && this.memberCentres[c].length > 0) {
        const centres = this.memberCentres[c];
        const to = centres[Math.floor(uniform(this.key, d, y, D.rotation) * centres.length)];
        this.home[d] = f;
        this.away[f]++;
        this.move(d, to);
        flows.rotationsToPrimary++;
        continue;
      }
      this.grade[d]++;
      this.yearsInGrade[d] = 0;
      flows.promotions++;
    }
  }

  /** Exits (rotating doctors stay for their year). */
  private exits(w: StaffYear): void {
    const { p } = this;
    const { x, n0, flows } = w;
    const y = x.year;
    const outsidePay = p.basePay.outOfCounty;
    for (let d = 0; d < n0; d++) {
      const f = this.facility[d];
      if (f < 0 || this.home[d] >= 0) continue;
      const t = this.tier[f];
      const m = t === VILLAGE ? p.exit.village : t === TOWNSHIP ? p.exit.township : p.exit.county;
      if (uniform(this.key, d, y, D.exit) < moveProbability(m, x.pay[f], outsidePay, x.workload[f], 1)) {
        this.headcount[f]--;
        this.facility[d] = -1;
        this.exited++;
        flows.exits++;
        if (t === VILLAGE) {
          w.villageExits++;
          w.villageExitsAt.push(f);
        }
      }
    }
  }

  /** Upward moves: township doctors to their community's lead hospital. */
  private upwardMoves(w: StaffYear): void {
    const { p } = this;
    const { x, n0, flows } = w;
    const y = x.year;
    const hiredFromMembers = new Float64Array(this.leads.length);
    // a doctor moves at most once a year
    const movedUp = w.movedUp;
    const memberDoctors = this.leads.map((_l, c) => this.memberCentres[c].reduce((a, f) => a + this.headcount[f], 0));
    const rule = x.policy.leadRecruitmentFromMembers;
    // visit township doctors in a seeded order so that no facility is always first in line
    const order: { d: number; u: number }[] = [];
    for (let d = 0; d < n0; d++) {
      const f = this.facility[d];
      if (f >= 0 && this.home[d] < 0 && this.tier[f] === TOWNSHIP) order.push({ d, u: uniform(this.key, d, y, D.order) });
    }
    order.sort((a, b) => a.u - b.u || a.d - b.d);
    if (rule === "forbidden") return;
    for (const { d } of order) {
      const f = this.facility[d];
      const lead = this.leadOfTownshipCentre[f];
      if (lead < 0) continue;
      if (this.headcount[lead] + this.away[lead] >= x.countyTarget[lead]) continue;
      const c = this.communityOfFacility[f];
      const intensity = c >= 0 ? x.recruitFromMembers[c] : 1;
      if (c >= 0 && rule === "capped" && hiredFromMembers[c] >= x.policy.recruitmentCapShare * memberDoctors[c]) continue;
      const friction = x.policy.pooledQuota ? 1 : p.transferFriction;
      const prob = intensity * friction * moveProbability(p.upward, x.pay[f], x.pay[lead], x.workload[f], x.workload[lead]);
      if (uniform(this.key, d, y, D.upward) < prob) {
        this.move(d, lead);
        this.grassroots[d] = 1;
        movedUp[d] = 1;
        if (c >= 0) hiredFromMembers[c]++;
        flows.primaryToCounty++;
      }
    }
  }

  /** Downward moves: postings by the lead hospital (pooled quotas), then by choice. */
  private downwardMoves(w: StaffYear): void {
    const { p } = this;
    const { x, n0, flows, movedUp } = w;
    const y = x.year;
    if (x.policy.pooledQuota) {
      this.leads.forEach((lead, c) => {
        let k = Math.round(x.postingShare[c] * this.headcount[lead]);
        if (k <= 0 || this.memberCentres[c].length === 0) return;
        // junior and attending doctors, in a seeded order so no doctor is always first in line
        const candidates: { d: number; u: number }[] = [];
        for (let d = 0; d < n0; d++) {
          if (this.facility[d] !== lead || this.home[d] >= 0 || movedUp[d] || this.grade[d] === SENIOR) continue;
          candidates.push({ d, u: uniform(this.key, d, y, D.posting) });
        }
        candidates.sort((a, b) => a.u - b.u || a.d - b.d);
        for (const { d } of candidates.slice(0, k)) {
          this.move(d, this.neediestCentre(c));
          this.grassroots[d] = 1;
          flows.postedDown++;
          flows.countyToPrimary++;
        }
      });
    }
    for (let d = 0; d < n0; d++) {
      const f = this.facility[d];
      if (f < 0 || this.home[d] >= 0 || this.tier[f] !== COUNTY || movedUp[d]) continue;
      const c = this.communityOfFacility[f];
      if (c < 0 || this.memberCentres[c].length === 0) continue;
      const to = this.neediestCentre(c);
      if (uniform(this.key, d, y, D.downward) < moveProbability(p.downward, x.pay[f], x.pay[to], x.workload[f], x.workload[to])) {
        this.move(d, to);
        this.grassroots[d] = 1;
        flows.countyToPrimary++;
      }
    }
  }

  /** Recruitment: graduates choose a county post, a township post or one outside the county; village posts refilled locally. */
  private recruitment(w: StaffYear): void {
    const { p } = this;
    const { x, flows } = w;
    const y = x.year;
    const townshipVacancy = (f: number) => this.headcountAtStart[f] - this.headcount[f];
    const graduates = Math.round((p.graduatesPer10k * this.populationFullSize()) / 1e4);
    for (let g = 0; g < graduates; g++) {
      // the county hospital and the township centre with most vacancies (ties: lowest index)
      let county = -1;
      let countyGap = 0;
      let town = -1;
      let townGap = 0;
      for (const lead of this.leads) {
        const gap = x.countyTarget[lead] - this.headcount[lead] - this.away[lead];
        if (gap >= 1 && gap > countyGap) (countyGap = gap), (county = lead);
      }
      for (const cs of this.memberCentres)
        for (const f of cs) {
          const gap = townshipVacancy(f);
          if (gap >= 1 && gap > townGap) (townGap = gap), (town = f);
        }
      if (county < 0 && town < 0) break;
      // With pooled quotas the community offers township posts on county terms (县招乡用) as far as it wants primary staff: not at all when it recruits freely from its members.
      const c = town >= 0 ? this.communityOfFacility[town] : -1;
      const boost = x.policy.pooledQuota && c >= 0 ? p.pooledQuotaTownshipBoost * (1 - x.recruitFromMembers[c]) : 0;
      const to = graduateChoice(p, boost, county >= 0 ? x.pay[county] : p.basePay.county, town >= 0 ? x.pay[town] : p.basePay.township, uniform(this.key, GRADUATE_KEY + g, y, D.graduate));
      const f = to === 0 ? county : to === 1 ? town : -1;
      if (f < 0) continue; // went elsewhere, or the post they wanted is filled
      const isTown = this.tier[f] === TOWNSHIP;
      this.create(f, isTown && uniform(this.key, GRADUATE_KEY + g, y, D.graduate + 10) < p.graduateGpShare);
      if (isTown) flows.recruitsPrimary++;
      else flows.recruitsCounty++;
    }
    // village posts refilled locally
    for (let k = 0; k < w.villageExits; k++) {
      if (uniform(this.key, k, y, D.villageReplace) < p.villageReplacement) {
        this.create(w.villageExitsAt[k], false);
        flows.recruitsPrimary++;
      }
    }
  }

  private populationFullSize(): number {
    return this.county.villages.reduce((a, v) => a + v.population, 0) / this.county.scale;
  }

  /** Staff are conserved: every doctor ever created is at a facility or has left. */
  check(year: number): void {
    let placed = 0;
    for (let d = 0; d < this.count; d++) if (this.facility[d] >= 0) placed++;
    if (placed + this.exited !== this.count)
      throw new AccountingError(`${year}: staff not conserved: ${placed} in post + ${this.exited} left ≠ ${this.count} doctors`);
    let counted = 0;
    for (let f = 0; f < this.headcount.length; f++) counted += this.headcount[f];
    if (counted !== placed) throw new AccountingError(`${year}: headcounts (${counted}) ≠ doctors in post (${placed})`);
  }
}
