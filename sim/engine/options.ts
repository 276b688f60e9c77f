/**
 * What each village option (the facilities a village's residents choose among: its
 * clinic, its township centre, the nearest other centre, the county hospitals, those out
 * of the county) offers a patient this month, per care × severity — the tables the
 * episode kernel's choice loop reads in order:
 *   utilityStatic — the static terms of the utility (sim/choice.ts: tier constant, own
 *                   township centre, referral hassle, quality where the patient ends up,
 *                   travel there and on, the lead hospital's steering), summed from the
 *                   option's facts (optionFacts); rebuilt when quality (staff, or the
 *                   providers' service intensity, sim/provider-response.ts) or the lead
 *                   hospitals' openness moved;
 *   crowd         — the wait met where treated (referred on: at the destination);
 *   oopFresh      — the fresh-state OOP of choosing it, by insurance group.
 * Layout [k * OPTION_STRIDE + care * N_SEVERITIES + sev]; oopFresh
 * [((g * 2 + care) * N_SEVERITIES + sev) * count + k].
 */
import { neutralFacts, staticUtility, type OptionFacts } from "../choice";
import { N_GROUPS, type ClaimPricer } from "../insurance/claims";
import type { ServiceIntensity } from "../provider-response";
import type { SupplySide } from "../supply";
import { COUNTY, N_SEVERITIES, OUTPATIENT } from "../tier";
import type { EngineContext, LoadState } from "./state";

/** entries per village option in the option tables: care × severity */
export const OPTION_STRIDE = 2 * N_SEVERITIES;

export class VillageOptions {
  /** options of all villages (county.optionFacility) */
  readonly count: number;
  readonly utilityStatic: Float64Array;
  readonly crowd: Float64Array;
  readonly oopFresh: Float64Array;
  /** every entry of oopFresh is ≥ 0 (as of setFreshOop): the choice's pruning bound holds (sim/engine/kernel.ts choose) */
  oopFreshNonNegative = false;
  /** the month's family-doctor model is "1+1+1" (set by the kernel's setPolicy; a fact of the bundleHospital term) */
  oneOneOne = false;
  /** 绿色通道 this month (as of setCrowding) */
  private greenChannel = false;
  private readonly facts = neutralFacts();
  /** what utilityStatic was last built from (buildUtilityStatic) */
  private built = false;
  private readonly builtOpenness: Float64Array;
  private readonly builtQualityShift: Float64Array;
  private readonly builtIntensityShift: Float64Array;
  private readonly builtResidentPackage: Uint8Array;

  constructor(
    private readonly ctx: EngineContext,
    private readonly pricer: ClaimPricer,
    private readonly supply: SupplySide,
    private readonly load: LoadState,
    /** providers' service intensity under the month's payment: its perceived-quality shift (sim/provider-response.ts) */
    private readonly intensity: ServiceIntensity,
  ) {
    this.count = ctx.county.optionFacility.length;
    this.utilityStatic = new Float64Array(this.count * OPTION_STRIDE);
    this.crowd = new Float64Array(this.count * OPTION_STRIDE);
    this.oopFresh = new Float64Array(N_GROUPS * OPTION_STRIDE * this.count);
    this.builtOpenness = new Float64Array(ctx.C);
    this.builtQualityShift = new Float64Array(ctx.F);
    this.builtIntensityShift = new Float64Array(intensity.qualityShift.length);
    this.builtResidentPackage = new Uint8Array(intensity.residentPackage.length);
  }

  /**
   * The month's fresh-state OOP (sim/insurance/claims.ts buildFreshTable) laid out by
   * village option, so the option loop reads it in order.
   */
  setFreshOop(): void {
    const oopFresh = this.pricer.oopFresh;
    const F = this.ctx.F;
    const K = this.count;
    const optionFacility = this.ctx.county.optionFacility;
    let nonNegative = true;
    for (let row = 0; row < N_GROUPS * OPTION_STRIDE; row++) {
      for (let k = 0; k < K; k++) {
        const oop = oopFresh[row * F + optionFacility[k]];
        this.oopFresh[row * K + k] = oop;
        if (!(oop >= 0)) nonNegative = false;
      }
    }
    this.oopFreshNonNegative = nonNegative;
  }

  /**
   * The crowding a patient choosing option k (facility f) meets: where treated, or
   * (referred on to dest) at the destination unless the green channel (绿色通道) spares
   * the wait.
   */
  private crowdingMet(f: number, dest: number, care: number): number {
    const { opCrowd, ipCrowd } = this.load;
    const crowdTable = care === OUTPATIENT ? opCrowd : ipCrowd;
    return dest === f ? crowdTable[f] : this.greenChannel ? 0 : crowdTable[dest];
  }

  /** The crowding each option's patient meets this month (crowdingMet). */
  setCrowding(greenChannel: boolean): void {
    this.greenChannel = greenChannel;
    const refDir = this.ctx.tables.refDir;
    for (let k = 0; k < this.count; k++) {
      const f = this.ctx.county.optionFacility[k];
      for (let care = 0; care < 2; care++) {
        for (let sev = 0; sev < N_SEVERITIES; sev++) {
          const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
          this.crowd[k * OPTION_STRIDE + care * N_SEVERITIES + sev] = this.crowdingMet(f, dest, care);
        }
      }
    }
  }

  /**
   * What option k of village v offers an episode of (care, sev), as the choice terms read
   * it (sim/choice.ts OptionFacts) — everything but the resident's facts, which are left
   * as they were in `x`. Crowding is this month's (as of the last setCrowding), the
   * family-doctor model this month's (as of the kernel's setPolicy).
   */
  optionFacts(v: number, k: number, care: number, sev: number, x: OptionFacts): OptionFacts {
    const { county, tables } = this.ctx;
    const { facTier, facCommunity, facQuality, refDir, villageCommunity, primaryTreatable } = tables;
    const o0 = county.optionStart[v];
    const f = county.optionFacility[k];
    const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
    const cv = villageCommunity[v];
    x.care = care;
    x.severity = sev;
    x.primaryTreatable = primaryTreatable[care * N_SEVERITIES + sev] !== 0;
    x.tier = facTier[f];
    x.minutes = county.optionMinutes[k];
    x.isOwnTownshipCentre = k - o0 === 1; // option 1 is the resident's own township centre
    x.isOwnClinicOrCentre = k - o0 < 2;
    x.isOwnCommunityCountyHospital = cv >= 0 && facTier[f] === COUNTY && facCommunity[f] === cv;
    x.communityOpenness = cv >= 0 ? this.supply.openness[cv] : 0;
    x.mustRefer = dest !== f;
    x.treatedTier = facTier[dest];
    x.treatedQualityOffset = facQuality[dest];
    // this year's shift as its staff change (sim/supply.ts), and the month's as its providers' service intensity moves (sim/provider-response.ts)
    x.treatedQualityShift = this.supply.qualityShift[dest] + this.intensity.perceivedShift(dest, cv);
    x.onwardMinutes = dest !== f ? county.travelMinutes[v * this.ctx.F + dest] : 0;
    x.crowding = this.crowdingMet(f, dest, care);
    x.isBundleHospital = tables.bundleOption[k] !== 0;
    x.oneOneOne = this.oneOneOne;
    return x;
  }

  /**
   * The static utilities (sim/choice.ts staticUtility: the static terms summed in order)
   * from the options' facts. Of those only the supply side's moves over the run — quality
   * (it follows staff) and the lead hospitals' openness (it follows the payment) — so the
   * table is rebuilt only when one of them changed since the last build: the same numbers.
   */
  buildUtilityStatic(): void {
    const intensity = this.intensity;
    if (
      this.built && sameValues(this.builtOpenness, this.supply.openness) && sameValues(this.builtQualityShift, this.supply.qualityShift) &&
      sameValues(this.builtIntensityShift, intensity.qualityShift) && sameValues(this.builtResidentPackage, intensity.residentPackage)
    ) return;
    this.builtOpenness.set(this.supply.openness);
    this.builtQualityShift.set(this.supply.qualityShift);
    this.builtIntensityShift.set(intensity.qualityShift);
    this.builtResidentPackage.set(intensity.residentPackage);
    this.built = true;
    const county = this.ctx.county;
    const coefficients = this.ctx.tables.choice;
    const x = this.facts;
    const utilityStatic = this.utilityStatic;
    for (let v = 0; v < county.villages.length; v++) {
      for (let k = county.optionStart[v]; k < county.optionStart[v + 1]; k++) {
        for (let care = 0; care < 2; care++) {
          for (let sev = 0; sev < N_SEVERITIES; sev++) {
            utilityStatic[(k * 2 + care) * N_SEVERITIES + sev] = staticUtility(this.optionFacts(v, k, care, sev, x), coefficients);
          }
        }
      }
    }
  }
}

/** Element-wise identical (Object.is: −0 and NaN count as themselves). */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
