/**
 * What each village option (the facilities a village's residents choose among: its
 * clinic, its township centre, the nearest other centre, the county hospitals, those out
 * of the county) offers a patient this month, per care × severity — the tables the
 * episode kernel's choice loop reads in order:
 *   utilityStatic — tier constant, quality where the patient ends up (with the shift its
 *                   providers' service intensity gives, sim/provider-response.ts), travel there (and
 *                   on, if referred), referral hassle, the lead hospital's steering;
 *                   rebuilt when the policy, quality or the lead hospital's levers move;
 *   crowd         — the wait met where treated (referred on: at the destination);
 *   oopFresh      — the fresh-state OOP of choosing it, by insurance group.
 * Layout [k * OPTION_STRIDE + care * N_SEVERITIES + sev]; oopFresh
 * [((g * 2 + care) * N_SEVERITIES + sev) * count + k].
 */
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
    for (let row = 0; row < N_GROUPS * OPTION_STRIDE; row++) {
      for (let k = 0; k < K; k++) this.oopFresh[row * K + k] = oopFresh[row * F + optionFacility[k]];
    }
  }

  /** The crowding each option's patient meets this month: where treated, or (referred on) at the destination unless the green channel (绿色通道) spares the wait. */
  setCrowding(greenChannel: boolean): void {
    const { opCrowd, ipCrowd } = this.load;
    const refDir = this.ctx.tables.refDir;
    for (let k = 0; k < this.count; k++) {
      const f = this.ctx.county.optionFacility[k];
      for (let care = 0; care < 2; care++) {
        const crowdTable = care === OUTPATIENT ? opCrowd : ipCrowd;
        for (let sev = 0; sev < N_SEVERITIES; sev++) {
          const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
          this.crowd[k * OPTION_STRIDE + care * N_SEVERITIES + sev] = dest === f ? crowdTable[f] : greenChannel ? 0 : crowdTable[dest];
        }
      }
    }
  }

  /** The static utilities, from the month's quality (it follows staff) and the lead hospitals' openness (it follows the payment). */
  buildUtilityStatic(): void {
    const { county, P, tables } = this.ctx;
    const { facTier, facCommunity, facQuality, refDir, villageCommunity, tierConstant, perceivedQuality, primaryTreatable } = tables;
    const ch = P.choice;
    const F = this.ctx.F;
    const qualityShift = this.supply.qualityShift;
    const utilityStatic = this.utilityStatic;
    for (let v = 0; v < county.villages.length; v++) {
      const o0 = county.optionStart[v];
      const o1 = county.optionStart[v + 1];
      // The village's community steers primary-treatable patients: when volume pays its lead
      // hospital draws them in (openness > 0 on its own options); when the package makes
      // primary care pay it sends them to the village's own clinic and centre (options 0, 1).
      const cv = villageCommunity[v];
      const open = cv >= 0 ? P.leadHospital.opennessUtility * this.supply.openness[cv] : 0;
      for (let k = o0; k < o1; k++) {
        const f = county.optionFacility[k];
        const t = facTier[f];
        const steer =
          open > 0 && t === COUNTY && facCommunity[f] === cv ? open :
          open < 0 && k - o0 < 2 ? -open : 0;
        for (let care = 0; care < 2; care++) {
          for (let sev = 0; sev < N_SEVERITIES; sev++) {
            const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
            const minutes = county.optionMinutes[k] + (dest !== f ? county.travelMinutes[v * F + dest] : 0);
            utilityStatic[(k * 2 + care) * N_SEVERITIES + sev] =
              tierConstant[t * 2 + care] +
              (k - o0 === 1 ? ch.ownTownshipCentre : 0) + // option 1 is the resident's own township centre
              (dest !== f ? ch.referralHassle : 0) +
              ch.quality * (perceivedQuality[facTier[dest] * N_SEVERITIES + sev] + facQuality[dest] + qualityShift[dest] + this.intensity.perceivedShift(dest, cv)) +
              (county.optionMinutes[k] < 60 ? ch.travelWithinHour : 0) +
              (ch.travelPerHour * minutes) / 60 +
              (primaryTreatable[care * N_SEVERITIES + sev] ? steer : 0);
          }
        }
      }
    }
  }
}
