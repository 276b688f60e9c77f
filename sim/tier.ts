/**
 * Tiers of care, severities and care types — the model's basic vocabulary.
 *
 * 村卫生室/社区卫生服务站 = village, 乡镇卫生院/社区卫生服务中心 = township,
 * 县级医院 (牵头医院 lead hospital, 县中医院 TCM hospital) = county,
 * 县外 (city / provincial tertiary) = outOfCounty. See ../shared/domain.md §1.
 *
 * Indices are used in typed arrays, so they are fixed small integers.
 */
export const TIERS = ["village", "township", "county", "outOfCounty"] as const;
export type Tier = (typeof TIERS)[number];
export const VILLAGE = 0;
export const TOWNSHIP = 1;
export const COUNTY = 2;
export const OUT_OF_COUNTY = 3;
export const N_TIERS = 4;

/** Primary care (基层) = village + township tiers. */
export function isPrimaryTier(tier: number): boolean {
  return tier === VILLAGE || tier === TOWNSHIP;
}

/** minor 小病, common 常见病, serious 大病, critical 急危重症 needing tertiary care. */
export const SEVERITIES = ["minor", "common", "serious", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const MINOR = 0;
export const COMMON = 1;
export const SERIOUS = 2;
export const CRITICAL = 3;
export const N_SEVERITIES = 4;

export const CARE_TYPES = ["outpatient", "inpatient"] as const;
export type CareType = (typeof CARE_TYPES)[number];
export const OUTPATIENT = 0;
export const INPATIENT = 1;

export const AGE_BANDS = ["0-14", "15-44", "45-64", "65+"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const N_AGE_BANDS = 4;

/** Chronic conditions tracked per resident as a bit mask (慢病). */
export const CHRONIC_CONDITIONS = ["hypertension", "diabetes", "stroke", "coronary"] as const;
export type ChronicCondition = (typeof CHRONIC_CONDITIONS)[number];

/** Insurance schemes: 城乡居民医保 (resident) and 城镇职工医保 (employee). */
export const SCHEMES = ["resident", "employee"] as const;
export type Scheme = (typeof SCHEMES)[number];
export const RESIDENT_SCHEME = 0;
export const EMPLOYEE_SCHEME = 1;

/**
 * Benefit groups: 待遇不降低 (benefits must not fall, 003_e150340525663deb.txt §三) is
 * judged per insurance scheme and poverty status (sim/benefits.ts). The county generator
 * registers poverty (建档立卡, 健康扶贫) in the resident scheme only, so there are three:
 * resident scheme not registered poor, resident scheme registered poor, employee scheme.
 */
export const BENEFIT_GROUPS = ["resident", "residentPoor", "employee"] as const;
export type BenefitGroup = (typeof BENEFIT_GROUPS)[number];
export const N_BENEFIT_GROUPS = 3;
/** A resident's benefit group index from scheme (0/1) and registered-poor flag (0/1). */
export function benefitGroup(scheme: number, poor: number): number {
  return scheme === EMPLOYEE_SCHEME ? 2 : poor;
}

export type ByTier<T> = Record<Tier, T>;
export type BySeverity<T> = Record<Severity, T>;
