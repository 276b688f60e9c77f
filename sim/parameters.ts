/**
 * Behavioural, epidemiological, cost and capacity parameters (data/parameters.yaml).
 *
 * Each parameter is declared once, here: its type, range, unit and meaning (PARAMETERS_SPEC).
 * The TypeScript type `Parameters` and the loader's checks are derived from that
 * declaration; the value and its source stay in the YAML file, where every leaf is
 * `{value, unit, source}` so that provenance travels with the number. `loadParameterFile`
 * checks that shape, strips it to plain values and validates them against the
 * declaration. Scenarios, jobs and the experiment commands override leaves by dotted path
 * (sim/scenario/overrides.ts).
 */
import { AGE_BANDS, SEVERITIES, TIERS, type Severity, type Tier } from "./tier";
import { distributionMean, parseDistribution } from "./distributions";
import { doc, flag, int, map, num, obj, oneOf, record, shareOf, type Infer, type Spec, isPlainObject } from "./scenario/schema";
import { CASE_TIERS, caseMixProblems } from "./payment/case-mix";
import { DEATH_AGE_GROUPS } from "./population/rates";

const byTier = <S extends Spec>(s: S) => record(TIERS, s);
const bySeverity = <S extends Spec>(s: S) => record(SEVERITIES, s);
const byAge = <S extends Spec>(s: S) => record(AGE_BANDS, s);
/** township / county: the tiers a case-based scheme pays (sim/payment/case-mix.ts) */
const byCaseTier = <S extends Spec>(s: S) => record(CASE_TIERS, s);
const stayChange = (scheme: string) => num(-0.9, 2, "fraction", `relative change in the length of stay of cases paid ${scheme} (0 = none)`);
const severityOrNone = oneOf("none", ...SEVERITIES);
/** severities a required first contact applies to (critical episodes — emergencies — are exempt) */
const GATED_SEVERITIES = ["minor", "common", "serious"] as const;
/** utility (logit) terms */
const u = (min: number, max: number, d: string) => num(min, max, "utility", d);
/** A logistic yearly move probability (sim/staff/mobility.ts). */
const move = obj({
  intercept: num(-30, 30, "log-odds per year", "log-odds of moving per year when pay and workload are equal"),
  payElasticity: num(0, 20, "log-odds per unit ln(pay ratio)", "log-odds per unit of ln(pay there ÷ pay here)"),
  workloadElasticity: num(-20, 20, "log-odds per unit workload gap", "log-odds per unit of (workload here − workload there); workload = load ÷ capacity"),
});
const pay = (tier: string) => num(1, 1e7, "yuan/year", `base pay per doctor-year, ${tier}`);

export const PARAMETERS_SPEC = obj({
  choice: doc("Multinomial-logit utility of going to a facility for an episode (sim/choice.ts)", obj({
    quality: num(0, 50, "utility per unit quality", "weight of perceived treatment quality (0–1 scale)"),
    oopPer100Yuan: num(-50, 0, "utility per 100 yuan", "weight of out-of-pocket cost, at the reference income"),
    referenceMonthlyIncome: num(1, 1e6, "yuan/month", "income at which oopPer100Yuan applies; OOP weight scales with it ÷ own income"),
    travelWithinHour: u(-20, 20, "utility of a facility within one hour's travel"),
    travelPerHour: num(-50, 0, "utility per hour", "distance decay per hour of one-way travel"),
    habit: u(-20, 20, "utility of returning to the facility used last time"),
    familyDoctorContract: u(-20, 20, "utility of a contracted resident's own village clinic and township centre"),
    bundleHospital: u(-20, 20, 'utility of the county and the city hospital of a contracted resident\'s "1+1+1" bundle (familyDoctor.model "1+1+1")'),
    ownTownshipCentre: u(-20, 20, "utility of the resident's own township centre over another township's"),
    crowding: num(-50, 0, "utility per unit overload", "utility per unit of expected load above capacity (load ÷ capacity − 1, floored at 0)"),
    referralHassle: u(-20, 20, "utility of a first contact that must refer the patient on"),
    inpatientOopScale: num(0, 10, "multiplier", "multiplier on oopPer100Yuan for inpatient episodes"),
    tierConstant: doc("alternative-specific constant per tier, outpatient (county = reference)", byTier(u(-50, 50, "tier constant, outpatient"))),
    tierConstantInpatient: doc("alternative-specific constant per tier, inpatient", byTier(u(-50, 50, "tier constant, inpatient"))),
    perceivedQuality: doc("perceived treatment quality by tier × severity", byTier(bySeverity(shareOf("perceived quality on the DCE's 0–1 scale")))),
  })),
  careSeeking: doc("part 1 of the two-part demand model: whether an episode is taken to a facility at all, or treated at home / at a pharmacy (sim/care-seeking.ts)", obj({
    enabled: flag("the outside option: false = every episode reaches a facility (the model before care-seeking; outputs as they were)"),
    intercept: doc("log-odds of seeking care for an acute episode, per care × severity, for the reference resident (reference income, 15–44, not chronic, not contracted) when an episode is expected to cost the reference OOP and the village's options offer the reference inclusive value", obj({
      outpatient: record(["minor", "common", "serious"] as const, u(-30, 30, "log-odds of taking an acute outpatient episode to a facility")),
      inpatient: record(["minor", "common", "serious"] as const, u(-30, 30, "log-odds of being admitted when an admission is needed (not deferred)")),
    })),
    chronicFollowUp: u(-30, 30, "log-odds of keeping a scheduled chronic follow-up visit, same reference"),
    alwaysSeek: doc("from this severity up an episode is always taken to a facility (critical 急危重症 always is, whatever is set)", obj({
      outpatient: doc("outpatient episodes at or above this severity always seek care", oneOf(...SEVERITIES)),
      inpatient: doc("admissions at or above this severity are never deferred", oneOf(...SEVERITIES)),
    })),
    price: doc("log-odds per unit ln(E[OOP] ÷ referenceOop): E[OOP] the OOP an episode is expected to cost (logit-weighted over the village's options), deflated by the county's income growth; the elasticity of P(seek) is price × (1 − P)", obj({
      outpatient: num(-20, 0, "log-odds per unit ln(price)", "price term of outpatient episodes (acute and chronic follow-ups)"),
      inpatient: num(-20, 0, "log-odds per unit ln(price)", "price term of admissions"),
    })),
    referenceOop: doc("the expected OOP at which the intercepts apply", obj({
      outpatient: num(1, 1e6, "yuan", "reference expected OOP of an outpatient episode, start-year yuan"),
      inpatient: num(1, 1e7, "yuan", "reference expected OOP of an admission, start-year yuan"),
    })),
    inclusiveValue: num(0, 10, "log-odds per unit utility", "weight of the inclusive value (logsum) of the village's options under the facility logit — quality, travel, crowding, tier constants, contract, steering — relative to referenceInclusiveValue"),
    referenceInclusiveValue: doc("the inclusive value at which the intercepts apply", obj({
      outpatient: u(-50, 50, "reference inclusive value, outpatient episodes"),
      inpatient: u(-50, 50, "reference inclusive value, admissions"),
    })),
    income: num(-10, 10, "log-odds per unit ln(income ÷ choice.referenceMonthlyIncome)", "income effect (this year's income)"),
    age: byAge(u(-10, 10, "log-odds shift by age band (15–44 = reference)")),
    chronic: u(-10, 10, "log-odds shift for a resident with a chronic condition (acute episodes and admissions)"),
    familyDoctorContract: u(-10, 10, "log-odds shift for a resident with a family-doctor contract (签约)"),
    inducedReturnVisits: doc("supplier-induced demand under fee-for-service: probability that an outpatient episode treated at a facility paid per item is followed by one extra follow-up visit there (0 = none)", byTier(shareOf("probability of an induced return visit, by tier of the treating facility"))),
  })),
  capability: doc("the most severe episode each tier treats; below it a facility refers up", obj({
    outpatient: byTier(doc("highest severity treated in outpatient care", severityOrNone)),
    inpatient: byTier(doc("highest severity admitted and treated", severityOrNone)),
  })),
  incidence: obj({
    outpatientPerYear: byAge(num(0, 100, "episodes/year", "acute outpatient episodes per resident per year")),
    chronicFollowUpPerYear: num(0, 24, "visits/year", "follow-up visits per year per resident with a chronic condition"),
    inpatientPerYear: byAge(num(0, 5, "admissions/year", "admissions needed per resident per year")),
    chronicInpatientMultiplier: num(0, 20, "multiplier", "multiplier on the admission rate for chronic residents"),
    outpatientSeverity: bySeverity(shareOf("share of acute outpatient episodes (sums to 1)")),
    inpatientSeverity: bySeverity(shareOf("share of admissions (sums to 1)")),
  }),
  costs: obj({
    outpatientPerVisit: byTier(num(0, 1e5, "yuan", "cost of an outpatient visit of common severity, 2018 prices")),
    inpatientPerAdmission: byTier(num(0, 1e7, "yuan", "cost of an admission of common severity, 2018 prices")),
    outpatientSeverityFactor: bySeverity(num(0, 100, "multiplier", "multiplier on outpatientPerVisit")),
    inpatientSeverityFactor: bySeverity(num(0, 100, "multiplier", "multiplier on inpatientPerAdmission")),
    transferStayFactor: num(0, 1, "share", "share of a full admission's cost incurred by a stay that ends in upward transfer"),
    rehabilitationStayFactor: num(0, 10, "multiple", "cost of a downward-referred recovery stay ÷ a common township admission"),
    upstreamTestShare: shareOf("share of township-centre admissions that need tests, imaging or a teleconsultation at the lead county hospital (004 §五(六): 因条件限制、病情需要到上级医院开展的检查、检验和远程会诊)"),
    upstreamTestCostFactor: num(0, 20, "multiple", "cost of those tests ÷ a county-hospital outpatient visit of common severity"),
    inPolicyShare: byTier(shareOf("share of cost inside the insurance catalogue (目录内)")),
    annualPriceGrowth: num(-0.5, 1, "fraction/year", "yearly growth of unit costs at every tier"),
  }),
  capacity: obj({
    outpatientVisitsPerDoctorPerMonth: byTier(num(0, 10_000, "visits/doctor/month", "visits before crowding sets in (0 = unconstrained)")),
    averageLengthOfStay: byTier(num(0, 365, "days", "days per admission, for bed capacity (0 = unconstrained)")),
    perceivedLoadAdjustment: num(0.01, 1, "share/month", "share of the gap between expected and last month's load closed each month"),
  }),
  referral: obj({
    downward: obj({
      inpatientFeeForService: shareOf("probability a county inpatient (common/serious) is referred down for recovery, fee-for-service"),
      inpatientCapitation: shareOf("the same under a capitation package with surplus retention"),
      chronicFeeForService: shareOf("probability a stable chronic patient at a county hospital is referred down, fee-for-service"),
      chronicCapitation: shareOf("the same under a capitation package"),
    }),
  }),
  gatekeeping: doc("基层首诊 as a rule: the primary doctor's referral decision at a required first contact (sim/gatekeeping.ts; policy insurance.firstContact)", obj({
    firstContactTier: doc(
      "where a resident's required first contact is, by severity of the episode (inpatient episodes: always the township centre, village clinics have no beds)",
      record(GATED_SEVERITIES, oneOf("village", "township")),
    ),
    referralProbability: doc(
      "probability the primary doctor refers up an episode the first-contact facility could treat itself, at its starting capability and without a payment incentive (an episode it cannot treat is always referred)",
      obj({ outpatient: record(GATED_SEVERITIES, shareOf()), inpatient: record(GATED_SEVERITIES, shareOf()) }),
    ),
    capabilityLogOdds: num(0, 50, "log-odds per unit quality", "fewer referrals per unit of the first-contact facility's quality above its tier's (0–1 perceived-quality scale; it follows staff, visiting doctors, investment and shared diagnostics)"),
    incentiveLogOdds: num(0, 20, "log-odds at full incentive", "fewer referrals when the community's payment makes keeping a case at primary care pay (capitation with surplus retention: up to full incentive; fee-for-service: none)"),
    goesAnywayLogOdds: num(-50, 50, "log-odds", "log-odds that a refused patient still goes to the facility chosen, before the extra out-of-pocket cost of going without a referral (weighed with the choice's OOP coefficient)"),
  })),
  leadHospital: doc("the lead county hospital's yearly strategy (sim/strategy/leadHospital.ts)", obj({
    responsiveness: shareOf("0 = inert … 1 = fully responsive to the payment incentive"),
    margin: shareOf("share of a fee the hospital keeps as margin under fee-for-service"),
    maxBedGrowth: num(0, 1, "fraction/year", "bed growth at full responsiveness under fee-for-service when beds are full"),
    maxBedReduction: num(0, 1, "fraction/year", "bed reduction at full responsiveness when shifting care down pays"),
    expansionOccupancy: num(0, 1, "occupancy", "occupancy above which the hospital expands (fee-for-service)"),
    opennessUtility: num(0, 20, "utility per unit openness", "utility of a county first contact for a primary-treatable episode per unit of openness"),
    maxSendDownDays: num(0, 31, "doctor-days per township per month", "doctor-days sent to each member township at full responsiveness (派驻)"),
    maxPostingShare: shareOf("share of the lead hospital's doctors posted to member townships per year at full responsiveness (needs pooled quotas)"),
    maxInvestmentShare: shareOf("share of the community's retained reserve invested in primary capacity per year at full responsiveness"),
  })),
  staff: doc("doctors as agents (sim/staff/workforce.ts)", obj({
    gpShare: doc("share of doctors who are GPs (全科) at the start, by tier", obj({ village: shareOf(), township: shareOf(), county: shareOf() })),
    gradeShare: doc("share of starting doctors by grade (the rest senior)", obj({ junior: shareOf(), attending: shareOf() })),
    yearsToPromotion: int(1, 30, "years", "years in grade before promotion"),
    basePay: doc("base pay per doctor-year by tier (out of county = the outside option)", obj({ village: pay("village"), township: pay("township"), county: pay("county"), outOfCounty: pay("out of county") })),
    exit: doc("yearly probability of leaving the county, by tier", obj({ village: move, township: move, county: move })),
    upward: doc("yearly probability a township doctor takes a lead-hospital vacancy", move),
    downward: doc("yearly probability a county doctor moves to a member township by choice", move),
    transferFriction: shareOf("multiplier on township → county moves when quotas are not pooled"),
    graduatesPer10k: num(0, 100, "graduates/year per 10,000 residents", "new graduates available to the county per year"),
    graduateTownshipIntercept: u(-20, 20, "a graduate's utility of a township post vs a county post at equal pay"),
    graduateOutsideIntercept: u(-20, 20, "a graduate's utility of a post outside the county vs a county post at equal pay"),
    pooledQuotaTownshipBoost: u(-20, 20, "extra utility of a township post when quotas are pooled (编制 held by the community)"),
    graduateGpShare: shareOf("share of graduates hired by townships who are GPs"),
    villageReplacement: shareOf("share of village-doctor exits replaced within the year (乡聘村用)"),
  })),
  quality: doc("township quality from staff and support (sim/staff/capacity.ts)", obj({
    staffing: num(0, 5, "quality per unit ln(doctors ratio)", "perceived-quality change per unit of ln(doctors now ÷ doctors at start), floor 1/4 of start"),
    visitingSpecialists: num(0, 50, "quality per visiting FTE per starting doctor", "perceived-quality change per visiting full-time doctor per starting doctor"),
    investmentPerMillion: num(0, 5, "quality per million yuan", "perceived-quality change per million yuan invested (cumulative)"),
    sharedDiagnostics: num(0, 1, "quality", "perceived-quality change with shared imaging/lab and mutual recognition (检查检验结果互认)"),
    repeatTestCostShare: shareOf("share of a downward-referred recovery stay's cost that repeats the county hospital's tests, removed by mutual recognition (004 §五(三): lower tiers accept the upper tier's results)"),
  })),
  casePayment: doc("how providers respond to being paid per case (sim/payment/: per-disease, DRG, per-diem); 0 = no response", obj({
    lengthOfStayChange: doc("relative change in the length of stay of the cases a scheme pays per case, by scheme", obj({
      perDisease: stayChange("a fixed price per listed disease"),
      drg: stayChange("by DRG points"),
      perDiem: stayChange("per bed-day"),
    })),
    dailyCostShare: shareOf("share of an admission's cost that scales with its length of stay"),
    offListShift: shareOf("per-disease: share of listed cases costing more than the list price that providers record off the list (paid as a claim)"),
    upcodingShare: shareOf("DRG: share of cases recorded one group heavier (the next severity of their condition group)"),
  })),
  providerResponse: doc("service intensity providers give under their payment (sim/provider-response.ts); 0 = no response", obj({
    responsiveness: doc("how strongly providers move intensity with their marginal incentive, by how the patient is paid (0 = none)", obj({
      feeForService: num(0, 10, "intensity per unit margin", "intensity rises by this × leadHospital.margin for a patient billed item by item (fee-for-service)"),
      capitation: num(0, 10, "intensity per unit of saving kept", "intensity falls by this × the share of a yuan saved the community keeps, for its own package's patients"),
    })),
    minIntensity: num(0.05, 1, "multiplier", "lowest service intensity (share of the care the unit costs assume)"),
    maxIntensity: num(1, 5, "multiplier", "highest service intensity"),
    qualityPerIntensity: num(0, 5, "quality per unit intensity", "perceived-quality change (0–1 scale) per unit of intensity − 1"),
    repeatPerShortfall: num(0, 20, "probability per unit shortfall", "probability of a repeat visit per unit of 1 − intensity"),
    inducedReturnPerExcess: num(0, 20, "probability per unit excess", "probability of a supplier-induced return visit per unit of intensity − 1"),
  })),
  caseMix: doc("inpatient condition groups (病组), keyed by group (sim/payment/case-mix.ts)", obj({
    admissionShare: map(bySeverity(shareOf("share of the severity's admissions in this condition group")), "P(condition group | severity); each severity sums to 1 over the groups"),
    relativeWeight: map(num(0, 100, "multiplier", "cost weight of the group within its severity (cost of care and DRG points)")),
    lengthOfStay: map(byCaseTier(num(0, 365, "days", "length of stay of a common-severity case"))),
    listCoverage: map(byCaseTier(shareOf("share of the group's cases whose disease is on the tier's per-disease list"))),
    price: map(byCaseTier(num(0, 1e7, "yuan, 2018 prices", "per-disease list price of the group's listed diseases at the tier"))),
  })),
  fundGuard: doc("how the insurer keeps a fund from going negative when payment.capitation.fundNeverNegative is on (基金不穿底, sim/payment/fund-guard.ts)", obj({
    claimsProvisionMonths: num(0, 24, "months of the fund's own claims", "before prepaying packages, the fund keeps back this many months of its last month's fee-for-service claims (plus claims it still owes); prepayments are cut to what it holds above that"),
  })),
  benefitsCheck: doc("when benefits count as lower (待遇不降低, 003 §三; sim/benefits.ts)", obj({
    ratioTolerance: num(0, 1, "fraction (0.01 = one point)", "a fall of a group's effective reimbursement ratio up to this is not lower"),
    oopPerEpisodeTolerance: num(0, 10, "fraction (0.02 = 2%)", "a relative rise of a group's OOP per episode up to this is not lower"),
    standardErrors: num(0, 10, "standard errors", "a worsening must also exceed this many standard errors of the difference (seed noise in small groups)"),
  })),
  siphonCheck: doc("when a change counts as a signal of the siphon-risk rule (虹吸, sim/siphon.ts)", obj({
    minimumChange: num(0, 1, "fraction (0.01 = 1%)", "a relative change against the reference must exceed this to count: county-hospital encounters up, primary encounters down, primary doctors down"),
  })),
  population: doc("population change (sim/population/): births, deaths, migration and chronic onset — used only by a scenario with `population: changing`", obj({
    crudeBirthRatePerThousand: map(num(0, 100, "births per 1,000 residents per year", "crude birth rate of a calendar year; a later year takes the last year given, an earlier one the first"), "crude birth rate by calendar year (keys are years)"),
    deathRatePerThousand: doc("age-specific death rate by age group (exact age)", record(DEATH_AGE_GROUPS, num(0, 1000, "deaths per 1,000 per year", "annual death rate of the age group"))),
    outMigration: doc("annual probability that a resident leaves the county, by age band (外出: out of the county's resident and insured population)", byAge(shareOf("annual probability of leaving the county"))),
    femaleShareAtBirth: shareOf("share of newborns who are girls"),
    inMigrationPerWorkingAge: num(0, 1, "in-migrants per resident aged 15–44 per year", "people moving into (or returning to) the county each year, per resident aged 15–44; they arrive aged 15–44"),
    oldAgeMeanYears: num(1, 40, "years", "mean years above 65 of the residents aged 65+ at the start (their exact age is 65 + an exponential draw, at most 110)"),
    capacityHeadroom: num(0, 10, "multiplier", "room kept for births and in-migrants: the expected number over the horizon × this (a run that needs more stops with an error saying so)"),
  })),
  simulation: obj({ burnInMonths: int(0, 120, "months", "months simulated before the start and discarded") }),
});

/** The parameter tree, derived from its declaration (PARAMETERS_SPEC). */
export type Parameters = Infer<typeof PARAMETERS_SPEC>;

/**
 * Strip `{value, unit, source}` leaves to their values. Every leaf must carry a source;
 * problems are returned as `file: path: …` lines.
 */
export function stripProvenance(tree: unknown, file: string, path = ""): { values: unknown; problems: string[]; leaves: string[] } {
  const problems: string[] = [];
  const leaves: string[] = [];
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
      leaves.push(p);
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, p ? `${p}.${k}` : k);
    return out;
  };
  const values = walk(tree, path);
  return { values, problems, leaves };
}

/**
 * A problem found in the stripped values, with its field path as written in the file: a
 * path at or under a {value, unit, source} leaf gains the `.value` it was written under
 * (`demographics.ageBands.65+` is `demographics.ageBands.value.65+` in the file).
 */
export function pathAsWritten(problem: string, file: string, leaves: readonly string[]): string {
  const head = `${file}: `;
  if (!problem.startsWith(head)) return problem;
  const rest = problem.slice(head.length);
  let best = "";
  for (const leaf of leaves) if (leaf.length > best.length && rest.startsWith(leaf) && /^[. :=]/.test(rest.slice(leaf.length))) best = leaf;
  return best ? `${head}${best}.value${rest.slice(best.length)}` : problem;
}

/** Severity index a tier treats up to (−1 = none), from the capability table. */
export function capabilityIndex(level: Severity | "none"): number {
  return level === "none" ? -1 : SEVERITIES.indexOf(level);
}

/** Shares that must sum to one (severity mixes, condition groups) and case-mix tables that must name the same groups. */
export function checkShares(p: Parameters, file: string): string[] {
  const problems: string[] = [];
  for (const key of ["outpatientSeverity", "inpatientSeverity"] as const) {
    const sum = SEVERITIES.reduce((s, k) => s + p.incidence[key][k], 0);
    if (Math.abs(sum - 1) > 1e-6) problems.push(`${file}: incidence.${key} = ${sum.toFixed(4)} in total: shares must sum to 1`);
  }
  problems.push(...caseMixProblems(p.caseMix, file));
  return problems;
}

export type { Severity, Tier };
