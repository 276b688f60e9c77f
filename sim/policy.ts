/**
 * The policy a scenario sets: insurance rules, referral rules, family-doctor contracting
 * and the payment regime. This file is the one place the policy tree is declared — each
 * lever's type, range, unit and meaning in POLICY_SPEC, from which the TypeScript type
 * `Policy` and the loader's checks are derived. Each lever cites its seed clause in the
 * scenario files that set it (`source:`).
 */
import { CASE_TIERS } from "./payment/case-mix";
import { TIERS } from "./tier";
import { doc, flag, int, lever, num, obj, oneOf, record, shareOf, type Infer, type Spec } from "./scenario/schema";

const byTier = <S extends Spec>(spec: S) => record(TIERS, spec);
const byCaseTier = <S extends Spec>(spec: S) => record(CASE_TIERS, spec);
/** Whose care a case-based scheme pays (sim/payment/): which communities' residents, which insurance schemes, which in-county tiers' admissions. */
const caseScope = {
  communities: doc('which medical communities\' residents it pays for: "all" or a list of ids (pilots)', { kind: "idsOrAll" as const }),
  coversEmployeeScheme: flag("it also pays for employee-scheme members (else their care stays fee-for-service)"),
  tiers: doc("which in-county tiers' admissions it pays (outpatient care, care out of the county and the other tiers stay fee-for-service)", byCaseTier(flag("this tier's admissions are paid by the scheme"))),
};
const careRules = obj({
  deductible: doc("起付线 in yuan: per admission (inpatient) or per calendar year (outpatient pooling), by tier", byTier(num(0, 100_000, "yuan"))),
  rate: doc("reimbursement rate (报销比例) of in-policy cost above the deductible, by tier", byTier(shareOf())),
  annualCap: num(0, 10_000_000, "yuan", "annual reimbursement ceiling per resident (封顶线)"),
});
const schemeRules = lever({
  outpatient: careRules,
  inpatient: careRules,
  premiumPerCapita: num(0, 100_000, "yuan per insured person per year", "fund revenue per insured person per year (individual premium + subsidy)"),
});

export const POLICY_SPEC = obj({
  insurance: obj({
    resident: doc("城乡居民医保 (resident scheme)", schemeRules),
    employee: doc("城镇职工医保 (employee scheme)", schemeRules),
    bypass: doc("unreferred care at higher tiers reimbursed at a lower rate", lever({
      enabled: flag("whether unreferred care at county and out-of-county tiers loses rate points"),
      rateReduction: doc("points off the rate for unreferred care, by tier", byTier(shareOf())),
    })),
    firstContact: doc("基层首诊: first contact at primary care (000 §一, §三(三); 002 §8; 004 §五(四)) — sim/gatekeeping.ts", lever({
      rule: doc(
        '"none": no first-contact rule (unreferred care as insurance.bypass says); ' +
          '"incentive": unreferred county and out-of-county care loses insurance.bypass.rateReduction points, whatever bypass.enabled says (the bypass penalty); ' +
          '"required": a non-critical episode whose resident chooses a county or out-of-county facility is seen first by the resident\'s primary doctor, who refers it up or keeps it; emergencies (critical) are exempt',
        oneOf("none", "incentive", "required"),
      ),
      reimbursedWithoutReferral: doc(
        'with "required": what care at a county or out-of-county facility gets when the primary doctor did not refer the patient — "none": not reimbursed (and not counted towards the deductible); "reduced": the rate less insurance.bypass.rateReduction points',
        oneOf("none", "reduced"),
      ),
    })),
    referralRules: doc("starting-line and billing rules for referred patients (002 §9; 004 §五(六))", lever({
      continuousDeductible: flag("连续计算起付线: a referred inpatient's deductible counts what was already paid"),
      upwardPaysDifference: flag("上转补交差额: township→up referral pays only the difference of the standards"),
      downwardWaivesDeductible: flag("下转免起付线: a downward-referred patient pays no deductible at the lower tier"),
      greenChannel: flag("绿色通道: referred patients are not deterred by crowding at the destination"),
      upstreamTestsAtLowerRate: flag("tests done at the lead county hospital for a township inpatient are reimbursed in the township's inpatient bill at its rate (004 §五(六)); otherwise they are a county-hospital outpatient claim"),
    })),
    poverty: doc("健康扶贫: extra protection for registered-poor residents", lever({
      deductibleFactor: num(0, 1, "multiplier", "multiplier on the deductible for registered-poor residents"),
      rateBonus: num(0, 1, "rate points", "points added to the reimbursement rate for registered-poor residents"),
      annualOopCap: num(0, 1_000_000, "yuan; 0 = none", "annual OOP ceiling covered by medical assistance (医疗救助)"),
    })),
    initialReserveMonths: num(0, 60, "months of premium revenue", "opening reserve of each insurance fund"),
    pooling: doc("统筹层次: the level the insurance fund pools at (003 §三 市级统筹); left out = county", lever({
      level: doc('"county": care outside the county, the city hospital and other counties\' hospitals included, is 异地 (the out-of-county rate); "city": care at the county\'s in-prefecture hospitals (outOfCounty[].inPrefecture in the county file) is in the pool, reimbursed at the county tier\'s deductible and rate less inPoolRateReduction points', oneOf("county", "city")),
      inPoolRateReduction: num(0, 1, "rate points", "with level city: points below the county tier's rate for care at an in-prefecture hospital outside the county (same deductible as the county tier); the province stays at the out-of-county rate"),
    })),
  }, ["pooling"] as const),
  familyDoctor: doc("家庭医生签约服务", lever({
    coverage: doc("share of residents signed", obj({ priority: shareOf("share of priority groups signed"), general: shareOf("share of other residents signed") })),
    model: doc('"primary": contract with the village/township team; "1+1+1" (002 §7): a bundle of the primary team, the county hospital leading the resident\'s community and the nearest city hospital, chosen freely (no bypass penalty inside the bundle) with the contract\'s utility (choice.bundleHospital at the two hospitals)', oneOf("primary", "1+1+1")),
    primaryRateBonus: num(0, 1, "rate points", "points added to the outpatient rate at contracted primary facilities"),
    waiveOutpatientDeductible: flag("contracted residents pay no outpatient deductible"),
    longPrescriptionMonths: int(1, 2, "months", "长处方: months of medicine per chronic follow-up visit of a contracted chronic patient (000 §三(二)); others get one month"),
  })),
  payment: lever({
    regime: doc("how the medical communities are paid (sim/payment/registry.ts)", oneOf("feeForService", "capitation", "perDisease", "drg", "perDiem")),
    capitation: doc("按人头总额打包付费 (000 §二(二); 003; 002 §18)", lever({
      communities: doc('which medical communities are paid by capitation: "all" or a list of ids (pilots)', { kind: "idsOrAll" as const }),
      basis: doc('how the package is sized: "premium" = shareOfPremium × premium revenue of the enrolled (以基金收入为基础); "lastYearClaims" = last calendar year\'s claims × (1 + growthAllowance) (总额控制)', oneOf("premium", "lastYearClaims")),
      shareOfPremium: num(0, 1, "share of premium revenue", "package per enrolled insured person (basis premium)"),
      growthAllowance: num(-0.5, 1, "fraction over last year's claims", "growth allowed over last year's claims (basis lastYearClaims)"),
      coversEmployeeScheme: flag("the package also covers employee-scheme members"),
      surplusRetainedShare: shareOf("结余留用: share of a year-end surplus the community keeps (rest returns to the fund)"),
      overspendInsurerShare: shareOf("合理超支分担: share of an overspend the insurer pays (0 = 超支自付)"),
      fundNeverNegative: flag("基金不穿底 (003 §三): the insurer keeps each insurance fund ≥ 0 every month — deferred claims paid first, package prepayments cut to what the fund holds above its claims provision, direct claims beyond the balance deferred (延付), the year-end overspend share capped (sim/payment/fund-guard.ts); applies to the funds whatever pays the communities"),
      reserveCoversDeficits: flag("retained surpluses cover later deficits before anyone else pays"),
    })),
    perDisease: doc("按病种付费 (004 §五(六); 002 §18): a fixed price per listed disease × tier (caseMix.listCoverage, caseMix.price); cases off the list paid as claims; needed when regime = perDisease", lever({
      ...caseScope,
      priceFactor: num(0, 10, "multiplier", "multiplier on the list prices of caseMix.price (data/parameters.yaml)"),
    })),
    drg: doc("DRG/DIP points (按疾病诊断相关分组 / 按病种分值付费; 001 item 16; 002 §18): points per case, a point value settled at year end so the insurer pays exactly the year's budget; needed when regime = drg", lever({
      ...caseScope,
      basis: doc('the year\'s budget: "lastYearClaims" = what the insurer paid for the same tiers\' admissions of the enrolled last calendar year × (1 + growthAllowance) (总额控制); "premium" = shareOfPremium × premium revenue of the enrolled (以收定支)', oneOf("lastYearClaims", "premium")),
      growthAllowance: num(-0.5, 1, "fraction over last year's payments", "budget growth over last year (basis lastYearClaims)"),
      shareOfPremium: shareOf("budget as a share of the enrolled's premium revenue (basis premium)"),
      tierCoefficient: doc("multiplier on a case's points by tier (医疗机构等级系数)", byCaseTier(num(0, 10, "multiplier", "points multiplier of the tier's admissions"))),
    })),
    perDiem: doc("按床日付费 (002 §18; 000 §二(二)): a rate per bed-day (caseMix.lengthOfStay); needed when regime = perDiem", lever({
      ...caseScope,
      ratePerBedDay: doc("payment per bed-day by tier", byCaseTier(num(0, 1e6, "yuan per bed-day, 2018 prices", "rate per bed-day (grown each year by costs.annualPriceGrowth)"))),
    })),
  }, ["perDisease", "drg", "perDiem"] as const),
  workforce: doc("workforce and primary-capacity levers (000 §二(三)(四), §三(一); 001 items 6–10; 002 §26; 004 §五(一))", lever({
    pooledQuota: flag("编制统筹: one staff-quota pool per community — frictionless transfers, postings to townships allowed"),
    leadRecruitmentFromMembers: doc("whether the lead hospital may recruit its member townships' doctors (避免虹吸, 001 item 10)", oneOf("free", "capped", "forbidden")),
    recruitmentCapShare: shareOf('with "capped": at most this share of the member townships\' doctors per year'),
    minimumSendDownDays: num(0, 31, "doctor-days per township per month", "派驻 / 多点执业: doctor-days the lead hospital must send each member township at least"),
    promotionRequiresGrassrootsYear: flag("晋升前到基层服务一年 (004 §五(一))"),
    primaryPayUplift: num(0, 2, "fraction of base pay", "pay reform: primary base pay raised by this fraction (两个允许, 000 §二(三))"),
    surplusBonusShare: shareOf("share of the retained surplus paid each year as bonuses to primary staff (002 §26: ≥60%)"),
    sharedDiagnostics: flag("shared imaging/lab centres and mutual recognition of results (检查检验结果互认)"),
  })),
});

/** The policy tree, derived from its declaration (POLICY_SPEC). */
export type Policy = Infer<typeof POLICY_SPEC>;
/** One scheme's rules (resident or employee). */
export type SchemeRules = Policy["insurance"]["resident"];
/** Outpatient or inpatient rules of a scheme. */
export type CareRules = SchemeRules["inpatient"];
