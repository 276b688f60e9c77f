/**
 * Patient choice of facility: multinomial logit (MNL), defined once.
 *
 * CHOICE_TERMS is the utility: an ordered table of named terms, each with its stage, the
 * parameters it reads (data/parameters.yaml), the formula the documentation prints, a
 * doc line (en, zh) and how it is computed from plain facts about one option
 * (OptionFacts). From this one table come
 *   - the documented formula, `choiceFormula()` (README "How the model works", generated);
 *   - the static per-option table: `staticUtility()`, the fold over the static terms,
 *     which sim/engine/options.ts evaluates for every village option × care × severity
 *     (utilityStatic) whenever its inputs move;
 *   - the reference `utility()`, the fold over every term, which the tests use as the
 *     oracle. The episode kernel (sim/engine/kernel.ts) adds the per-episode terms by
 *     hand, allocation-free, to utilityStatic; test/choice-kernel.test.ts proves, term
 *     by term on sampled residents and episodes, that its utilities are `utility()`'s to
 *     the bit, and that every `choice` parameter is read by exactly one term.
 * The order of the table is the order of summation: floating-point addition is not
 * associative, so reordering terms would change outputs in the last bits.
 *
 * Sampling uses the Gumbel-max trick with one uniform per (episode, facility): choosing
 * argmax(V_j + G_j) has exactly the logit probabilities, and because each facility has its
 * own noise, a reform that changes only facility j's utility moves patients only to or
 * from j — the cleanest common-random-numbers coupling.
 */
import type { Parameters } from "./parameters";
import { gumbel } from "./random";
import { INPATIENT, N_SEVERITIES, N_TIERS, OUTPATIENT, SEVERITIES, TIERS } from "./tier";

/** The parameters the terms read: `choice`, and the lead hospital's steering weight (a part of Parameters: pass P). */
export interface ChoiceParameters {
  choice: Parameters["choice"];
  leadHospital: Pick<Parameters["leadHospital"], "opennessUtility">;
}

/**
 * The same parameters laid out for the terms (choiceCoefficients): the scalars as they
 * are, the tables by index — tierConstant[tier * 2 + care] (outpatient: choice.tierConstant,
 * inpatient: choice.tierConstantInpatient), perceivedQuality[tier * N_SEVERITIES + severity].
 * The same numbers; indexed so that the monthly static table reads no keys by name.
 */
export interface ChoiceCoefficients {
  readonly quality: number;
  readonly oopPer100Yuan: number;
  readonly referenceMonthlyIncome: number;
  readonly travelWithinHour: number;
  readonly travelPerHour: number;
  readonly habit: number;
  readonly familyDoctorContract: number;
  readonly bundleHospital: number;
  readonly ownTownshipCentre: number;
  readonly crowding: number;
  readonly referralHassle: number;
  readonly inpatientOopScale: number;
  readonly tierConstant: Float64Array;
  readonly perceivedQuality: Float64Array;
  readonly opennessUtility: number;
}

export function choiceCoefficients(p: ChoiceParameters): ChoiceCoefficients {
  const c = p.choice;
  const tierConstant = new Float64Array(N_TIERS * 2);
  const perceivedQuality = new Float64Array(N_TIERS * N_SEVERITIES);
  TIERS.forEach((t, ti) => {
    tierConstant[ti * 2 + OUTPATIENT] = c.tierConstant[t];
    tierConstant[ti * 2 + INPATIENT] = c.tierConstantInpatient[t];
    SEVERITIES.forEach((s, si) => (perceivedQuality[ti * N_SEVERITIES + si] = c.perceivedQuality[t][s]));
  });
  return {
    quality: c.quality, oopPer100Yuan: c.oopPer100Yuan, referenceMonthlyIncome: c.referenceMonthlyIncome, travelWithinHour: c.travelWithinHour,
    travelPerHour: c.travelPerHour, habit: c.habit, familyDoctorContract: c.familyDoctorContract, bundleHospital: c.bundleHospital, ownTownshipCentre: c.ownTownshipCentre,
    crowding: c.crowding, referralHassle: c.referralHassle, inpatientOopScale: c.inpatientOopScale, tierConstant, perceivedQuality,
    opennessUtility: p.leadHospital.opennessUtility,
  };
}

/**
 * What the terms know about option j (a facility a village's residents can go to first)
 * for one episode of one resident. Plain numbers and flags; tiers, care and severity are
 * the indices of sim/tier.ts. d is where the episode is treated: j itself when j can
 * treat it, else the facility j refers it to (sim/referral.ts) — a patient who starts
 * below the right tier expects to be sent up, paying and travelling both legs.
 */
export interface OptionFacts {
  // ---- the episode ----
  /** OUTPATIENT or INPATIENT */
  care: number;
  severity: number;
  /** a township centre can treat this care × severity (the episodes the lead hospital steers) */
  primaryTreatable: boolean;
  // ---- the option j ----
  tier: number;
  /** one-way travel from the village to j */
  minutes: number;
  /** j is the village's own township centre (the village's option 1) */
  isOwnTownshipCentre: boolean;
  /** j is the village's own clinic or township centre (options 0 and 1: the family-doctor team's) */
  isOwnClinicOrCentre: boolean;
  /** j is a county hospital of the village's own medical community */
  isOwnCommunityCountyHospital: boolean;
  /** openness of the village's community's lead hospital this month (sim/supply.ts; 0 without a community) */
  communityOpenness: number;
  /** j is the county or the city hospital of the village's "1+1+1" bundle (002 §7; sim/engine/state.ts bundleOption) */
  isBundleHospital: boolean;
  /** the month's family-doctor model is "1+1+1" (familyDoctor.model) */
  oneOneOne: boolean;
  // ---- where it is treated, d ----
  /** j cannot treat the episode and must refer it on (d ≠ j) */
  mustRefer: boolean;
  treatedTier: number;
  /** d's quality offset (county description) and this year's shift from its staff (sim/supply.ts) */
  treatedQualityOffset: number;
  treatedQualityShift: number;
  /** travel from the village to d when referred, else 0 */
  onwardMinutes: number;
  /** the wait met at d: its perceived (adaptively expected) load ÷ capacity − 1, floored at 0 (sim/staff/capacity.ts; 0 for a green-channel referral, 绿色通道) */
  crowding: number;
  // ---- the resident ----
  /** expected out-of-pocket cost of the whole path (sim/insurance/claims.ts optionOop) */
  oopYuan: number;
  /** this year's monthly income */
  monthlyIncome: number;
  /** j is the facility of the resident's last encounter */
  isLastFacility: boolean;
  /** the resident has signed a family-doctor contract (家庭医生签约) */
  isContracted: boolean;
}

/**
 * static: does not depend on the resident — summed per village option × care × severity
 * into utilityStatic (sim/engine/options.ts), rebuilt when quality or openness moves;
 * episode: added by the kernel for each episode, after utilityStatic, in table order.
 */
export type TermStage = "static" | "episode";

export interface ChoiceTerm {
  readonly id: string;
  readonly stage: TermStage;
  /** the parameters it reads: dotted paths in data/parameters.yaml */
  readonly coefficients: readonly string[];
  /** the term as the documentation writes it */
  readonly formula: string;
  readonly doc: { readonly en: string; readonly zh: string };
  /** how it is computed (coefficients: choiceCoefficients of the parameters) */
  readonly value: (x: OptionFacts, c: ChoiceCoefficients) => number;
}

/**
 * The oop term's utility per yuan for an episode of `care` of a resident with this monthly
 * income (≤ 0): the one price weight. The kernel's choice and the first-contact rule's
 * "goes anyway" (sim/gatekeeping.ts goesAnywayProbability) weigh OOP by it.
 */
export function oopWeight(care: number, monthlyIncome: number, c: Pick<ChoiceCoefficients, "inpatientOopScale" | "oopPer100Yuan" | "referenceMonthlyIncome">): number {
  return ((care === INPATIENT ? c.inpatientOopScale : 1) * c.oopPer100Yuan * c.referenceMonthlyIncome) / (100 * monthlyIncome);
}

/** The utility V_j, term by term, in the order of summation. */
export const CHOICE_TERMS: readonly ChoiceTerm[] = [
  {
    id: "tierConstant",
    stage: "static",
    coefficients: ["choice.tierConstant", "choice.tierConstantInpatient"],
    formula: "tierConstant[tier_j]  (inpatient: tierConstantInpatient[tier_j])",
    doc: { en: "alternative-specific constant of j's tier, one set for outpatient and one for inpatient episodes (calibrated to the visit and admission splits)", zh: "首诊机构层级的常数项，门诊与住院各一组（按就诊与住院分布校准）" },
    value: (x, c) => c.tierConstant[x.tier * 2 + x.care],
  },
  {
    id: "ownTownshipCentre",
    stage: "static",
    coefficients: ["choice.ownTownshipCentre"],
    formula: "ownTownshipCentre × [j is the resident's own township centre]",
    doc: { en: "catchment: health records, public-health follow-up and the family-doctor team are at one's own township centre", zh: "本乡镇卫生院：健康档案、公共卫生随访与家庭医生团队所在" },
    value: (x, c) => (x.isOwnTownshipCentre ? c.ownTownshipCentre : 0),
  },
  {
    id: "referralHassle",
    stage: "static",
    coefficients: ["choice.referralHassle"],
    formula: "referralHassle × [j must refer the episode on]",
    doc: { en: "a first contact that cannot treat the episode: a second trip and paperwork", zh: "首诊机构不能诊治、须转诊：二次奔波与手续" },
    value: (x, c) => (x.mustRefer ? c.referralHassle : 0),
  },
  {
    id: "quality",
    stage: "static",
    coefficients: ["choice.quality", "choice.perceivedQuality"],
    formula: "quality × (perceivedQuality[tier_d][severity] + qualityOffset_d + qualityShift_d)",
    doc: { en: "perceived treatment quality where the episode is treated: by tier × severity, the facility's offset, and this year's shift as its staff change", zh: "实际诊治机构的感知医疗质量：按层级×病情，加机构偏移与当年随人员变化的调整" },
    value: (x, c) => c.quality * (c.perceivedQuality[x.treatedTier * N_SEVERITIES + x.severity] + x.treatedQualityOffset + x.treatedQualityShift),
  },
  {
    id: "travelWithinHour",
    stage: "static",
    coefficients: ["choice.travelWithinHour"],
    formula: "travelWithinHour × [minutes_j < 60]",
    doc: { en: "j is within one hour's travel (the DCE's threshold)", zh: "首诊机构在一小时路程内" },
    value: (x, c) => (x.minutes < 60 ? c.travelWithinHour : 0),
  },
  {
    id: "travelPerHour",
    stage: "static",
    coefficients: ["choice.travelPerHour"],
    formula: "travelPerHour × (minutes_j + minutes_d if referred) / 60",
    doc: { en: "distance decay per hour of one-way travel, to j and, when referred, on to d", zh: "单程路途每小时的负效用：到首诊机构，转诊时再到实际诊治机构" },
    value: (x, c) => (c.travelPerHour * (x.minutes + x.onwardMinutes)) / 60,
  },
  {
    id: "steering",
    stage: "static",
    coefficients: ["leadHospital.opennessUtility"],
    formula: "opennessUtility × |openness_c| × [primary-treatable] × [j is a county hospital of c if openness_c > 0, the own clinic or centre if < 0]",
    doc: { en: "the lead hospital's steering of primary-treatable episodes in the village's community c: when volume pays it draws them in (openness > 0), when the package makes primary care pay it sends them to the village's own clinic and centre (sim/strategy/leadHospital.ts)", zh: "牵头医院对基层可诊治病例的引导：按量付费时吸引到县级医院（openness > 0），打包付费使基层有利时引导到本村卫生室与本乡镇卫生院" },
    value: (x, c) => {
      if (!x.primaryTreatable) return 0;
      const open = c.opennessUtility * x.communityOpenness;
      return open > 0 && x.isOwnCommunityCountyHospital ? open : open < 0 && x.isOwnClinicOrCentre ? -open : 0;
    },
  },
  {
    id: "oop",
    stage: "episode",
    coefficients: ["choice.oopPer100Yuan", "choice.referenceMonthlyIncome", "choice.inpatientOopScale"],
    formula: "(inpatientOopScale if inpatient) × oopPer100Yuan × referenceMonthlyIncome / (100 × monthlyIncome) × OOP_j",
    doc: { en: "expected out-of-pocket cost of the whole path (gateway and referred treatment; sim/insurance/claims.ts) against this year's income; an admission's weighed by inpatientOopScale", zh: "整条就诊路径的预期自付费用（含转诊），相对当年收入；住院乘以 inpatientOopScale" },
    value: (x, c) => oopWeight(x.care, x.monthlyIncome, c) * x.oopYuan,
  },
  {
    id: "habit",
    stage: "episode",
    coefficients: ["choice.habit"],
    formula: "habit × [j was the resident's last facility]",
    doc: { en: "returning to the facility of the last encounter (trust, continuity)", zh: "回到上次就诊的机构（信任、连续性）" },
    value: (x, c) => (x.isLastFacility ? c.habit : 0),
  },
  {
    id: "familyDoctorContract",
    stage: "episode",
    coefficients: ["choice.familyDoctorContract"],
    formula: "familyDoctorContract × [contracted and j is the own clinic or township centre]",
    doc: { en: "a contracted resident's family-doctor team works at their own clinic and centre", zh: "签约居民的家庭医生团队在本村卫生室与本乡镇卫生院" },
    value: (x, c) => (x.isContracted && x.isOwnClinicOrCentre ? c.familyDoctorContract : 0),
  },
  {
    id: "bundleHospital",
    stage: "episode",
    coefficients: ["choice.bundleHospital"],
    formula: "bundleHospital × [contracted under \"1+1+1\" and j is the county or city hospital of the bundle]",
    doc: {
      en: "a resident contracted under model \"1+1+1\" (002 §7) has signed with the county hospital leading their community (else the nearest) and the nearest city hospital too, and chooses freely among them; the contract's pull there (an assumption: half the primary contract term)",
      zh: "“1+1+1”组合签约居民：签约组合内的县级医院（本医共体牵头医院，否则最近的）与最近的市级医院，组合内自由选择；签约的吸引力（假设：家庭医生签约项的一半）",
    },
    value: (x, c) => (x.isContracted && x.oneOneOne && x.isBundleHospital ? c.bundleHospital : 0),
  },
  {
    id: "crowding",
    stage: "episode",
    coefficients: ["choice.crowding"],
    formula: "crowding × max(0, perceivedLoad_d / capacity_d − 1)",
    doc: { en: "waiting where treated, from the load residents expect there (none for a green-channel referral). The same for every resident, but added per episode: moving it into the static table would change outputs in the last bits", zh: "实际诊治机构的拥挤等候，按居民预期的负荷（绿色通道转诊不等候）" },
    value: (x, c) => c.crowding * x.crowding,
  },
];

const STATIC_COUNT = CHOICE_TERMS.findIndex((t) => t.stage === "episode");
if (STATIC_COUNT < 1 || CHOICE_TERMS.slice(STATIC_COUNT).some((t) => t.stage !== "episode")) throw new Error("sim/choice.ts: the static terms must come first (the kernel adds the episode terms to utilityStatic)");
export const STATIC_TERMS: readonly ChoiceTerm[] = CHOICE_TERMS.slice(0, STATIC_COUNT);
export const EPISODE_TERMS: readonly ChoiceTerm[] = CHOICE_TERMS.slice(STATIC_COUNT);

/** The static terms of option j summed in table order: one entry of utilityStatic. */
export function staticUtility(x: OptionFacts, c: ChoiceCoefficients): number {
  let v = STATIC_TERMS[0].value(x, c);
  for (let t = 1; t < STATIC_TERMS.length; t++) v += STATIC_TERMS[t].value(x, c);
  return v;
}

/** Systematic utility V_j of one option: every term, in table order (the reference the kernel is tested against). */
export function utility(x: OptionFacts, c: ChoiceCoefficients): number {
  let v = staticUtility(x, c);
  for (let t = 0; t < EPISODE_TERMS.length; t++) v += EPISODE_TERMS[t].value(x, c);
  return v;
}

/** Each term's value for option j, by id. */
export function termValues(x: OptionFacts, c: ChoiceCoefficients): Record<string, number> {
  return Object.fromEntries(CHOICE_TERMS.map((t) => [t.id, t.value(x, c)]));
}

/** Facts of an option with nothing switched on: a convenience for tests and notebooks. */
export function neutralFacts(over: Partial<OptionFacts> = {}): OptionFacts {
  return {
    care: 0, severity: 0, primaryTreatable: false, tier: 0, minutes: 0, isOwnTownshipCentre: false, isOwnClinicOrCentre: false,
    isOwnCommunityCountyHospital: false, communityOpenness: 0, isBundleHospital: false, oneOneOne: false, mustRefer: false, treatedTier: 0, treatedQualityOffset: 0,
    treatedQualityShift: 0, onwardMinutes: 0, crowding: 0, oopYuan: 0, monthlyIncome: 1, isLastFacility: false, isContracted: false,
    ...over,
  };
}

/** The utility as Markdown, generated from CHOICE_TERMS: the formula, then one row per term. */
export function choiceFormula(): string {
  const lines = CHOICE_TERMS.map((t, i) => `${i === 0 ? "V_j =" : "    +"} ${t.formula}`);
  const stage = (t: ChoiceTerm) => (t.stage === "static" ? "static" : "episode");
  const coef = (t: ChoiceTerm) => t.coefficients.map((c) => `\`${c}\``).join(", ");
  return [
    "```",
    ...lines,
    "```",
    "",
    "j is the option (the facility first contacted); d is where the episode is treated — j",
    "itself, or the facility j must refer it to ([`sim/referral.ts`](sim/referral.ts)); c is the",
    "village's medical community. The terms, in the order they are summed — *static*: the same",
    "for every resident, summed per village option × care × severity into the option table",
    "([`sim/engine/options.ts`](sim/engine/options.ts)) whenever quality or the lead hospital's",
    "openness moves; *episode*: added by the kernel for each episode:",
    "",
    "| term | stage | parameters | meaning |",
    "|---|---|---|---|",
    ...CHOICE_TERMS.map((t) => `| \`${t.id}\` | ${stage(t)} | ${coef(t)} | ${t.doc.en} |`),
  ].join("\n");
}

/** Analytic logit shares exp(V_j) / Σ exp(V_k) (numerically stable). */
export function logitProbabilities(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
  const e = Array.from(v, (x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * Gumbel-max draw: index of the option with the largest V_j + G_j, where G_j comes from
 * the uniform `uniforms[j]`. Options with V = −Infinity are never chosen.
 */
export function gumbelMaxChoice(v: ArrayLike<number>, uniforms: ArrayLike<number>, n = v.length): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let j = 0; j < n; j++) {
    if (v[j] === -Infinity) continue;
    const score = v[j] + gumbel(uniforms[j]);
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}
