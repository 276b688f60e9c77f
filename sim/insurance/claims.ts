/**
 * Pricing encounters under the month's insurance rules: the rate tables by insurance
 * group, the claim of one encounter (deductible, rate, caps, referral rules, bypass,
 * poverty protection, family-doctor benefits), the path of choosing a facility (its own
 * treatment, or a gateway encounter and the referred treatment — beginPath and its legs,
 * read both for the OOP of choosing and by the kernel posting the claims), and the
 * month-start table of those OOPs that most episodes read.
 *
 * Insurance group g = scheme * 4 + poor * 2 + contracted (8 groups). Everything here is
 * allocation-free: results go into `claim` (see CLAIM_* in reimbursement.ts).
 */
import type { Parameters } from "../parameters";
import type { Policy } from "../policy";
import { COUNTY, INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, SEVERITIES, TIERS, TOWNSHIP, VILLAGE, isPrimaryTier } from "../tier";
import { NOT_REFERRED, REFERRED_UP, inpatientDeductibleDueFast, outpatientDeductibleDue } from "./deductible";
import { CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED, CLAIM_SIZE, bypassRate, povertyAdjusted, settleClaim } from "./reimbursement";

export const N_GROUPS = 8;

export class ClaimPricer {
  /** the last priced claim */
  readonly claim = new Float64Array(CLAIM_SIZE);
  /** unit costs this year, [tier * N_SEVERITIES + severity] */
  readonly costOutpatient = new Float64Array(N_TIERS * N_SEVERITIES);
  readonly costInpatient = new Float64Array(N_TIERS * N_SEVERITIES);
  /** inpatient deductible standards, [g * N_TIERS + tier] (for the township-difference rule) */
  readonly ipDeductible = new Float64Array(N_GROUPS * N_TIERS);
  /** annual caps per scheme and the registered-poor OOP ceiling (Infinity = none) */
  readonly opCap = new Float64Array(2);
  readonly ipCap = new Float64Array(2);
  poorOopCap = Infinity;

  // fresh-state table: see buildFreshTable
  readonly oopFresh: Float64Array;
  readonly maxOpReimb = new Float64Array(N_GROUPS * 2 * N_SEVERITIES);
  readonly maxIpReimb = new Float64Array(N_GROUPS * 2 * N_SEVERITIES);
  readonly maxPathOop = new Float64Array(N_GROUPS * 2 * N_SEVERITIES);
  readonly maxOpDeductible = new Float64Array(N_GROUPS);

  /** outpatient and inpatient reimbursement along the last priced option's path */
  pathOpReimb = 0;
  pathIpReimb = 0;

  private readonly opDed = new Float64Array(N_GROUPS * N_TIERS);
  private readonly opRate = new Float64Array(N_GROUPS * N_TIERS);
  private readonly ipRate = new Float64Array(N_GROUPS * N_TIERS);
  private readonly bypassReduction = new Float64Array(N_TIERS);
  /** share of cost inside the insurance catalogue (目录内), by tier */
  readonly inPolicy: Float64Array;
  private bypassOn = false;
  /** a required first contact's care without referral: reimbursed at the bypass rate ("reduced") or not at all */
  private withoutReferralReimbursed = false;
  private oneOneOne = false;
  /**
   * the "1+1+1" bundle of the resident being priced (set by the kernel for each resident):
   * the county hospital (its community's lead) and the city hospital (the nearest out of county)
   */
  bundleCounty = -1;
  bundleCity = -1;
  private continuous = false;
  private upDiff = false;
  private downWaive = false;
  /**
   * 市级统筹 (policy insurance.pooling.level = city): facilities in the city pool (inPool) are
   * priced at these per-group deductibles and rates — the county tier's, less
   * insurance.pooling.inPoolRateReduction points — instead of the out-of-county tier's
   */
  private poolOn = false;
  private readonly poolOpDed = new Float64Array(N_GROUPS);
  private readonly poolOpRate = new Float64Array(N_GROUPS);
  private readonly poolIpDed = new Float64Array(N_GROUPS);
  private readonly poolIpRate = new Float64Array(N_GROUPS);

  constructor(
    /** tier of each facility */
    private readonly facTier: Int8Array,
    /** referral directory (sim/referral.ts) */
    private readonly refDir: Int32Array,
    private readonly P: Parameters,
    /** 1 for an out-of-county facility inside the prefecture (county file outOfCounty[].inPrefecture), by facility */
    private readonly inPool: Uint8Array = new Uint8Array(facTier.length),
  ) {
    this.inPolicy = Float64Array.from(TIERS, (t) => P.costs.inPolicyShare[t]);
    this.oopFresh = new Float64Array(N_GROUPS * 2 * N_SEVERITIES * facTier.length);
  }

  /** unit costs this year ÷ 2018 (set by prepare) */
  priceIndex = 1;

  /** Rate tables for a month's policy; unit costs at `priceIndex` × 2018 prices. */
  prepare(p: Policy, priceIndex: number): void {
    this.priceIndex = priceIndex;
    const ins = p.insurance;
    const fd = p.familyDoctor;
    const schemes = [ins.resident, ins.employee];
    for (let s = 0; s < 2; s++) {
      this.opCap[s] = schemes[s].outpatient.annualCap;
      this.ipCap[s] = schemes[s].inpatient.annualCap;
      for (let poor = 0; poor < 2; poor++) {
        for (let contracted = 0; contracted < 2; contracted++) {
          const g = s * 4 + poor * 2 + contracted;
          TIERS.forEach((t, ti) => {
            let od = schemes[s].outpatient.deductible[t];
            let or = schemes[s].outpatient.rate[t];
            let id = schemes[s].inpatient.deductible[t];
            let ir = schemes[s].inpatient.rate[t];
            if (poor) {
              // 健康扶贫: lower deductible, higher rate
              [od, or] = povertyAdjusted(od, or, ins.poverty.deductibleFactor, ins.poverty.rateBonus);
              [id, ir] = povertyAdjusted(id, ir, ins.poverty.deductibleFactor, ins.poverty.rateBonus);
            }
            if (contracted && isPrimaryTier(ti)) {
              // 家庭医生签约: benefits at the contracted primary facilities
              if (fd.waiveOutpatientDeductible) od = 0;
              or = Math.min(1, or + fd.primaryRateBonus);
              ir = Math.min(1, ir + fd.primaryRateBonus);
            }
            this.opDed[g * N_TIERS + ti] = od;
            this.opRate[g * N_TIERS + ti] = or;
            this.ipDeductible[g * N_TIERS + ti] = id;
            this.ipRate[g * N_TIERS + ti] = ir;
          });
        }
      }
    }
    // the bypass penalty: switched on by itself, or as the first-contact rule's incentive form (sim/gatekeeping.ts)
    this.bypassOn = ins.bypass.enabled || ins.firstContact.rule === "incentive";
    this.withoutReferralReimbursed = ins.firstContact.reimbursedWithoutReferral === "reduced";
    TIERS.forEach((t, ti) => (this.bypassReduction[ti] = ins.bypass.rateReduction[t]));
    this.oneOneOne = fd.model === "1+1+1";
    this.continuous = ins.referralRules.continuousDeductible;
    this.upDiff = ins.referralRules.upwardPaysDifference;
    this.downWaive = ins.referralRules.downwardWaivesDeductible;
    this.poorOopCap = ins.poverty.annualOopCap > 0 ? ins.poverty.annualOopCap : Infinity;
    this.poolOn = ins.pooling?.level === "city" && this.inPool.includes(1);
    if (this.poolOn) {
      const reduction = ins.pooling!.inPoolRateReduction;
      for (let g = 0; g < N_GROUPS; g++) {
        const k = g * N_TIERS + COUNTY;
        this.poolOpDed[g] = this.opDed[k];
        this.poolOpRate[g] = Math.max(0, this.opRate[k] - reduction);
        this.poolIpDed[g] = this.ipDeductible[k];
        this.poolIpRate[g] = Math.max(0, this.ipRate[k] - reduction);
      }
    }
    const c = this.P.costs;
    TIERS.forEach((t, ti) =>
      SEVERITIES.forEach((s, si) => {
        this.costOutpatient[ti * N_SEVERITIES + si] = c.outpatientPerVisit[t] * c.outpatientSeverityFactor[s] * priceIndex;
        this.costInpatient[ti * N_SEVERITIES + si] = c.inpatientPerAdmission[t] * c.inpatientSeverityFactor[s] * priceIndex;
      }),
    );
  }

  /**
   * Settle one encounter's claim into `claim` (no state change). The resident's annual
   * state (outpatient deductible paid, reimbursement so far, OOP so far) is passed in, so
   * the fresh-state table and the per-resident path share one computation.
   */
  price(
    g: number, f: number, care: number, cost: number, referral: number, paidEarlier: number, refTownshipStd: number,
    opPaid: number, opReimb: number, ipReimb: number, oopYear: number,
  ): void {
    const t = this.facTier[f];
    const s = g >> 2;
    // 1+1+1: contracted residents use their bundle's county and city hospitals freely (002 §7:
    // 签约居民可在签约组合内任意选择一家医疗机构就诊); other hospitals need a referral as for anyone
    const referredOrContracted = referral !== NOT_REFERRED || (this.oneOneOne && (g & 1) === 1 && (f === this.bundleCounty || f === this.bundleCity));
    const oopCapLeft = (g & 2) !== 0 ? this.poorOopCap - oopYear : Infinity;
    const bypass = this.bypassOn && t >= COUNTY;
    const pooled = this.poolOn && this.inPool[f] === 1;
    if (care === OUTPATIENT) {
      const due = outpatientDeductibleDue(pooled ? this.poolOpDed[g] : this.opDed[g * N_TIERS + t], opPaid);
      const rate = bypassRate(pooled ? this.poolOpRate[g] : this.opRate[g * N_TIERS + t], referredOrContracted, bypass, this.bypassReduction[t]);
      settleClaim(cost, this.inPolicy[t], due, rate, this.opCap[s] - opReimb, oopCapLeft, this.claim);
    } else {
      const due = inpatientDeductibleDueFast(pooled ? this.poolIpDed[g] : this.ipDeductible[g * N_TIERS + t], referral, paidEarlier, refTownshipStd, this.continuous, this.upDiff, this.downWaive);
      const rate = bypassRate(pooled ? this.poolIpRate[g] : this.ipRate[g * N_TIERS + t], referredOrContracted, bypass, this.bypassReduction[t]);
      settleClaim(cost, this.inPolicy[t], due, rate, this.ipCap[s] - ipReimb, oopCapLeft, this.claim);
    }
  }

  /**
   * Settle into `claim` an encounter at a county or out-of-county facility f that a
   * required first contact (sim/gatekeeping.ts) did not refer: with
   * `reimbursedWithoutReferral` "reduced" at the rate less the bypass reduction, with
   * "none" not reimbursed at all — outside insurance, so it counts towards no deductible.
   * Caps and medical assistance for the registered poor apply as to any encounter.
   * On a path, priceReferredLegWithoutReferral prices its referred leg so.
   */
  priceWithoutReferral(g: number, f: number, care: number, cost: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): void {
    const t = this.facTier[f];
    const s = g >> 2;
    const oopCapLeft = (g & 2) !== 0 ? this.poorOopCap - oopYear : Infinity;
    const covered = this.withoutReferralReimbursed;
    const pooled = this.poolOn && this.inPool[f] === 1;
    if (care === OUTPATIENT) {
      const due = covered ? outpatientDeductibleDue(pooled ? this.poolOpDed[g] : this.opDed[g * N_TIERS + t], opPaid) : 0;
      const rate = covered ? bypassRate(pooled ? this.poolOpRate[g] : this.opRate[g * N_TIERS + t], false, true, this.bypassReduction[t]) : 0;
      settleClaim(cost, this.inPolicy[t], due, rate, this.opCap[s] - opReimb, oopCapLeft, this.claim);
    } else {
      const due = covered ? (pooled ? this.poolIpDed[g] : this.ipDeductible[g * N_TIERS + t]) : 0;
      const rate = covered ? bypassRate(pooled ? this.poolIpRate[g] : this.ipRate[g * N_TIERS + t], false, true, this.bypassReduction[t]) : 0;
      settleClaim(cost, this.inPolicy[t], due, rate, this.ipCap[s] - ipReimb, oopCapLeft, this.claim);
    }
  }

  // ---- a path of care: beginPath (or beginGatedPath), then priceFirstLeg (and priceReferredLeg when referred) ----
  /** the path's first facility (first contact) and where the episode is treated (itself, or where it is referred: the path has a second leg) */
  pathFirst = 0;
  pathDest = 0;
  /** the first leg: the treatment at pathFirst, or (referred) the gateway encounter there */
  firstCare = 0;
  firstCost = 0;
  /** the referred treatment's care and cost at pathDest */
  pathCare = 0;
  referredCost = 0;
  private pathG = 0;
  /** what a gateway stay leaves for the referred admission: the deductible paid, the township standard (上转补交差额) */
  private carriedPaid = 0;
  private carriedTownshipStd = 0;

  /**
   * Start the path of choosing facility f for an episode (care, severity) of a group-g
   * resident: its own treatment when f can treat it; otherwise the gateway encounter at f
   * — a consultation, or where f has beds a stay ending in transfer — then the treatment at
   * the facility the referral directory sends it to (`pathDest`), referred up. The one
   * definition of a path: `optionOop` prices it for choosing, the kernel
   * (sim/engine/kernel.ts) prices and posts the chosen one.
   */
  beginPath(g: number, f: number, care: number, sev: number): void {
    const t = this.facTier[f];
    const dest = this.refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
    const costs = care === OUTPATIENT ? this.costOutpatient : this.costInpatient;
    this.pathG = g;
    this.pathCare = care;
    this.pathFirst = f;
    this.pathDest = dest;
    this.carriedPaid = 0;
    this.carriedTownshipStd = 0;
    if (dest === f) {
      this.firstCare = care;
      this.firstCost = costs[t * N_SEVERITIES + sev];
    } else if (care === INPATIENT && t !== VILLAGE) {
      this.firstCare = INPATIENT;
      this.firstCost = this.P.costs.transferStayFactor * this.costInpatient[t * N_SEVERITIES + sev];
    } else {
      this.firstCare = OUTPATIENT;
      this.firstCost = this.costOutpatient[t * N_SEVERITIES + MINOR];
    }
    this.referredCost = dest === f ? 0 : costs[this.facTier[dest] * N_SEVERITIES + sev];
  }

  /**
   * Start the path of a required first contact (sim/gatekeeping.ts) that refers: the
   * primary doctor's consultation at `gateway` (the resident's clinic or centre), then the
   * treatment at `dest` (where the facility the resident wanted treats the episode),
   * referred up. The first leg is a consultation, so it carries nothing to the referred
   * leg: that leg may be priced before it (what going with a referral would cost).
   */
  beginGatedPath(g: number, gateway: number, dest: number, care: number, sev: number): void {
    const costs = care === OUTPATIENT ? this.costOutpatient : this.costInpatient;
    this.pathG = g;
    this.pathCare = care;
    this.pathFirst = gateway;
    this.pathDest = dest;
    this.carriedPaid = 0;
    this.carriedTownshipStd = 0;
    this.firstCare = OUTPATIENT;
    this.firstCost = this.costOutpatient[this.facTier[gateway] * N_SEVERITIES + MINOR];
    this.referredCost = costs[this.facTier[dest] * N_SEVERITIES + sev];
  }

  /**
   * Price the path's first leg into `claim` under the given annual state; returns its OOP.
   * `cost` is the leg's cost: firstCost, or what the caller made of it (an admission's
   * case weight and case-based delivery, upstream tests in its bill: sim/engine/kernel.ts).
   */
  priceFirstLeg(cost: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): number {
    const g = this.pathG;
    const f = this.pathFirst;
    this.price(g, f, this.firstCare, cost, NOT_REFERRED, 0, 0, opPaid, opReimb, ipReimb, oopYear);
    this.carriedPaid = 0;
    this.carriedTownshipStd = 0;
    if (this.pathDest !== f && this.firstCare === INPATIENT) {
      // 连续计算起付线 / 上转补交差额: the referred admission counts what the stay paid
      this.carriedPaid = this.claim[CLAIM_DEDUCTIBLE_PAID];
      const t = this.facTier[f];
      if (t === TOWNSHIP) this.carriedTownshipStd = this.ipDeductible[g * N_TIERS + t];
    }
    return this.claim[CLAIM_OOP];
  }

  /** Price the referred treatment (after priceFirstLeg, when pathDest ≠ pathFirst) at `cost` (referredCost, or what the caller made of it) under the annual state the caller passes; returns its OOP. */
  priceReferredLeg(cost: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): number {
    this.price(this.pathG, this.pathDest, this.pathCare, cost, REFERRED_UP, this.carriedPaid, this.carriedTownshipStd, opPaid, opReimb, ipReimb, oopYear);
    return this.claim[CLAIM_OOP];
  }

  /** The referred leg's treatment had without the referral (a gated path whose patient was not referred and went anyway): priceWithoutReferral; returns its OOP. */
  priceReferredLegWithoutReferral(cost: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): number {
    this.priceWithoutReferral(this.pathG, this.pathDest, this.pathCare, cost, opPaid, opReimb, ipReimb, oopYear);
    return this.claim[CLAIM_OOP];
  }

  /**
   * What choosing facility f costs the patient: the path of beginPath with every leg
   * priced at the resident's annual state as it is when choosing. Leaves the path's
   * outpatient and inpatient reimbursement in pathOpReimb / pathIpReimb.
   */
  optionOop(g: number, f: number, care: number, sev: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): number {
    this.beginPath(g, f, care, sev);
    const claim = this.claim;
    this.pathOpReimb = 0;
    this.pathIpReimb = 0;
    const oop = this.priceFirstLeg(this.firstCost, opPaid, opReimb, ipReimb, oopYear);
    if (this.firstCare === OUTPATIENT) this.pathOpReimb = claim[CLAIM_REIMBURSED];
    else this.pathIpReimb = claim[CLAIM_REIMBURSED];
    if (this.pathDest === f) return oop;
    const referred = this.priceReferredLeg(this.referredCost, opPaid, opReimb, ipReimb, oopYear);
    if (care === OUTPATIENT) this.pathOpReimb += claim[CLAIM_REIMBURSED];
    else this.pathIpReimb += claim[CLAIM_REIMBURSED];
    return oop + referred;
  }

  /**
   * Month-start table of each option's OOP for a resident whose annual state does not yet
   * bind (no outpatient deductible paid, far from caps): most episodes read it instead of
   * pricing every option. oopFresh[((g * 2 + care) * N_SEVERITIES + sev) * F + f]. The
   * maxima over options tell `isFresh` when the table is exact for a resident.
   */
  buildFreshTable(): void {
    const F = this.facTier.length;
    // built for no "1+1+1" bundle: a resident whose bundle changes their OOP reads pricesBundle
    this.bundleCounty = -1;
    this.bundleCity = -1;
    for (let g = 0; g < N_GROUPS; g++) {
      let d = 0;
      for (let t = 0; t < N_TIERS; t++) d = Math.max(d, this.opDed[g * N_TIERS + t]);
      this.maxOpDeductible[g] = d;
      for (let care = 0; care < 2; care++) {
        for (let sev = 0; sev < N_SEVERITIES; sev++) {
          const row = (g * 2 + care) * N_SEVERITIES + sev;
          let maxOp = 0;
          let maxIp = 0;
          let maxOop = 0;
          for (let f = 0; f < F; f++) {
            const oop = this.optionOop(g, f, care, sev, 0, 0, 0, 0);
            this.oopFresh[row * F + f] = oop;
            if (this.pathOpReimb > maxOp) maxOp = this.pathOpReimb;
            if (this.pathIpReimb > maxIp) maxIp = this.pathIpReimb;
            if (oop > maxOop) maxOop = oop;
          }
          this.maxOpReimb[row] = maxOp;
          this.maxIpReimb[row] = maxIp;
          this.maxPathOop[row] = maxOop;
        }
      }
    }
  }

  /**
   * Whether a contracted resident's OOP depends on their own "1+1+1" bundle (model 1+1+1 with
   * the bypass penalty on): the month's table, built for no bundle, is then not theirs.
   */
  get pricesBundle(): boolean {
    return this.oneOneOne && this.bypassOn;
  }

  /** True when the table row is exact for a resident with this annual state: nothing can bind. */
  isFresh(g: number, row: number, opPaid: number, opReimb: number, ipReimb: number, oopYear: number): boolean {
    const s = g >> 2;
    return (
      (opPaid === 0 || this.maxOpDeductible[g] === 0) &&
      this.maxOpReimb[row] <= this.opCap[s] - opReimb &&
      this.maxIpReimb[row] <= this.ipCap[s] - ipReimb &&
      ((g & 2) === 0 || this.maxPathOop[row] <= this.poorOopCap - oopYear)
    );
  }
}
