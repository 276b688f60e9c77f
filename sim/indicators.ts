/**
 * Indicators and the 2020 targets — defined once, here.
 *
 * The engine fills monthly *counters* (raw counts and money); every indicator is a
 * function of one year's (or month's) counter totals, with its target, the clause the
 * target comes from, and how "met" is judged. README.md documents the same list.
 *
 * Visits and admissions count care where an episode is treated — one per episode, plus
 * the recovery stay of an inpatient referred down. A referred patient's first stop (the
 * consultation, or the stay that ends in upward transfer, at a facility that could not
 * treat the episode) is counted apart, as a gateway consultation or a transfer stay, so
 * a rule that changes where patients first go does not change how much care they use.
 */
import { CASE_PAYMENT_COUNTERS, CASE_PAYMENT_INDICATORS, casePaymentRan } from "./payment/case-indicators";
import { PROVIDER_RESPONSE_COUNTERS, PROVIDER_RESPONSE_INDICATORS, providerResponseRan } from "./provider-response";
import { InputError } from "./scenario/errors";
import type { YearMonth } from "./scenario/load";
import { BENEFIT_GROUPS, type BenefitGroup } from "./tier";

/**
 * Counters of care-seeking (sim/care-seeking.ts): episodes by severity, income quintile and
 * poverty, and those forgone (not taken to any facility); supplier-induced return visits
 * under fee-for-service. An optional module (OPTIONAL_MODULES): in a run's results only
 * when the run forgoes some episode or induces some visit.
 */
export const CARE_SEEKING_COUNTERS = [
  "episodesMinor", "episodesCommon", "episodesSerious", "episodesCritical",
  "forgoneMinor", "forgoneCommon", "forgoneSerious", "forgoneCritical",
  "forgoneOutpatient", "forgoneChronic", "forgoneInpatient",
  "episodesQ1", "episodesQ2", "episodesQ3", "episodesQ4", "episodesQ5",
  "forgoneQ1", "forgoneQ2", "forgoneQ3", "forgoneQ4", "forgoneQ5",
  "episodesPoor", "forgonePoor", "inducedReturnVisits",
] as const;
/** Whether a run used care-seeking: some episode forgone or some return visit induced (with careSeeking.enabled false, none is). */
export const careSeekingRan = (t: Record<(typeof CARE_SEEKING_COUNTERS)[number], number>) => t.forgoneOutpatient + t.forgoneChronic + t.forgoneInpatient + t.inducedReturnVisits > 0;

export const COUNTER_NAMES = [
  "visitsVillage", "visitsTownship", "visitsCounty", "visitsOutOfCounty", "visitsOtherTownship",
  "admissionsVillage", "admissionsTownship", "admissionsCounty", "admissionsOutOfCounty",
  "episodesOutpatient", "episodesInpatient", "episodesChronic",
  "upwardReferrals", "outOfCountyReferrals", "downwardReferralsInpatient", "downwardReferralsChronic",
  "costOutpatient", "costInpatient", "oop", "reimbursed", "assistance",
  // a referred patient's first stop (sim/engine/encounter.ts GATEWAY): counted here, not as visits or admissions
  "gatewayConsultations", "transferStays", "costGateway",
  // a township inpatient's tests at the lead county hospital (sim/engine/encounter.ts TESTS; 004 §五(六))
  "upstreamTests", "upstreamTestsInBill", "costUpstreamTests",
  "inpatientInPolicyCost", "inpatientReimbursed",
  "premiums", "prepayments", "insurerClaims", "packageClaims", "packageOutsideClaims",
  "settlementRetained", "settlementReturned", "settlementFromReserve", "settlementInsurerPays", "settlementCommunityBears", "settlementPartialYear",
  "insurerFundBalance", "packageBalance", "communityReserve", "residents", "capitationEnrolled",
  // the fund guard (基金不穿底, sim/payment/fund-guard.ts): prepayments cut, claims deferred and paid later, claims still owed
  "prepaymentWithheld", "claimsDeferred", "deferredClaimsPaid", "deferredClaimsOutstanding",
  // benefits by group (sim/tier.ts BENEFIT_GROUPS; 待遇不降低, sim/benefits.ts): cost of care, reimbursement, OOP, episodes
  "groupCostResident", "groupCostResidentPoor", "groupCostEmployee",
  "groupReimbursedResident", "groupReimbursedResidentPoor", "groupReimbursedEmployee",
  "groupOopResident", "groupOopResidentPoor", "groupOopEmployee",
  "groupEpisodesResident", "groupEpisodesResidentPoor", "groupEpisodesEmployee",
  // … and their sums of squares and products over encounters, for the standard errors of the verdict
  "groupCostSqResident", "groupCostSqResidentPoor", "groupCostSqEmployee",
  "groupReimbursedSqResident", "groupReimbursedSqResidentPoor", "groupReimbursedSqEmployee",
  "groupReimbursedCostResident", "groupReimbursedCostResidentPoor", "groupReimbursedCostEmployee",
  "groupOopSqResident", "groupOopSqResidentPoor", "groupOopSqEmployee",
  // resident-scheme inpatients: total cost and reimbursement (实际补偿比, 004 §七(四))
  "costInpatientResident", "reimbursedInpatientResident",
  // financial protection, recorded at each insurance year's end (sim/protection.ts): residents judged, catastrophic at 10% / 25% of income,
  // OOP and resident-years by income quintile and by registered-poor status
  "protectionResidents", "catastrophic10", "catastrophic25",
  "oopQuintile1", "oopQuintile2", "oopQuintile3", "oopQuintile4", "oopQuintile5",
  "residentYearsQuintile1", "residentYearsQuintile2", "residentYearsQuintile3", "residentYearsQuintile4", "residentYearsQuintile5",
  "oopPoor", "residentYearsPoor", "oopNonPoor", "residentYearsNonPoor",
  // supply side (sim/supply.ts): episodes a township centre could treat, and where they were treated
  "primaryTreatable", "primaryTreatableAtCounty",
  // a required first contact (基层首诊, sim/gatekeeping.ts): the primary doctor's decisions by severity, refused patients who went anyway, emergencies exempt
  "gatekeepingReferredMinor", "gatekeepingReferredCommon", "gatekeepingReferredSerious",
  "gatekeepingKeptMinor", "gatekeepingKeptCommon", "gatekeepingKeptSerious",
  "gatekeepingWentUnreferred", "gatekeepingEmergencyExempt",
  // staff flows (each January) and stocks (full-size headcounts, whatever --scale)
  "staffPrimaryToCounty", "staffCountyToPrimary", "staffPostedDown", "staffRotations", "staffExits", "staffRecruitsCounty", "staffRecruitsPrimary",
  "doctorsVillage", "doctorsTownship", "doctorsCounty", "gpAll", "gpPrimary", "population",
  "sendDownDoctorDays", "staffBonuses", "primaryInvestment", "countyBeds", "primaryCapacityIndex", "leadSignal",
  // care-seeking (sim/care-seeking.ts): present only in runs that use it (OPTIONAL_MODULES)
  ...CARE_SEEKING_COUNTERS,
  // case-based payment (sim/payment/case-indicators.ts): present only in runs that use it (OPTIONAL_MODULES)
  ...CASE_PAYMENT_COUNTERS,
  // providers' service intensity (sim/provider-response.ts): present only in runs where some provider responded (OPTIONAL_MODULES)
  ...PROVIDER_RESPONSE_COUNTERS,
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, Float64Array>;

/** Counters that are end-of-period stocks (take the last month), not flows (sum). */
const STOCKS: ReadonlySet<CounterName> = new Set([
  "insurerFundBalance", "packageBalance", "communityReserve", "residents", "capitationEnrolled", "deferredClaimsOutstanding",
  "doctorsVillage", "doctorsTownship", "doctorsCounty", "gpAll", "gpPrimary", "population", "countyBeds", "primaryCapacityIndex", "leadSignal",
]);

export function newCounters(months: number): Counters {
  // built in one go, not by adding 172 properties one at a time: V8 keeps an object built
  // key by key with this many properties as a hash table ("dictionary mode"), and every
  // counter the residents' pass adds to was then a hash lookup (≈10% of a run's time)
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, new Float64Array(months)])) as Counters;
}

/**
 * Modules whose counters and indicators appear in a run's results only when the run used
 * them (as a starsim module's results exist only in sims that have the module): a run
 * without case-based payment has no case-payment counters or indicators, so adding the
 * module left every other scenario's outputs as they were.
 */
export const OPTIONAL_MODULES = {
  casePayment: { counters: CASE_PAYMENT_COUNTERS as readonly CounterName[], ran: casePaymentRan, doc: "case-based payment (sim/payment/): some case was paid by a per-disease, DRG or per-diem scheme" },
  providerResponse: { counters: PROVIDER_RESPONSE_COUNTERS as readonly CounterName[], ran: providerResponseRan, doc: "providers' service intensity (sim/provider-response.ts): some encounter was delivered at an intensity other than 1" },
  careSeeking: { counters: CARE_SEEKING_COUNTERS as readonly CounterName[], ran: careSeekingRan, doc: "care-seeking with an outside option (sim/care-seeking.ts, careSeeking.enabled): some episode was not taken to a facility or some return visit was induced" },
} as const;
export type OptionalModule = keyof typeof OPTIONAL_MODULES;

/** The optional modules a run used, from its counters over all its months. */
export function modulesRun(c: Counters, months: number): Set<OptionalModule> {
  const all = totals(c, 0, months);
  return new Set((Object.keys(OPTIONAL_MODULES) as OptionalModule[]).filter((m) => OPTIONAL_MODULES[m].ran(all)));
}

/** The indicators a run has: every indicator of the core model and of the optional modules it used. */
export function indicatorsOf(c: Counters, months: number): IndicatorDefinition[] {
  const ran = modulesRun(c, months);
  return INDICATORS.filter((d) => !d.module || ran.has(d.module));
}

/** Totals of months [from, to): flows summed, stocks at the last month. */
export function totals(c: Counters, from: number, to: number): Record<CounterName, number> {
  const out = {} as Record<CounterName, number>;
  for (const name of COUNTER_NAMES) {
    const a = c[name];
    if (STOCKS.has(name)) out[name] = a[to - 1];
    else {
      let s = 0;
      for (let m = from; m < to; m++) s += a[m];
      out[name] = s;
    }
  }
  return out;
}

/**
 * Counter totals of each simulated year (the last year may be partial) — without the
 * counters of optional modules the run did not use (OPTIONAL_MODULES).
 */
export function yearTotals(c: Counters, months: number): Record<CounterName, number>[] {
  const ran = modulesRun(c, months);
  const unused = (Object.keys(OPTIONAL_MODULES) as OptionalModule[]).filter((m) => !ran.has(m)).flatMap((m) => OPTIONAL_MODULES[m].counters);
  return Array.from({ length: Math.ceil(months / 12) }, (_, y) => {
    const t = totals(c, y * 12, Math.min(months, y * 12 + 12));
    for (const k of unused) delete t[k];
    return t;
  });
}

export type Comparison = ">=" | "<=" | "<" | "about";
export type Totals = Record<CounterName, number>;

export interface IndicatorDefinition {
  id: string;
  label: { en: string; zh: string };
  unit: "share" | "count" | "yuan" | "growth" | "per resident" | "per 10k" | "index";
  /** the period's value, given this period's and the previous period's totals */
  compute: (t: Totals, prev: Totals | undefined) => number | null;
  target?: { value: number; comparison: Comparison; source: string; note?: string };
  /** reference figure for plausibility (not a target) */
  reference?: { value: number; source: string };
  definition: string;
  /** the optional module whose counters it reads: it exists only in runs that used it (OPTIONAL_MODULES) */
  module?: OptionalModule;
  /** measured once a year (at the insurance year's end): no monthly value */
  annualOnly?: boolean;
}

const SEVERITY_KEYS = ["Minor", "Common", "Serious", "Critical"] as const;
const SEVERITY_LABELS = [
  { en: "minor", zh: "小病", need: "小病: a village clinic's" },
  { en: "common", zh: "常见病", need: "常见病: a township centre's" },
  { en: "serious", zh: "大病", need: "大病: a county hospital's" },
  { en: "critical", zh: "急危重症", need: "急危重症: tertiary care, never forgone" },
];
const QUINTILE_KEYS = ["Q1", "Q2", "Q3", "Q4", "Q5"] as const;
const episodes = (t: Totals) => t.episodesOutpatient + t.episodesChronic + t.episodesInpatient;
const forgone = (t: Totals) => t.forgoneOutpatient + t.forgoneChronic + t.forgoneInpatient;
const visits = (t: Totals) => t.visitsVillage + t.visitsTownship + t.visitsCounty + t.visitsOutOfCounty;
const admissions = (t: Totals) => t.admissionsVillage + t.admissionsTownship + t.admissionsCounty + t.admissionsOutOfCounty;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const growth = (now: number | null, before: number | null | undefined) => (now !== null && before !== null && before !== undefined && before > 0 ? now / before - 1 : null);
const downward = (t: Totals) => t.downwardReferralsInpatient + t.downwardReferralsChronic;
const gateReferred = (t: Totals) => t.gatekeepingReferredMinor + t.gatekeepingReferredCommon + t.gatekeepingReferredSerious;
const gateKept = (t: Totals) => t.gatekeepingKeptMinor + t.gatekeepingKeptCommon + t.gatekeepingKeptSerious;
const gateConsultations = (t: Totals) => gateReferred(t) + gateKept(t);
const costPerVisit = (t: Totals) => ratio(t.costOutpatient, visits(t));
const costPerAdmission = (t: Totals) => ratio(t.costInpatient, admissions(t));
/** all medical spending: treatments (outpatient, inpatient), referred patients' first stops, township inpatients' tests upstream */
const spending = (t: Totals) => t.costOutpatient + t.costInpatient + t.costGateway + t.costUpstreamTests;
const packageYearEnd = (t: Totals) =>
  t.settlementRetained + t.settlementReturned - t.settlementFromReserve - t.settlementInsurerPays - t.settlementCommunityBears;
const hasPackage = (t: Totals) => t.prepayments > 0;

/** Each benefit group's label and the suffix of its counters (groupCost<Suffix>, …). */
export const BENEFIT_GROUP_INFO: Record<BenefitGroup, { suffix: "Resident" | "ResidentPoor" | "Employee"; label: { en: string; zh: string } }> = {
  resident: { suffix: "Resident", label: { en: "resident scheme, not registered poor", zh: "居民医保·非建档立卡" } },
  residentPoor: { suffix: "ResidentPoor", label: { en: "resident scheme, registered poor", zh: "居民医保·建档立卡贫困人口" } },
  employee: { suffix: "Employee", label: { en: "employee scheme", zh: "职工医保" } },
};
const groupTotals = (t: Totals, g: BenefitGroup) => {
  const k = BENEFIT_GROUP_INFO[g].suffix;
  return { cost: t[`groupCost${k}`], reimbursed: t[`groupReimbursed${k}`], oop: t[`groupOop${k}`], episodes: t[`groupEpisodes${k}`] };
};
/** A benefit group's effective reimbursement ratio and OOP per episode in a period's totals (null without care). */
export function groupBenefits(t: Totals, g: BenefitGroup): { ratio: number | null; oopPerEpisode: number | null } {
  const x = groupTotals(t, g);
  return { ratio: x.cost > 0 ? x.reimbursed / x.cost : null, oopPerEpisode: x.episodes > 0 ? x.oop / x.episodes : null };
}

const Q = "000_d976d86ac1f892b7.txt";
const W = "001_ca634c5edf7b7e03.txt";
const J = "002_cfc78cb0d70fb95d.txt";
const N = "003_e150340525663deb.txt";
const X = "004_95fd1871afdd6e42.txt";

export const INDICATORS: IndicatorDefinition[] = [
  {
    id: "primaryVisitShare",
    label: { en: "Primary-care visit share", zh: "基层诊疗量占比" },
    unit: "share",
    compute: (t) => ratio(t.visitsVillage + t.visitsTownship, visits(t)),
    target: { value: 0.65, comparison: ">=", source: `${Q} §一; ${W} §三` },
    definition: "outpatient visits by the county's residents at village clinics and township centres ÷ all their outpatient visits (any tier, in or out of county); a visit is an outpatient episode treated, counted where it was treated — the consultation of a patient referred up from where it was first seen is a gateway consultation, not a visit",
  },
  {
    id: "withinCountyVisitRate",
    label: { en: "Within-county visit rate", zh: "县域内就诊率" },
    unit: "share",
    compute: (t) => ratio(visits(t) - t.visitsOutOfCounty + admissions(t) - t.admissionsOutOfCounty, visits(t) + admissions(t)),
    target: { value: 0.9, comparison: ">=", source: `${Q} §一; ${W} §三; ${X} §三` },
    definition: "residents' visits + admissions inside the county ÷ all their visits + admissions (gateway consultations and transfer stays not counted)",
  },
  {
    id: "withinCountyOutpatientRate",
    label: { en: "Within-county outpatient rate", zh: "县域内门诊就诊率" },
    unit: "share",
    compute: (t) => ratio(visits(t) - t.visitsOutOfCounty, visits(t)),
    definition: "outpatient visits inside the county ÷ all outpatient visits (component of the within-county rate)",
  },
  {
    id: "withinCountyAdmissionRate",
    label: { en: "Within-county admission rate", zh: "县域内住院率" },
    unit: "share",
    compute: (t) => ratio(admissions(t) - t.admissionsOutOfCounty, admissions(t)),
    definition: "admissions inside the county ÷ all admissions (component of the within-county rate)",
  },
  {
    id: "primaryAdmissionShare",
    label: { en: "Primary-care share of admissions", zh: "基层住院量占比" },
    unit: "share",
    compute: (t) => ratio(t.admissionsTownship + t.admissionsVillage, admissions(t)),
    reference: { value: 0.16, source: "national ≈16% (2019–2020), ../shared/domain.md §5" },
    definition: "admissions at township centres ÷ all admissions (including recovery stays after downward referral; a stay ending in upward transfer is a transfer stay, not an admission)",
  },
  {
    id: "crossTownshipShare",
    label: { en: "Township visits outside own township", zh: "跨乡镇就诊占比" },
    unit: "share",
    compute: (t) => ratio(t.visitsOtherTownship, t.visitsTownship),
    definition: "outpatient visits at a township centre other than the resident's own ÷ all township-centre visits",
  },
  {
    id: "downwardReferrals",
    label: { en: "Downward referrals", zh: "下转人次" },
    unit: "count",
    compute: (t) => downward(t),
    definition: "county-hospital patients referred down to primary care: recovering inpatients (to a township recovery stay) + stable chronic patients (to their village clinic)",
  },
  {
    id: "downwardReferralGrowth",
    label: { en: "Downward-referral growth", zh: "下转人次增长率" },
    unit: "growth",
    compute: (t, p) => growth(downward(t), p ? downward(p) : undefined),
    target: { value: 0.1, comparison: ">=", source: `${Q} §三(一)` },
    definition: "downward referrals this year ÷ last year − 1 (null in the first simulated year)",
  },
  {
    id: "inpatientDownwardReferralRate",
    label: { en: "Inpatient downward-referral rate", zh: "住院患者下转率" },
    unit: "share",
    compute: (t) => ratio(t.downwardReferralsInpatient, t.admissionsCounty),
    definition: "inpatients referred down ÷ county-hospital admissions (monitored, 004 §七(四))",
  },
  {
    id: "upwardReferrals",
    label: { en: "Upward referrals", zh: "上转人次" },
    unit: "count",
    compute: (t) => t.upwardReferrals,
    definition: "episodes referred up: first seen at a facility that could not treat them, or referred by the primary doctor at a required first contact (基层首诊; gatekeepingReferralRate)",
  },
  {
    id: "outOfCountyReferralRate",
    label: { en: "Out-of-county referral rate", zh: "县外转诊率" },
    unit: "share",
    compute: (t) => ratio(t.outOfCountyReferrals, t.visitsOutOfCounty + t.admissionsOutOfCounty),
    definition: "out-of-county encounters that came by referral ÷ all out-of-county encounters (monitored, 004 §七(四)); the rest bypassed the county",
  },
  // ---- a required first contact (基层首诊) — sim/gatekeeping.ts; null while the rule is not in force
  {
    id: "gatekeepingConsultations",
    label: { en: "First-contact consultations", zh: "基层首诊把关人次" },
    unit: "count",
    compute: (t) => (gateConsultations(t) > 0 ? gateConsultations(t) : null),
    definition:
      "non-critical episodes whose resident chose a county or out-of-county facility and was seen first by their primary doctor under a required first contact (insurance.firstContact.rule: required). Those the doctor kept were treated there (one visit or admission); for those who went on the consultation is a gateway consultation (gatewayConsultations), like the first stop of any referral, not a visit (null while the rule is not in force)",
  },
  {
    id: "gatekeepingReferralRate",
    label: { en: "First-contact referral rate", zh: "基层首诊上转率" },
    unit: "share",
    compute: (t) => ratio(gateReferred(t), gateConsultations(t)),
    definition:
      "episodes the primary doctor referred up ÷ first-contact consultations (counters gatekeepingReferred* and gatekeepingKept* by severity; an episode the first-contact facility cannot treat is always referred)",
  },
  {
    id: "gatekeepingUnreferredShare",
    label: { en: "Refused patients who went anyway", zh: "未获转诊仍自行上级就医占比" },
    unit: "share",
    compute: (t) => ratio(t.gatekeepingWentUnreferred, gateKept(t)),
    definition:
      "patients the primary doctor did not refer who still went to the county or out-of-county facility they had chosen, paying as unreferred care (insurance.firstContact.reimbursedWithoutReferral) ÷ all patients not referred",
  },
  {
    id: "gatewayConsultations",
    label: { en: "Gateway consultations", zh: "转诊前首诊人次" },
    unit: "count",
    compute: (t) => t.gatewayConsultations,
    definition: "consultations at a facility that could not treat the episode and referred the patient up (the first stop of an upward referral); counted apart from visits",
  },
  {
    id: "transferStays",
    label: { en: "Stays ending in upward transfer", zh: "上转前住院人次" },
    unit: "count",
    compute: (t) => t.transferStays,
    definition: "inpatient stays at a township centre or county hospital that ended in upward transfer (the first stop of a referred inpatient); counted apart from admissions",
  },
  {
    id: "upstreamTests",
    label: { en: "Township inpatients' tests at the county hospital", zh: "乡镇住院患者上级医院检查人次" },
    unit: "count",
    compute: (t) => t.upstreamTests,
    definition: "tests, imaging or teleconsultations done at the lead county hospital for a township-centre inpatient (004 §五(六)); not visits. Billed as a county-hospital outpatient claim, or — where the rule is in force (referralRules.upstreamTestsAtLowerRate) — in the township's inpatient bill at its rate (upstreamTestsInBill of them)",
  },
  {
    id: "costPerVisit",
    label: { en: "Cost per outpatient visit", zh: "门诊次均费用" },
    unit: "yuan",
    compute: (t) => costPerVisit(t),
    reference: { value: 324, source: "hospital outpatient ≈324 yuan, township 84.7 yuan (2020), ../shared/domain.md §5" },
    definition: "cost of outpatient visits ÷ outpatient visits (gateway consultations are in totalSpending, not here)",
  },
  {
    id: "costPerVisitGrowth",
    label: { en: "Cost per visit growth", zh: "门诊次均费用增长率" },
    unit: "growth",
    compute: (t, p) => growth(costPerVisit(t), p ? costPerVisit(p) : undefined),
    target: { value: 0.08, comparison: "<", source: `${J} 附件1` },
    definition: "cost per outpatient visit this year ÷ last year − 1",
  },
  {
    id: "costPerAdmission",
    label: { en: "Cost per admission", zh: "住院次均费用" },
    unit: "yuan",
    compute: (t) => costPerAdmission(t),
    reference: { value: 10600, source: "hospital inpatient ≈10,600 yuan, township 2,083 yuan (2020), ../shared/domain.md §5" },
    definition: "cost of admissions ÷ admissions (transfer stays are in totalSpending, not here)",
  },
  {
    id: "costPerAdmissionGrowth",
    label: { en: "Cost per admission growth", zh: "住院次均费用增长率" },
    unit: "growth",
    compute: (t, p) => growth(costPerAdmission(t), p ? costPerAdmission(p) : undefined),
    target: { value: 0.07, comparison: "<", source: `${J} 附件1`, note: "002 states inpatient cost growth per person; applied here per admission" },
    definition: "cost per admission this year ÷ last year − 1",
  },
  {
    id: "totalSpendingGrowth",
    label: { en: "Total medical spending growth", zh: "医疗费用总增长率" },
    unit: "growth",
    compute: (t, p) => growth(spending(t), p ? spending(p) : undefined),
    target: { value: 0.09, comparison: "<", source: `${J} 附件1` },
    definition: "residents' total medical spending (visits, admissions, gateway consultations, transfer stays and township inpatients' tests upstream) this year ÷ last year − 1",
  },
  {
    id: "oopShare",
    label: { en: "Out-of-pocket share of spending", zh: "个人卫生支出占比" },
    unit: "share",
    compute: (t) => ratio(t.oop, spending(t)),
    target: { value: 0.25, comparison: "<", source: `${J} 附件1`, note: "002's target is for total health spending incl. public health and government budgets; here the base is medical spending only, so it reads high" },
    definition: "residents' out-of-pocket payments ÷ their total medical spending",
  },
  {
    id: "insurerShareInpatient",
    label: { en: "Insurer share of in-policy inpatient cost", zh: "政策范围内住院费用基金支付比例" },
    unit: "share",
    compute: (t) => ratio(t.inpatientReimbursed, t.inpatientInPolicyCost),
    target: { value: 0.75, comparison: "about", source: `${J} 附件1`, note: "≈75%: met within ±5 points" },
    definition: "insurance reimbursement of inpatient care (admissions, transfer stays, and upstream tests billed in a township's inpatient bill) ÷ its in-policy (目录内) cost",
  },
  {
    id: "actualCompensationRatio",
    label: { en: "Actual compensation ratio of resident-scheme inpatients", zh: "居民医保住院患者实际补偿比" },
    unit: "share",
    compute: (t) => ratio(t.reimbursedInpatientResident, t.costInpatientResident),
    definition: `resident-scheme (城乡居民医保, formerly 新农合) reimbursement of inpatient care ÷ its total cost, in and out of the insurance catalogue — the 新农合住院患者实际补偿比例 that ${X} §七(四) puts in performance assessment; insurerShareInpatient is the in-policy share (both schemes)`,
  },
  {
    id: "insurerSpending",
    label: { en: "Insurer spending", zh: "医保基金支出" },
    unit: "yuan",
    compute: (t) => t.insurerClaims + t.prepayments - t.settlementReturned + t.settlementInsurerPays,
    definition: "claims (as incurred, deferred ones included) and case-based payments the insurer paid (DRG: with their year-end settlement) + capitation prepayments − surplus returned + overspend shared by the insurer",
  },
  {
    id: "capitationBalance",
    label: { en: "Capitation package balance (all communities)", zh: "医共体打包基金结余（各医共体合计）" },
    unit: "yuan",
    compute: (t) => (hasPackage(t) ? packageYearEnd(t) : null),
    target: { value: 0, comparison: ">=", source: `${Q} §二(二); ${N} §三` },
    definition: "year-end balance of the communities' packages before settlement: prepaid − claims of enrolled residents (null when no package is paid)",
  },
  {
    id: "packageOutsideShare",
    label: { en: "Package spent outside the community", zh: "打包基金医共体外支出占比" },
    unit: "share",
    compute: (t) => (hasPackage(t) ? ratio(t.packageOutsideClaims, t.packageClaims) : null),
    definition: "claims paid from the package to facilities outside the community (out of county, other communities) ÷ all package claims (000 §二(二): deducted from the package)",
  },
  {
    id: "insurerFundBalance",
    label: { en: "Insurance fund balance", zh: "医保基金结存" },
    unit: "yuan",
    compute: (t) => t.insurerFundBalance,
    target: { value: 0, comparison: ">=", source: `${N} §三 (基金不穿底)` },
    definition: "balance of the insurance funds (resident + employee) at the end of the period, after settlement; with payment.capitation.fundNeverNegative the insurer keeps each fund ≥ 0 at every month end (sim/payment/fund-guard.ts; see prepaymentCut and deferredClaims for who bore what it did not pay)",
  },
  {
    id: "prepaymentCut",
    label: { en: "Package prepayment cut to keep the fund ≥ 0", zh: "为保基金不穿底压减的打包预拨" },
    unit: "yuan",
    compute: (t) => t.prepaymentWithheld,
    definition: "capitation prepayments the insurer did not pay because its fund held too little above its claims provision (interim control under fundNeverNegative, 003 §三 基金不穿底); the package is that much smaller, so the cut is borne at year end by the community's reserve and, beyond the insurer's capped share, by the community (超支自付); 0 when the rule does not bind",
  },
  {
    id: "deferredClaims",
    label: { en: "Claims the fund owes facilities (deferred)", zh: "医保基金延付的医疗费用" },
    unit: "yuan",
    compute: (t) => t.deferredClaimsOutstanding,
    definition: "fee-for-service claims for care already delivered that the insurer deferred under fundNeverNegative because its fund was empty, not yet paid at the end of the period (a debt to the facilities, paid first from later revenue); 0 when the rule does not bind",
  },
  // ---- benefits by scheme and poverty status (待遇不降低, 003 §三) — judged by sim/benefits.ts
  ...BENEFIT_GROUPS.map((g): IndicatorDefinition => ({
    id: `effectiveReimbursementRatio${BENEFIT_GROUP_INFO[g].suffix}`,
    label: { en: `Effective reimbursement ratio, ${BENEFIT_GROUP_INFO[g].label.en}`, zh: `实际报销比（${BENEFIT_GROUP_INFO[g].label.zh}）` },
    unit: "share",
    compute: (t) => groupBenefits(t, g).ratio,
    definition: `insurance reimbursement ÷ total cost of all care of residents in the ${BENEFIT_GROUP_INFO[g].label.en} group (every tier, in and out of the insurance catalogue; medical assistance not counted) — one of the two benefits benefitsNotLower judges (待遇不降低, ${N} §三)`,
  })),
  ...BENEFIT_GROUPS.map((g): IndicatorDefinition => ({
    id: `oopPerEpisode${BENEFIT_GROUP_INFO[g].suffix}`,
    label: { en: `Out-of-pocket per episode, ${BENEFIT_GROUP_INFO[g].label.en}`, zh: `每病例自付费用（${BENEFIT_GROUP_INFO[g].label.zh}）` },
    unit: "yuan",
    compute: (t) => groupBenefits(t, g).oopPerEpisode,
    definition: `out-of-pocket payments (after medical assistance) ÷ illness episodes of residents in the ${BENEFIT_GROUP_INFO[g].label.en} group; an episode counts once whatever its encounters (a gateway visit or transfer stay before a referral, a recovery stay after one) — the other benefit benefitsNotLower judges (待遇不降低, ${N} §三)`,
  })),
  // ---- financial protection and equity (sim/protection.ts): measured at each insurance year's end from residents' annual OOP
  {
    id: "catastrophicExpenditure10",
    label: { en: "Catastrophic health expenditure (OOP > 10% of income)", zh: "灾难性卫生支出发生率（自付 > 收入10%）" },
    unit: "share",
    annualOnly: true,
    compute: (t) => ratio(t.catastrophic10, t.protectionResidents),
    definition: "share of residents whose out-of-pocket payments in the insurance year exceed 10% of their income in it — SDG 3.8.2_10 (UN SDG metadata, custodians WHO and World Bank: large household expenditure on health, > 10% of total household consumption or, when unavailable, income); here per person and on income, the only measure the county data give (sim/protection.ts)",
  },
  {
    id: "catastrophicExpenditure25",
    label: { en: "Catastrophic health expenditure (OOP > 25% of income)", zh: "灾难性卫生支出发生率（自付 > 收入25%）" },
    unit: "share",
    annualOnly: true,
    compute: (t) => ratio(t.catastrophic25, t.protectionResidents),
    definition: "as catastrophicExpenditure10 at the SDG 3.8.2_25 threshold: out-of-pocket payments above 25% of income",
  },
  ...[1, 2, 3, 4, 5].map((q): IndicatorDefinition => ({
    id: `oopPerResidentQ${q}`,
    label: {
      en: `OOP per resident, income quintile ${q}${q === 1 ? " (poorest)" : q === 5 ? " (richest)" : ""}`,
      zh: `人均自付费用（收入五等分第${q}组${q === 1 ? "，最低" : q === 5 ? "，最高" : ""}）`,
    },
    unit: "yuan",
    annualOnly: true,
    compute: (t) => ratio(t[`oopQuintile${q}` as CounterName], t[`residentYearsQuintile${q}` as CounterName]),
    definition: `out-of-pocket payments per resident-year of the residents in income quintile ${q} (county-wide quintiles of per-person income; Q1 the poorest fifth)`,
  })),
  {
    id: "oopPerResidentPoor",
    label: { en: "OOP per resident, registered poor", zh: "人均自付费用（建档立卡贫困人口）" },
    unit: "yuan",
    annualOnly: true,
    compute: (t) => ratio(t.oopPoor, t.residentYearsPoor),
    definition: `out-of-pocket payments (after medical assistance) per resident-year of registered-poor residents (健康扶贫, ${Q} §三(七))`,
  },
  {
    id: "oopPerResidentNonPoor",
    label: { en: "OOP per resident, not registered poor", zh: "人均自付费用（非建档立卡人口）" },
    unit: "yuan",
    annualOnly: true,
    compute: (t) => ratio(t.oopNonPoor, t.residentYearsNonPoor),
    definition: "out-of-pocket payments per resident-year of the other residents (both schemes); by township: compare's oopPerResidentByTownship",
  },
  // ---- supply side and the siphon (虹吸) — sim/supply.ts, README "Reading the siphon indicators"
  {
    id: "patientSiphonShare",
    label: { en: "Primary-treatable episodes at county hospitals", zh: "基层可诊治病例县级医院就诊占比" },
    unit: "share",
    compute: (t) => ratio(t.primaryTreatableAtCounty, t.primaryTreatable),
    definition:
      "episodes a township centre could treat (severity within its capability for that kind of care) that were treated at a county hospital ÷ all such episodes — the patient siphon (防止牵头医院…“虹吸”基层患者, 004 §五(六)); compare reports its change against the baseline as patientSiphon",
  },
  {
    id: "staffSiphon",
    label: { en: "Net doctors moved primary → county", zh: "基层→县级医院医生净流动" },
    unit: "count",
    compute: (t) => t.staffPrimaryToCounty - t.staffCountyToPrimary,
    target: { value: 0, comparison: "<=", source: `${Q} §三(一) (不得…“虹吸”基层医疗卫生机构人才资源); ${W} item 10` },
    definition:
      "doctors who took a post at a county hospital from a village or township post this year − doctors who moved the other way (postings by the lead hospital included; grassroots rotations and doctor-days sent down are not moves)",
  },
  {
    id: "primaryDoctorsPer10k",
    label: { en: "Primary-care doctors per 10,000 residents", zh: "每万居民基层医生数" },
    unit: "per 10k",
    compute: (t) => (t.population > 0 ? ((t.doctorsVillage + t.doctorsTownship) / t.population) * 1e4 : null),
    definition: "doctors in post at township centres and village clinics (county doctors on a grassroots rotation included) per 10,000 residents, at the end of the period",
  },
  {
    id: "gpPer10k",
    label: { en: "General practitioners per 10,000 residents", zh: "每万居民全科医生数" },
    unit: "per 10k",
    compute: (t) => (t.population > 0 ? (t.gpAll / t.population) * 1e4 : null),
    target: { value: 3, comparison: ">=", source: `${J} Annex 1, §30` },
    reference: { value: 2.22, source: "national 2.22 (2018), ../shared/domain.md §5" },
    definition: "general practitioners in post at any tier of the county per 10,000 residents, at the end of the period",
  },
  {
    id: "primaryCapacityIndex",
    label: { en: "Primary outpatient capacity (start = 1)", zh: "基层门诊服务能力指数（期初=1）" },
    unit: "index",
    compute: (t) => (t.population > 0 ? t.primaryCapacityIndex : null),
    definition: "outpatient capacity of village clinics and township centres (own doctors + rotating + doctor-days sent down) ÷ the same at the start of the run; a tier without a capacity norm (capacity.outpatientVisitsPerDoctorPerMonth = 0, unconstrained) is left out, and with neither constrained the index is 1",
  },
  {
    id: "countyDoctors",
    label: { en: "County-hospital doctors", zh: "县级医院医生数" },
    unit: "count",
    compute: (t) => (t.population > 0 ? t.doctorsCounty : null),
    definition: "doctors in post at the county hospitals at the end of the period (full size, whatever --scale)",
  },
  {
    id: "primaryDoctors",
    label: { en: "Primary-care doctors", zh: "基层医生数" },
    unit: "count",
    compute: (t) => (t.population > 0 ? t.doctorsVillage + t.doctorsTownship : null),
    definition: "doctors in post at township centres and village clinics at the end of the period (full size)",
  },
  {
    id: "countyBeds",
    label: { en: "County-hospital beds", zh: "县级医院床位数" },
    unit: "count",
    compute: (t) => (t.population > 0 ? t.countyBeds : null),
    definition: "beds of the county hospitals at the end of the period (full size): grown by the lead hospital when it expands under fee-for-service",
  },
  {
    id: "sendDownDoctorDays",
    label: { en: "Doctor-days sent down", zh: "下派医生工作日" },
    unit: "count",
    compute: (t) => t.sendDownDoctorDays,
    definition: "county-hospital doctor-days worked at member township centres in the period (派驻 / 多点执业), full size",
  },
  // ---- care-seeking and forgone care — sim/care-seeking.ts
  {
    id: "forgoneCareShare",
    label: { en: "Forgone care (all episodes)", zh: "患病未就诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(forgone(t), episodes(t)),
    definition: "illness episodes not taken to any facility (self-care, pharmacy, forgone; admissions deferred) ÷ all episodes: acute outpatient episodes, scheduled chronic follow-ups and admissions needed",
  },
  {
    id: "forgoneOutpatientShare",
    label: { en: "Acute outpatient episodes not taken to a facility", zh: "门诊患病未就诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t.forgoneOutpatient, t.episodesOutpatient),
    definition: "acute outpatient episodes (the two-week illnesses of the National Health Services Survey) treated at home or at a pharmacy, or not at all ÷ all acute outpatient episodes",
  },
  {
    id: "forgoneChronicFollowUpShare",
    label: { en: "Chronic follow-ups missed", zh: "慢病随访未就诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t.forgoneChronic, t.episodesChronic),
    definition: "scheduled chronic follow-up visits not made ÷ all scheduled",
  },
  {
    id: "forgoneAdmissionShare",
    label: { en: "Admissions needed, not taken", zh: "应住院未住院比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t.forgoneInpatient, t.episodesInpatient),
    definition: "admissions needed but deferred ÷ all admissions needed (critical episodes are never deferred)",
  },
  ...SEVERITY_KEYS.map((k, s): IndicatorDefinition => ({
    id: `forgoneShare${k}`,
    label: { en: `Forgone care, ${SEVERITY_LABELS[s].en} episodes`, zh: `${SEVERITY_LABELS[s].zh}未就诊比例` },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t[`forgone${k}`], t[`episodes${k}`]),
    definition: `${SEVERITY_LABELS[s].en} episodes (${SEVERITY_LABELS[s].need}) of every kind not taken to a facility ÷ all ${SEVERITY_LABELS[s].en} episodes — forgone care by tier of need`,
  })),
  ...QUINTILE_KEYS.map((k, q): IndicatorDefinition => ({
    id: `forgoneShare${k}`,
    label: { en: `Forgone care, income quintile ${q + 1}`, zh: `收入第${q + 1}五分位组未就诊比例` },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t[`forgone${k}`], t[`episodes${k}`]),
    definition: `episodes of residents in income quintile ${q + 1} (${q === 0 ? "the poorest fifth" : q === 4 ? "the richest fifth" : "of five"}, by start-year income) not taken to a facility ÷ all their episodes`,
  })),
  {
    id: "forgoneSharePoor",
    label: { en: "Forgone care, registered poor", zh: "建档立卡贫困人口未就诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t.forgonePoor, t.episodesPoor),
    definition: "episodes of registered-poor residents (建档立卡) not taken to a facility ÷ all their episodes",
  },
  {
    id: "forgoneShareNonPoor",
    label: { en: "Forgone care, not registered poor", zh: "非贫困人口未就诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(forgone(t) - t.forgonePoor, episodes(t) - t.episodesPoor),
    definition: "episodes of residents who are not registered poor not taken to a facility ÷ all their episodes",
  },
  {
    id: "inducedReturnVisitShare",
    label: { en: "Supplier-induced return visits", zh: "诱导复诊占门诊比例" },
    unit: "share",
    module: "careSeeking",
    compute: (t) => ratio(t.inducedReturnVisits, visits(t)),
    definition: "extra follow-up visits induced by facilities paid per item (fee-for-service; careSeeking.inducedReturnVisits) ÷ all outpatient visits",
  },
  {
    id: "visitsPerResident",
    label: { en: "Visits per resident", zh: "人均门诊人次" },
    unit: "per resident",
    compute: (t) => ratio(visits(t), t.residents),
    reference: { value: 6, source: "national ≈6 visits per person per year, ../shared/domain.md §5" },
    definition: "outpatient visits ÷ residents (per year for yearly values): one visit per outpatient episode treated (acute or chronic follow-up), where it was treated; a referred patient's consultation at the facility that referred it up is a gateway consultation, not a visit",
  },
  {
    id: "admissionsPerResident",
    label: { en: "Admissions per resident", zh: "人均住院人次" },
    unit: "per resident",
    compute: (t) => ratio(admissions(t), t.residents),
    reference: { value: 0.18, source: "national hospitalisation rate ≈18%, ../shared/domain.md §5" },
    definition: "admissions ÷ residents: inpatient episodes treated + recovery stays after downward referral; a stay that ends in upward transfer is a transfer stay, not an admission",
  },
  // ---- case-based payment (per-disease, DRG points, per-diem), in runs that use it
  ...CASE_PAYMENT_INDICATORS,
  ...PROVIDER_RESPONSE_INDICATORS,
];

/**
 * Indicators with one value per group whose groups depend on the county (not a fixed list
 * of counters): computed from the run's per-group series (sim/protection.ts) and reported
 * by compare (JSON, CSV, table range) and in each run's indicators.json.
 */
export interface BreakdownDefinition {
  id: string;
  label: { en: string; zh: string };
  unit: IndicatorDefinition["unit"];
  by: "township";
  definition: string;
}

export const BREAKDOWNS: BreakdownDefinition[] = [
  {
    id: "oopPerResidentByTownship",
    label: { en: "OOP per resident by township", zh: "分乡镇人均自付费用" },
    unit: "yuan",
    by: "township",
    definition: "out-of-pocket payments per resident-year of the residents of each township (where they live, wherever treated), measured at each insurance year's end (sim/protection.ts)",
  },
];

/** The year the reform's targets are set for (000 §一: 2020). */
export const TARGET_YEAR = 2020;

/** Most years one run simulates (simulate() refuses more). */
export const MAX_SIMULATED_YEARS = 50;

/**
 * Default horizon: simulated years from a scenario's start year through the target year
 * (at least 1). A scenario starting so early that this exceeds what one run simulates is
 * an input error naming its file, not a failure half-way (a 1900 start meant 121 years).
 */
export function yearsThroughTargetYear(startYear: number, file = "scenario"): number {
  const years = Math.max(1, TARGET_YEAR - startYear + 1);
  if (years > MAX_SIMULATED_YEARS)
    throw new InputError([`${file}: start = ${startYear}: through the ${TARGET_YEAR} target year that is ${years} simulated years; at most ${MAX_SIMULATED_YEARS} — give --years N, or start the scenario later`]);
  return years;
}

export const INDICATOR_IDS = INDICATORS.map((d) => d.id);

export interface IndicatorValue {
  value: number | null;
  target: number | null;
  comparison: Comparison | null;
  met: boolean | null;
  /** value − target (null without a target or value) */
  gap: number | null;
}

/**
 * The target-met rule, defined once: ">=", "<=", "<" as written; "about" within ±5
 * points (0.05) of the target. Every verdict — indicators, compare, the briefing, the
 * charts' bars, probabilities over seeds — is this function.
 */
export function meetsTarget(value: number, target: { value: number; comparison: Comparison }): boolean {
  const t = target.value;
  switch (target.comparison) {
    case ">=":
      return value >= t;
    case "<=":
      return value <= t;
    case "<":
      return value < t;
    case "about":
      return Math.abs(value - t) <= 0.05 + 1e-12;
  }
}

export function judge(def: IndicatorDefinition, value: number | null): IndicatorValue {
  if (!def.target || value === null) {
    return { value, target: def.target?.value ?? null, comparison: def.target?.comparison ?? null, met: null, gap: null };
  }
  const { value: target, comparison } = def.target;
  return { value, target, comparison, met: meetsTarget(value, def.target), gap: value - target };
}

export interface PeriodIndicators {
  /** "2019" for a year, "2019-03" for a month */
  period: string;
  values: Record<string, IndicatorValue>;
}

/** Yearly indicators from monthly counters (months are consecutive from `start`). */
export function yearlyIndicators(c: Counters, start: YearMonth, months: number): PeriodIndicators[] {
  const defs = indicatorsOf(c, months);
  const out: PeriodIndicators[] = [];
  let prev: Totals | undefined;
  for (let from = 0; from < months; from += 12) {
    const to = Math.min(months, from + 12);
    const t = totals(c, from, to);
    const values: Record<string, IndicatorValue> = {};
    for (const d of defs) values[d.id] = judge(d, d.compute(t, prev));
    const firstMonth = start.month - 1 + from;
    const label = start.month === 1 ? String(start.year + from / 12) : `${start.year + Math.floor(firstMonth / 12)}-${String((firstMonth % 12) + 1).padStart(2, "0")}+12m`;
    out.push({ period: label, values });
    prev = t;
  }
  return out;
}

/** Monthly indicators (growth indicators compare with the same month a year earlier). */
export function monthlyIndicators(c: Counters, start: YearMonth, months: number): PeriodIndicators[] {
  const defs = indicatorsOf(c, months);
  const out: PeriodIndicators[] = [];
  for (let m = 0; m < months; m++) {
    const t = totals(c, m, m + 1);
    const prev = m >= 12 ? totals(c, m - 12, m - 11) : undefined;
    const values: Record<string, IndicatorValue> = {};
    for (const d of defs) {
      // Per-resident rates are per year: scale monthly counts by 12. Annual measures have no monthly value.
      const v = d.annualOnly ? null : d.compute(t, prev);
      values[d.id] = judge(d, d.unit === "per resident" && v !== null ? v * 12 : v);
    }
    const k = start.month - 1 + m;
    out.push({ period: `${start.year + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`, values });
  }
  return out;
}

/**
 * Indicators over a trailing window (default 12 months), one value per month end: the
 * year-long definition (and target) applied to the last 12 months, so monthly swings
 * (e.g. two-month prescriptions) do not hide the trend, and the last point equals the
 * final calendar year's value when the run ends in December. Growth compares with the
 * window a year earlier. Periods are the window's last month, "YYYY-MM".
 */
export function rollingIndicators(counters: Counters, start: YearMonth, months: number, window = 12): PeriodIndicators[] {
  const out: PeriodIndicators[] = [];
  const defs = indicatorsOf(counters, months);
  for (let end = window; end <= months; end++) {
    const t = totals(counters, end - window, end);
    const prev = end - window - 12 >= 0 ? totals(counters, end - window - 12, end - 12) : undefined;
    const values: PeriodIndicators["values"] = {};
    for (const d of defs) values[d.id] = judge(d, d.compute(t, prev));
    out.push({ period: monthPeriod(start, end - 1), values });
  }
  return out;
}

/** The period label "YYYY-MM" of month `m` (0-based) of a run starting at `start`. */
function monthPeriod(start: YearMonth, m: number): string {
  const k = start.year * 12 + start.month - 1 + m;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
}
