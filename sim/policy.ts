/**
 * The policy a scenario sets: insurance rules, referral rules, family-doctor contracting
 * and the payment regime. This file is the one place the policy tree is defined — its
 * TypeScript type and its schema (units, allowed ranges) side by side. Each lever cites
 * its seed clause in the scenario files that set it (`source:`).
 */
import { TIERS, type ByTier } from "./tier";
import { bool, int, lever, num, obj, oneOf, record, share, type Spec } from "./scenario/schema";

export interface CareRules {
  /** 起付线 in yuan: per admission (inpatient) or per calendar year (outpatient pooling). */
  deductible: ByTier<number>;
  /** Reimbursement rate (报销比例) of in-policy cost above the deductible. */
  rate: ByTier<number>;
  /** Annual reimbursement ceiling per resident (封顶线), yuan. */
  annualCap: number;
}

export interface SchemeRules {
  outpatient: CareRules;
  inpatient: CareRules;
  /** Fund revenue per insured person per year (individual premium + subsidy), yuan. */
  premiumPerCapita: number;
  source?: string;
}

export interface Policy {
  insurance: {
    /** 城乡居民医保 */
    resident: SchemeRules;
    /** 城镇职工医保 */
    employee: SchemeRules;
    /** Unreferred care at higher tiers reimbursed at a lower rate (percentage points). */
    bypass: { enabled: boolean; rateReduction: ByTier<number>; source?: string };
    /** Starting-line rules for referred patients (002 §9; 004 §五(六)). */
    referralRules: {
      /** 连续计算起付线: a referred inpatient's deductible counts what was already paid. */
      continuousDeductible: boolean;
      /** 上转补交差额: township→up referral pays only the difference of the standards. */
      upwardPaysDifference: boolean;
      /** 下转免起付线: a downward-referred patient pays no deductible at the lower tier. */
      downwardWaivesDeductible: boolean;
      /** 绿色通道: referred patients are not deterred by crowding at the destination. */
      greenChannel: boolean;
      source?: string;
    };
    /** 健康扶贫: extra protection for registered-poor residents. */
    poverty: {
      deductibleFactor: number;
      rateBonus: number;
      /** Annual OOP ceiling covered by medical assistance (医疗救助); 0 = none. */
      annualOopCap: number;
      source?: string;
    };
    /** Opening reserve of each insurance fund, in months of premium revenue. */
    initialReserveMonths: number;
  };
  /** 家庭医生签约服务 */
  familyDoctor: {
    coverage: { priority: number; general: number };
    /** "primary": contract with the village/township team; "1+1+1": also a county and a city facility. */
    model: "primary" | "1+1+1";
    primaryRateBonus: number;
    waiveOutpatientDeductible: boolean;
    /** 长处方: months of medicine per chronic follow-up visit (1–2). */
    longPrescriptionMonths: number;
    source?: string;
  };
  payment: {
    regime: "feeForService" | "capitation";
    /** 按人头总额打包付费 (000 §二(二); 003; 002 §18). */
    capitation: {
      /** Which medical communities are paid by capitation: "all" or a list of ids (pilots). */
      communities: "all" | string[];
      /**
       * How the package is sized: "premium" = shareOfPremium × premium revenue of the
       * enrolled (以基金收入为基础); "lastYearClaims" = last calendar year's claims of the
       * enrolled × (1 + growthAllowance) (结合上一年度医保资金支出情况; 总额控制).
       */
      basis: "premium" | "lastYearClaims";
      /** Package per enrolled insured person as a share of premium revenue (basis "premium"). */
      shareOfPremium: number;
      /** Growth allowed over last year's claims (basis "lastYearClaims"). */
      growthAllowance: number;
      coversEmployeeScheme: boolean;
      /** 结余留用: share of a year-end surplus the community keeps (rest returns to the fund). */
      surplusRetainedShare: number;
      /** 合理超支分担: share of an overspend the insurer pays (0 = 超支自付). */
      overspendInsurerShare: number;
      /** 基金不穿底 (003): the insurer's share is limited so the fund never goes negative. */
      fundNeverNegative: boolean;
      /** Retained surpluses cover later deficits before anyone else pays. */
      reserveCoversDeficits: boolean;
      source?: string;
    };
    source?: string;
  };
  /** The workforce and primary-capacity levers (000 §二(三)(四), §三(一); 001 items 6–10; 002 §26; 004 §五(一)). */
  workforce: {
    /** 编制统筹: the community's staff quotas form one pool — transfers between members are frictionless and the lead hospital may post doctors to townships. */
    pooledQuota: boolean;
    /** Whether the lead hospital may recruit doctors from its own member townships (避免牵头医院的虹吸作用, 001 item 10). */
    leadRecruitmentFromMembers: "free" | "capped" | "forbidden";
    /** With "capped": at most this share of the member townships' doctors per year. */
    recruitmentCapShare: number;
    /** 派驻 / 多点执业: doctor-days per member township per month the lead hospital must send at least. */
    minimumSendDownDays: number;
    /** 晋升前到基层服务一年 (004 §五(一)). */
    promotionRequiresGrassrootsYear: boolean;
    /** Pay reform: primary (village and township) base pay raised by this fraction (两个允许, 000 §二(三)). */
    primaryPayUplift: number;
    /** Share of the community's retained surplus paid each year as bonuses to its primary staff (002 §26: ≥60%). */
    surplusBonusShare: number;
    /** Shared imaging/lab centres and mutual recognition of results (检查检验结果互认). */
    sharedDiagnostics: boolean;
    source?: string;
  };
}

const byTier = (spec: Spec) => record(TIERS, spec);
const careRules = obj({ deductible: byTier(num(0, 100_000, "yuan")), rate: byTier(share), annualCap: num(0, 10_000_000, "yuan") });
const schemeRules = lever({ outpatient: careRules, inpatient: careRules, premiumPerCapita: num(0, 100_000, "yuan per insured person per year") });

export const POLICY_SPEC: Spec = obj({
  insurance: obj({
    resident: schemeRules,
    employee: schemeRules,
    bypass: lever({ enabled: bool, rateReduction: byTier(share) }),
    referralRules: lever({
      continuousDeductible: bool,
      upwardPaysDifference: bool,
      downwardWaivesDeductible: bool,
      greenChannel: bool,
    }),
    poverty: lever({ deductibleFactor: num(0, 1), rateBonus: num(0, 1), annualOopCap: num(0, 1_000_000, "yuan; 0 = none") }),
    initialReserveMonths: num(0, 60, "months of premium revenue"),
  }),
  familyDoctor: lever({
    coverage: obj({ priority: share, general: share }),
    model: oneOf("primary", "1+1+1"),
    primaryRateBonus: num(0, 1),
    waiveOutpatientDeductible: bool,
    longPrescriptionMonths: int(1, 2),
  }),
  payment: lever({
    regime: oneOf("feeForService", "capitation"),
    capitation: lever({
      communities: { kind: "idsOrAll" },
      basis: oneOf("premium", "lastYearClaims"),
      shareOfPremium: num(0, 1),
      growthAllowance: num(-0.5, 1, "fraction over last year's claims"),
      coversEmployeeScheme: bool,
      surplusRetainedShare: share,
      overspendInsurerShare: share,
      fundNeverNegative: bool,
      reserveCoversDeficits: bool,
    }),
  }),
  workforce: lever({
    pooledQuota: bool,
    leadRecruitmentFromMembers: oneOf("free", "capped", "forbidden"),
    recruitmentCapShare: share,
    minimumSendDownDays: num(0, 31, "doctor-days per township per month"),
    promotionRequiresGrassrootsYear: bool,
    primaryPayUplift: num(0, 2, "fraction of base pay"),
    surplusBonusShare: share,
    sharedDiagnostics: bool,
  }),
});
