/**
 * Indicators and the 2020 targets — defined once, here.
 *
 * The engine fills monthly *counters* (raw counts and money); every indicator is a
 * function of one year's (or month's) counter totals, with its target, the clause the
 * target comes from, and how "met" is judged. README.md documents the same list.
 */
import { InputError } from "./scenario/errors";
import type { YearMonth } from "./scenario/load";

export const COUNTER_NAMES = [
  "visitsVillage", "visitsTownship", "visitsCounty", "visitsOutOfCounty", "visitsOtherTownship",
  "admissionsVillage", "admissionsTownship", "admissionsCounty", "admissionsOutOfCounty",
  "episodesOutpatient", "episodesInpatient", "episodesChronic",
  "upwardReferrals", "outOfCountyReferrals", "downwardReferralsInpatient", "downwardReferralsChronic",
  "costOutpatient", "costInpatient", "oop", "reimbursed", "assistance",
  "inpatientInPolicyCost", "inpatientReimbursed",
  "premiums", "prepayments", "insurerClaims", "packageClaims", "packageOutsideClaims",
  "settlementRetained", "settlementReturned", "settlementFromReserve", "settlementInsurerPays", "settlementCommunityBears", "settlementPartialYear",
  "insurerFundBalance", "packageBalance", "communityReserve", "residents", "capitationEnrolled",
  // supply side (sim/supply.ts): episodes a township centre could treat, and where they were treated
  "primaryTreatable", "primaryTreatableAtCounty",
  // staff flows (each January) and stocks (full-size headcounts, whatever --scale)
  "staffPrimaryToCounty", "staffCountyToPrimary", "staffPostedDown", "staffRotations", "staffExits", "staffRecruitsCounty", "staffRecruitsPrimary",
  "doctorsVillage", "doctorsTownship", "doctorsCounty", "gpAll", "gpPrimary", "population",
  "sendDownDoctorDays", "staffBonuses", "primaryInvestment", "countyBeds", "primaryCapacityIndex", "leadSignal",
  // care-seeking (sim/care-seeking.ts): episodes by severity, income quintile and poverty, and those forgone
  // (not taken to any facility); supplier-induced return visits under fee-for-service
  "episodesMinor", "episodesCommon", "episodesSerious", "episodesCritical",
  "forgoneMinor", "forgoneCommon", "forgoneSerious", "forgoneCritical",
  "forgoneOutpatient", "forgoneChronic", "forgoneInpatient",
  "episodesQ1", "episodesQ2", "episodesQ3", "episodesQ4", "episodesQ5",
  "forgoneQ1", "forgoneQ2", "forgoneQ3", "forgoneQ4", "forgoneQ5",
  "episodesPoor", "forgonePoor", "inducedReturnVisits",
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, Float64Array>;

/** Counters that are end-of-period stocks (take the last month), not flows (sum). */
const STOCKS: ReadonlySet<CounterName> = new Set([
  "insurerFundBalance", "packageBalance", "communityReserve", "residents", "capitationEnrolled",
  "doctorsVillage", "doctorsTownship", "doctorsCounty", "gpAll", "gpPrimary", "population", "countyBeds", "primaryCapacityIndex", "leadSignal",
]);

export function newCounters(months: number): Counters {
  const c = {} as Counters;
  for (const name of COUNTER_NAMES) c[name] = new Float64Array(months);
  return c;
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

/** Counter totals of each simulated year (the last year may be partial). */
export function yearTotals(c: Counters, months: number): Record<CounterName, number>[] {
  return Array.from({ length: Math.ceil(months / 12) }, (_, y) => totals(c, y * 12, Math.min(months, y * 12 + 12)));
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
const costPerVisit = (t: Totals) => ratio(t.costOutpatient, visits(t));
const costPerAdmission = (t: Totals) => ratio(t.costInpatient, admissions(t));
const spending = (t: Totals) => t.costOutpatient + t.costInpatient;
const packageYearEnd = (t: Totals) =>
  t.settlementRetained + t.settlementReturned - t.settlementFromReserve - t.settlementInsurerPays - t.settlementCommunityBears;
const hasPackage = (t: Totals) => t.prepayments > 0;

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
    definition: "outpatient visits by the county's residents at village clinics and township centres ÷ all their outpatient visits (any tier, in or out of county)",
  },
  {
    id: "withinCountyVisitRate",
    label: { en: "Within-county visit rate", zh: "县域内就诊率" },
    unit: "share",
    compute: (t) => ratio(visits(t) - t.visitsOutOfCounty + admissions(t) - t.admissionsOutOfCounty, visits(t) + admissions(t)),
    target: { value: 0.9, comparison: ">=", source: `${Q} §一; ${W} §三; ${X} §三` },
    definition: "residents' encounters (outpatient visits + admissions) inside the county ÷ all their encounters",
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
    definition: "admissions at township centres ÷ all admissions (including recovery stays after downward referral)",
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
    definition: "episodes first seen at a facility that could not treat them and referred up",
  },
  {
    id: "outOfCountyReferralRate",
    label: { en: "Out-of-county referral rate", zh: "县外转诊率" },
    unit: "share",
    compute: (t) => ratio(t.outOfCountyReferrals, t.visitsOutOfCounty + t.admissionsOutOfCounty),
    definition: "out-of-county encounters that came by referral ÷ all out-of-county encounters (monitored, 004 §七(四)); the rest bypassed the county",
  },
  {
    id: "costPerVisit",
    label: { en: "Cost per outpatient visit", zh: "门诊次均费用" },
    unit: "yuan",
    compute: (t) => costPerVisit(t),
    reference: { value: 324, source: "hospital outpatient ≈324 yuan, township 84.7 yuan (2020), ../shared/domain.md §5" },
    definition: "outpatient cost ÷ outpatient visits",
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
    definition: "inpatient cost ÷ admissions",
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
    definition: "residents' total medical spending (outpatient + inpatient) this year ÷ last year − 1",
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
    definition: "insurance reimbursement of inpatient care ÷ its in-policy (目录内) cost",
  },
  {
    id: "insurerSpending",
    label: { en: "Insurer spending", zh: "医保基金支出" },
    unit: "yuan",
    compute: (t) => t.insurerClaims + t.prepayments - t.settlementReturned + t.settlementInsurerPays,
    definition: "fee-for-service claims + capitation prepayments − surplus returned + overspend shared by the insurer",
  },
  {
    id: "capitationBalance",
    label: { en: "Capitation package balance", zh: "医共体打包基金结余" },
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
    definition: "balance of the insurance funds (resident + employee) at the end of the period, after settlement",
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
    definition: "outpatient capacity of village clinics and township centres (own doctors + rotating + doctor-days sent down) ÷ the same at the start of the run",
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
    compute: (t) => ratio(forgone(t), episodes(t)),
    definition: "illness episodes not taken to any facility (self-care, pharmacy, forgone; admissions deferred) ÷ all episodes: acute outpatient episodes, scheduled chronic follow-ups and admissions needed",
  },
  {
    id: "forgoneOutpatientShare",
    label: { en: "Acute outpatient episodes not taken to a facility", zh: "门诊患病未就诊比例" },
    unit: "share",
    compute: (t) => ratio(t.forgoneOutpatient, t.episodesOutpatient),
    definition: "acute outpatient episodes (the two-week illnesses of the National Health Services Survey) treated at home or at a pharmacy, or not at all ÷ all acute outpatient episodes",
  },
  {
    id: "forgoneChronicFollowUpShare",
    label: { en: "Chronic follow-ups missed", zh: "慢病随访未就诊比例" },
    unit: "share",
    compute: (t) => ratio(t.forgoneChronic, t.episodesChronic),
    definition: "scheduled chronic follow-up visits not made ÷ all scheduled",
  },
  {
    id: "forgoneAdmissionShare",
    label: { en: "Admissions needed, not taken", zh: "应住院未住院比例" },
    unit: "share",
    compute: (t) => ratio(t.forgoneInpatient, t.episodesInpatient),
    definition: "admissions needed but deferred ÷ all admissions needed (critical episodes are never deferred)",
  },
  ...SEVERITY_KEYS.map((k, s): IndicatorDefinition => ({
    id: `forgoneShare${k}`,
    label: { en: `Forgone care, ${SEVERITY_LABELS[s].en} episodes`, zh: `${SEVERITY_LABELS[s].zh}未就诊比例` },
    unit: "share",
    compute: (t) => ratio(t[`forgone${k}`], t[`episodes${k}`]),
    definition: `${SEVERITY_LABELS[s].en} episodes (${SEVERITY_LABELS[s].need}) of every kind not taken to a facility ÷ all ${SEVERITY_LABELS[s].en} episodes — forgone care by tier of need`,
  })),
  ...QUINTILE_KEYS.map((k, q): IndicatorDefinition => ({
    id: `forgoneShare${k}`,
    label: { en: `Forgone care, income quintile ${q + 1}`, zh: `收入第${q + 1}五分位组未就诊比例` },
    unit: "share",
    compute: (t) => ratio(t[`forgone${k}`], t[`episodes${k}`]),
    definition: `episodes of residents in income quintile ${q + 1} (${q === 0 ? "the poorest fifth" : q === 4 ? "the richest fifth" : "of five"}, by start-year income) not taken to a facility ÷ all their episodes`,
  })),
  {
    id: "forgoneSharePoor",
    label: { en: "Forgone care, registered poor", zh: "建档立卡贫困人口未就诊比例" },
    unit: "share",
    compute: (t) => ratio(t.forgonePoor, t.episodesPoor),
    definition: "episodes of registered-poor residents (建档立卡) not taken to a facility ÷ all their episodes",
  },
  {
    id: "forgoneShareNonPoor",
    label: { en: "Forgone care, not registered poor", zh: "非贫困人口未就诊比例" },
    unit: "share",
    compute: (t) => ratio(forgone(t) - t.forgonePoor, episodes(t) - t.episodesPoor),
    definition: "episodes of residents who are not registered poor not taken to a facility ÷ all their episodes",
  },
  {
    id: "inducedReturnVisitShare",
    label: { en: "Supplier-induced return visits", zh: "诱导复诊占门诊比例" },
    unit: "share",
    compute: (t) => ratio(t.inducedReturnVisits, visits(t)),
    definition: "extra follow-up visits induced by facilities paid per item (fee-for-service; careSeeking.inducedReturnVisits) ÷ all outpatient visits",
  },
  {
    id: "visitsPerResident",
    label: { en: "Visits per resident", zh: "人均门诊人次" },
    unit: "per resident",
    compute: (t) => ratio(visits(t), t.residents),
    reference: { value: 6, source: "national ≈6 visits per person per year, ../shared/domain.md §5" },
    definition: "outpatient visits ÷ residents (per year for yearly values)",
  },
  {
    id: "admissionsPerResident",
    label: { en: "Admissions per resident", zh: "人均住院人次" },
    unit: "per resident",
    compute: (t) => ratio(admissions(t), t.residents),
    reference: { value: 0.18, source: "national hospitalisation rate ≈18%, ../shared/domain.md §5" },
    definition: "admissions ÷ residents",
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

export function judge(def: IndicatorDefinition, value: number | null): IndicatorValue {
  if (!def.target || value === null) {
    return { value, target: def.target?.value ?? null, comparison: def.target?.comparison ?? null, met: null, gap: null };
  }
  const { value: target, comparison } = def.target;
  const met =
    comparison === ">=" ? value >= target : comparison === "<=" ? value <= target : comparison === "<" ? value < target : Math.abs(value - target) <= 0.05 + 1e-12;
  return { value, target, comparison, met, gap: value - target };
}

export interface PeriodIndicators {
  /** "2019" for a year, "2019-03" for a month */
  period: string;
  values: Record<string, IndicatorValue>;
}

/** Yearly indicators from monthly counters (months are consecutive from `start`). */
export function yearlyIndicators(c: Counters, start: YearMonth, months: number): PeriodIndicators[] {
  const out: PeriodIndicators[] = [];
  let prev: Totals | undefined;
  for (let from = 0; from < months; from += 12) {
    const to = Math.min(months, from + 12);
    const t = totals(c, from, to);
    const values: Record<string, IndicatorValue> = {};
    for (const d of INDICATORS) values[d.id] = judge(d, d.compute(t, prev));
    const firstMonth = start.month - 1 + from;
    const label = start.month === 1 ? String(start.year + from / 12) : `${start.year + Math.floor(firstMonth / 12)}-${String((firstMonth % 12) + 1).padStart(2, "0")}+12m`;
    out.push({ period: label, values });
    prev = t;
  }
  return out;
}

/** Monthly indicators (growth indicators compare with the same month a year earlier). */
export function monthlyIndicators(c: Counters, start: YearMonth, months: number): PeriodIndicators[] {
  const out: PeriodIndicators[] = [];
  for (let m = 0; m < months; m++) {
    const t = totals(c, m, m + 1);
    const prev = m >= 12 ? totals(c, m - 12, m - 11) : undefined;
    const values: Record<string, IndicatorValue> = {};
    for (const d of INDICATORS) {
      // Per-resident rates are per year: scale monthly counts by 12.
      const v = d.compute(t, prev);
      values[d.id] = judge(d, d.unit === "per resident" && v !== null ? v * 12 : v);
    }
    const k = start.month - 1 + m;
    out.push({ period: `${start.year + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`, values });
  }
  return out;
}
