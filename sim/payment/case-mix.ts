/**
 * Inpatient condition groups (病组) — what a case-based payment scheme pays a case by.
 *
 * Every admission the kernel simulates carries a condition group, drawn from its severity
 * (data/parameters.yaml `caseMix.admissionShare`) with the case's own key in the random
 * stream "case" (sim/random.ts), so no existing draw moves. The same key gives every
 * other per-case draw — whether the case's disease is on a tier's per-disease list, and
 * the providers' responses (cost shifting off the list, upcoding) — one uniform per
 * purpose, so a case is the same case under every scheme (common random numbers).
 *
 * The tables (sim/parameters.ts `caseMix`, values and sources in data/parameters.yaml):
 *   admissionShare  P(group | severity)
 *   relativeWeight  the group's cost weight within its severity (cost of care and DRG points)
 *   lengthOfStay    days of a common-severity case, township / county
 *   listCoverage    share of the group's cases whose disease is on the tier's list
 *   price           per-disease list price, 2018 yuan, township / county
 * A case's severity scales its stay and its points by costs.inpatientSeverityFactor ÷ its
 * common value (the "severity weight").
 */
import type { Parameters } from "../parameters";
import { hashFromPrefix, uniformFromPrefix } from "../random";
import { COUNTY, N_SEVERITIES, N_TIERS, SEVERITIES, TOWNSHIP } from "../tier";

/** The in-county tiers whose inpatient care a case-based scheme can pay. */
export const CASE_TIERS = ["township", "county"] as const;
export type CaseTier = (typeof CASE_TIERS)[number];
export const CASE_TIER_INDEX: Record<CaseTier, number> = { township: TOWNSHIP, county: COUNTY };

/** No condition group: an outpatient encounter, a stay ending in transfer, a recovery stay after downward referral. */
export const NO_GROUP = -1;

/** Purposes of a case's draws (the last word of its hash; fixed, so adding one moves no other). */
export const CASE_DRAW = { group: 0, list: 1, offList: 2, upcoding: 3 } as const;

/** The key of one case: (resident, month) prefix of the "case" stream and the episode slot. */
export function caseKey(monthPrefix: number, slot: number): number {
  return hashFromPrefix(monthPrefix, slot);
}

/** One uniform in (0, 1) of a case for one purpose (CASE_DRAW). */
export function caseUniform(key: number, purpose: number): number {
  return uniformFromPrefix(key, purpose);
}

export type CaseMixParameters = Parameters["caseMix"];

/** The case-mix tables as typed arrays, built once per run. */
export class CaseMix {
  /** condition group ids, in the order of caseMix.admissionShare */
  readonly groups: readonly string[];
  /** cumulative P(group | severity): [sev * G + g] */
  readonly groupCdf: Float64Array;
  /** cost weight per group */
  readonly relativeWeight: Float64Array;
  /** severity weight: costs.inpatientSeverityFactor ÷ its common value, [sev] */
  readonly severityWeight: Float64Array;
  /** [g * N_TIERS + tier] (township and county only; 0 elsewhere) */
  readonly lengthOfStay: Float64Array;
  readonly listCoverage: Float64Array;
  /** per-disease list price, 2018 yuan */
  readonly price: Float64Array;

  constructor(P: Pick<Parameters, "caseMix" | "costs">) {
    const m = P.caseMix;
    this.groups = Object.keys(m.admissionShare);
    const G = this.groups.length;
    this.groupCdf = new Float64Array(N_SEVERITIES * G);
    SEVERITIES.forEach((s, si) => {
      let c = 0;
      this.groups.forEach((g, gi) => {
        c += m.admissionShare[g][s];
        this.groupCdf[si * G + gi] = c;
      });
      this.groupCdf[si * G + G - 1] = Infinity; // the last group takes what rounding leaves
    });
    this.relativeWeight = Float64Array.from(this.groups, (g) => m.relativeWeight[g]);
    const f = P.costs.inpatientSeverityFactor;
    this.severityWeight = Float64Array.from(SEVERITIES, (s) => f[s] / f.common);
    this.lengthOfStay = new Float64Array(G * N_TIERS);
    this.listCoverage = new Float64Array(G * N_TIERS);
    this.price = new Float64Array(G * N_TIERS);
    this.groups.forEach((g, gi) => {
      for (const t of CASE_TIERS) {
        const ti = CASE_TIER_INDEX[t];
        this.lengthOfStay[gi * N_TIERS + ti] = m.lengthOfStay[g][t];
        this.listCoverage[gi * N_TIERS + ti] = m.listCoverage[g][t];
        this.price[gi * N_TIERS + ti] = m.price[g][t];
      }
    });
  }

  /** The condition group of a case of severity `sev` with key `key`. */
  drawGroup(sev: number, key: number): number {
    const G = this.groups.length;
    const u = caseUniform(key, CASE_DRAW.group);
    const base = sev * G;
    let g = 0;
    while (u >= this.groupCdf[base + g]) g++;
    return g;
  }

  /** Bed-days of a case (group g, severity sev, tier t) before any provider response. */
  stay(g: number, sev: number, t: number): number {
    return this.lengthOfStay[g * N_TIERS + t] * this.severityWeight[sev];
  }
}

/** Problems with the case-mix tables: the same groups in every table, each severity's shares summing to 1. */
export function caseMixProblems(m: CaseMixParameters, file: string): string[] {
  const problems: string[] = [];
  const groups = Object.keys(m.admissionShare ?? {});
  if (groups.length === 0) return [`${file}: caseMix.admissionShare: no condition groups; name at least one`];
  for (const table of ["relativeWeight", "lengthOfStay", "listCoverage", "price"] as const) {
    const keys = Object.keys(m[table] ?? {});
    const missing = groups.filter((g) => !keys.includes(g));
    const extra = keys.filter((g) => !groups.includes(g));
    if (missing.length) problems.push(`${file}: caseMix.${table}: missing condition group(s) ${missing.join(", ")} (the groups are the keys of caseMix.admissionShare)`);
    if (extra.length) problems.push(`${file}: caseMix.${table}: unknown condition group(s) ${extra.join(", ")}; the groups are the keys of caseMix.admissionShare: ${groups.join(", ")}`);
  }
  for (const s of SEVERITIES) {
    const sum = groups.reduce((a, g) => a + (m.admissionShare[g]?.[s] ?? 0), 0);
    if (Math.abs(sum - 1) > 1e-6) problems.push(`${file}: caseMix.admissionShare.*.${s} = ${sum.toFixed(4)} in total: each severity's shares over the groups must sum to 1`);
  }
  return problems;
}

/** Whose care a case-based scheme pays (policy: payment.perDisease / drg / perDiem). */
export interface CaseScope {
  communities: "all" | string[];
  coversEmployeeScheme: boolean;
  tiers: Record<CaseTier, boolean>;
}

/** Whether the scheme pays for this community's residents of this insurance scheme (0 resident, 1 employee). */
export function coversCommunity(scope: CaseScope, communityId: string, insuranceScheme: number): boolean {
  const on = scope.communities === "all" || scope.communities.includes(communityId);
  return insuranceScheme === 0 ? on : on && scope.coversEmployeeScheme;
}

/** 1 for each tier whose admissions the scheme pays: [tier]. */
export function tierMask(tiers: Record<CaseTier, boolean>): Uint8Array {
  const m = new Uint8Array(N_TIERS);
  for (const t of CASE_TIERS) m[CASE_TIER_INDEX[t]] = tiers[t] ? 1 : 0;
  return m;
}

/**
 * How a case-based scheme's length-of-stay response (casePayment.lengthOfStayChange) acts:
 * stays scale by 1 + change, and the cost of a case by 1 + dailyCostShare × change (only the
 * part of its cost that accrues by the day moves). One rule for the three schemes.
 */
export function stayResponse(r: Parameters["casePayment"], scheme: keyof Parameters["casePayment"]["lengthOfStayChange"]): { stayFactor: number; costFactor: number } {
  const change = r.lengthOfStayChange[scheme];
  return { stayFactor: 1 + change, costFactor: 1 + r.dailyCostShare * change };
}
