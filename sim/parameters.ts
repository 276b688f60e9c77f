/**
 * Behavioural, epidemiological, cost and capacity parameters (data/parameters.yaml).
 *
 * In the file every leaf is `{value, unit, source}` so that provenance travels with the
 * number; `loadParameterFile` checks that shape, strips it to plain values and validates
 * them against PARAMETERS_SPEC. Scenarios override leaves by dotted path.
 */
import { AGE_BANDS, SEVERITIES, TIERS, type ByTier, type BySeverity, type AgeBand, type Severity, type Tier } from "./tier";
import { distributionMean, parseDistribution } from "./distributions";
import type { QualityParameters } from "./staff/capacity";
import type { StaffParameters } from "./staff/workforce";
import type { StrategyParameters } from "./strategy/leadHospital";
import { num, obj, oneOf, record, share, type Spec, isPlainObject } from "./scenario/schema";

export interface Parameters {
  choice: {
    quality: number;
    oopPer100Yuan: number;
    referenceMonthlyIncome: number;
    travelWithinHour: number;
    travelPerHour: number;
    habit: number;
    familyDoctorContract: number;
    ownTownshipCentre: number;
    crowding: number;
    referralHassle: number;
    inpatientOopScale: number;
    tierConstant: ByTier<number>;
    tierConstantInpatient: ByTier<number>;
    perceivedQuality: ByTier<BySeverity<number>>;
  };
  capability: {
    outpatient: ByTier<Severity | "none">;
    inpatient: ByTier<Severity | "none">;
  };
  incidence: {
    outpatientPerYear: Record<AgeBand, number>;
    chronicFollowUpPerYear: number;
    inpatientPerYear: Record<AgeBand, number>;
    chronicInpatientMultiplier: number;
    outpatientSeverity: BySeverity<number>;
    inpatientSeverity: BySeverity<number>;
  };
  costs: {
    outpatientPerVisit: ByTier<number>;
    inpatientPerAdmission: ByTier<number>;
    outpatientSeverityFactor: BySeverity<number>;
    inpatientSeverityFactor: BySeverity<number>;
    transferStayFactor: number;
    rehabilitationStayFactor: number;
    inPolicyShare: ByTier<number>;
    annualPriceGrowth: number;
  };
  capacity: {
    outpatientVisitsPerDoctorPerMonth: ByTier<number>;
    averageLengthOfStay: ByTier<number>;
    perceivedLoadAdjustment: number;
  };
  referral: {
    downward: {
      inpatientFeeForService: number;
      inpatientCapitation: number;
      chronicFeeForService: number;
      chronicCapitation: number;
    };
  };
  leadHospital: StrategyParameters;
  staff: StaffParameters;
  quality: QualityParameters & { repeatTestCostShare: number };
  simulation: { burnInMonths: number };
}

const byTier = (s: Spec) => record(TIERS, s);
const bySeverity = (s: Spec) => record(SEVERITIES, s);
const byAge = (s: Spec) => record(AGE_BANDS, s);
const severityOrNone = oneOf("none", ...SEVERITIES);
const move = obj({ intercept: num(-30, 30), payElasticity: num(0, 20), workloadElasticity: num(-20, 20) });

export const PARAMETERS_SPEC: Spec = obj({
  choice: obj({
    quality: num(0, 50),
    oopPer100Yuan: num(-50, 0),
    referenceMonthlyIncome: num(1, 1e6, "yuan/month"),
    travelWithinHour: num(-20, 20),
    travelPerHour: num(-50, 0),
    habit: num(-20, 20),
    familyDoctorContract: num(-20, 20),
    ownTownshipCentre: num(-20, 20),
    crowding: num(-50, 0),
    referralHassle: num(-20, 20),
    inpatientOopScale: num(0, 10),
    tierConstant: byTier(num(-50, 50)),
    tierConstantInpatient: byTier(num(-50, 50)),
    perceivedQuality: byTier(bySeverity(share)),
  }),
  capability: obj({ outpatient: byTier(severityOrNone), inpatient: byTier(severityOrNone) }),
  incidence: obj({
    outpatientPerYear: byAge(num(0, 100, "episodes/year")),
    chronicFollowUpPerYear: num(0, 24, "visits/year"),
    inpatientPerYear: byAge(num(0, 5, "admissions/year")),
    chronicInpatientMultiplier: num(0, 20),
    outpatientSeverity: bySeverity(share),
    inpatientSeverity: bySeverity(share),
  }),
  costs: obj({
    outpatientPerVisit: byTier(num(0, 1e5, "yuan")),
    inpatientPerAdmission: byTier(num(0, 1e7, "yuan")),
    outpatientSeverityFactor: bySeverity(num(0, 100)),
    inpatientSeverityFactor: bySeverity(num(0, 100)),
    transferStayFactor: num(0, 1),
    rehabilitationStayFactor: num(0, 10),
    inPolicyShare: byTier(share),
    annualPriceGrowth: num(-0.5, 1),
  }),
  capacity: obj({
    outpatientVisitsPerDoctorPerMonth: byTier(num(0, 10_000)),
    averageLengthOfStay: byTier(num(0, 365)),
    perceivedLoadAdjustment: num(0.01, 1),
  }),
  referral: obj({
    downward: obj({
      inpatientFeeForService: share,
      inpatientCapitation: share,
      chronicFeeForService: share,
      chronicCapitation: share,
    }),
  }),
  leadHospital: obj({
    responsiveness: share,
    margin: share,
    maxBedGrowth: num(0, 1),
    maxBedReduction: num(0, 1),
    expansionOccupancy: num(0, 1),
    opennessUtility: num(0, 20),
    maxSendDownDays: num(0, 31, "doctor-days per township per month"),
    maxPostingShare: share,
    maxInvestmentShare: share,
  }),
  staff: obj({
    gpShare: obj({ village: share, township: share, county: share }),
    gradeShare: obj({ junior: share, attending: share }),
    yearsToPromotion: { kind: "number", min: 1, max: 30, integer: true },
    basePay: obj({ village: num(1, 1e7, "yuan/year"), township: num(1, 1e7, "yuan/year"), county: num(1, 1e7, "yuan/year"), outOfCounty: num(1, 1e7, "yuan/year") }),
    exit: obj({ village: move, township: move, county: move }),
    upward: move,
    downward: move,
    transferFriction: share,
    graduatesPer10k: num(0, 100),
    graduateTownshipIntercept: num(-20, 20),
    graduateOutsideIntercept: num(-20, 20),
    pooledQuotaTownshipBoost: num(-20, 20),
    graduateGpShare: share,
    villageReplacement: share,
  }),
  quality: obj({
    staffing: num(0, 5),
    visitingSpecialists: num(0, 50),
    investmentPerMillion: num(0, 5),
    sharedDiagnostics: num(0, 1),
    repeatTestCostShare: share,
  }),
  simulation: obj({ burnInMonths: { kind: "number", min: 0, max: 120, integer: true } }),
});

/**
 * Strip `{value, unit, source}` leaves to their values. Every leaf must carry a source;
 * problems are returned as `file: path: …` lines.
 */
export function stripProvenance(tree: unknown, file: string, path = ""): { values: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (node: unknown, p: string): unknown => {
    if (!isPlainObject(node)) {
      problems.push(`${file}: ${p || "(top level)"}: must be a mapping of {value, unit, source} leaves`);
      return undefined;
    }
    if ("value" in node || "distribution" in node) {
      for (const k of Object.keys(node)) {
        if (!["value", "distribution", "unit", "source"].includes(k)) problems.push(`${file}: ${p}.${k}: unknown key; allowed: value, distribution, unit, source`);
      }
      // An uncertain parameter (sim/distributions.ts): its value defaults to the distribution's mean.
      let value = node.value;
      if ("distribution" in node) {
        try {
          const d = parseDistribution(node.distribution);
          if (!("value" in node)) value = distributionMean(d);
        } catch (e) {
          problems.push(`${file}: ${p}.distribution = ${JSON.stringify(node.distribution)}: ${(e as Error).message}`);
        }
      }
      if (typeof node.source !== "string" || node.source.length === 0)
        problems.push(`${file}: ${p}.source: missing; every parameter must cite a source (publication, seed clause, or "assumption")`);
      if (typeof node.unit !== "string" || node.unit.length === 0) problems.push(`${file}: ${p}.unit: missing; every parameter must state its unit`);
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, p ? `${p}.${k}` : k);
    return out;
  };
  const values = walk(tree, path);
  return { values, problems };
}

/** Severity index a tier treats up to (−1 = none), from the capability table. */
export function capabilityIndex(level: Severity | "none"): number {
  return level === "none" ? -1 : SEVERITIES.indexOf(level);
}

/** Shares that must sum to one (severity mixes). */
export function checkShares(p: Parameters, file: string): string[] {
  const problems: string[] = [];
  for (const key of ["outpatientSeverity", "inpatientSeverity"] as const) {
    const sum = SEVERITIES.reduce((s, k) => s + p.incidence[key][k], 0);
    if (Math.abs(sum - 1) > 1e-6) problems.push(`${file}: incidence.${key} = ${sum.toFixed(4)} in total: shares must sum to 1`);
  }
  return problems;
}

export type { Tier };
