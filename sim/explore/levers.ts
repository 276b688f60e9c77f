/**
 * The levers the explorer offers, grouped as a committee thinks of them, and what moving
 * them means for a scenario: each lever's kind and range come from the loader's own specs
 * (POLICY_SPEC, PARAMETERS_SPEC), its words from data/lever-labels.yaml (leverName), and
 * the moved levers become extend() changes — a dated timeline entry for policy levers, a
 * `parameters:` leaf (held for the whole run) for the lead hospital's responsiveness, which
 * the engine reads once — and the same changes as a scenario YAML the CLI runs unchanged.
 */
import { stringify } from "yaml";
import { PARAMETERS_SPEC, type Parameters } from "../parameters";
import { POLICY_SPEC } from "../policy";
import { formatYearMonth, policyTimeline, type Scenario, type YearMonth } from "../scenario/load";
import type { Spec } from "../scenario/schema";

export interface LeverGroup {
  id: string;
  title: { zh: string; en: string };
  /** override paths: bare = policy.*, `parameters.` = a parameter held for the run */
  paths: string[];
  /** a line under the group's title */
  note?: { zh: string; en: string };
}

const TIERS = ["village", "township", "county", "outOfCounty"];
const R = "insurance.resident";

export const LEVER_GROUPS: LeverGroup[] = [
  { id: "inpatient", title: { zh: "住院报销（城乡居民医保）", en: "Inpatient reimbursement (resident scheme)" }, paths: [...["township", "county", "outOfCounty"].map((t) => `${R}.inpatient.rate.${t}`), ...["township", "county", "outOfCounty"].map((t) => `${R}.inpatient.deductible.${t}`)] },
  { id: "outpatient", title: { zh: "门诊报销（城乡居民医保）", en: "Outpatient reimbursement (resident scheme)" }, paths: TIERS.map((t) => `${R}.outpatient.rate.${t}`) },
  { id: "referral", title: { zh: "基层首诊与转诊", en: "First contact and referral" }, paths: ["insurance.firstContact.rule", "insurance.firstContact.reimbursedWithoutReferral", "insurance.bypass.enabled", "insurance.bypass.rateReduction.county", "insurance.bypass.rateReduction.outOfCounty", "insurance.referralRules.downwardWaivesDeductible"] },
  { id: "payment", title: { zh: "医保支付方式（打包付费）", en: "Payment (capitation package)" }, paths: ["payment.regime", "payment.capitation.shareOfPremium", "payment.capitation.surplusRetainedShare", "payment.capitation.overspendInsurerShare"] },
  { id: "contracting", title: { zh: "家庭医生签约", en: "Family-doctor contracting" }, paths: ["familyDoctor.coverage.priority", "familyDoctor.coverage.general", "familyDoctor.primaryRateBonus"] },
  { id: "staff", title: { zh: "人员与编制", en: "Staff" }, paths: ["workforce.pooledQuota", "workforce.leadRecruitmentFromMembers", "workforce.minimumSendDownDays", "workforce.primaryPayUplift", "workforce.promotionRequiresGrassrootsYear"] },
  {
    id: "lead",
    title: { zh: "牵头医院", en: "Lead hospital" },
    paths: ["parameters.leadHospital.responsiveness"],
    note: { zh: "模型参数（假设）：整个模拟期内有效，不随生效月份变化", en: "A model parameter (an assumption): holds for the whole run, not from the month above" },
  },
];

export type LeverValue = number | boolean | string;

export interface LeverControl {
  path: string;
  kind: "number" | "boolean" | "enum";
  min?: number;
  max?: number;
  step?: number;
  values?: readonly string[];
}

const isParameter = (path: string) => path.startsWith("parameters.");
const bare = (path: string) => path.replace(/^parameters\./, "");

/** The spec of a path inside an object spec (record keys and object fields). */
function specAt(spec: Spec, path: string): Spec | undefined {
  let s: Spec | undefined = spec;
  for (const k of path.split(".")) {
    if (!s) return undefined;
    if (s.kind === "object") s = s.fields[k];
    else if (s.kind === "record") s = s.keys.includes(k) ? s.of : undefined;
    else return undefined;
  }
  return s;
}

/** A lever's control, from its spec: a slider within its range, a switch, or a choice. */
export function leverControl(path: string): LeverControl {
  const s = specAt(isParameter(path) ? PARAMETERS_SPEC : POLICY_SPEC, bare(path));
  if (!s) throw new Error(`explorer lever ${path}: not a path of ${isParameter(path) ? "the parameters" : "the policy"}`);
  if (s.kind === "boolean") return { path, kind: "boolean" };
  if (s.kind === "enum") return { path, kind: "enum", values: s.values };
  if (s.kind !== "number") throw new Error(`explorer lever ${path}: a ${s.kind} is not offered as a control`);
  const yuan = /deductible/.test(path);
  const days = /Days$/.test(path);
  const min = s.min ?? 0;
  const max = yuan ? Math.min(s.max ?? 5000, 3000) : days ? Math.min(s.max ?? 31, 31) : Math.min(s.max ?? 1, 1);
  return { path, kind: "number", min, max, step: yuan ? 50 : days || s.integer ? 1 : 0.01 };
}

const get = (tree: unknown, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), tree);

/** A lever's value in the starting scenario: the policy in force at `from`, or the parameter's value. */
export function startingValue(s: Scenario, path: string, from: YearMonth): LeverValue {
  const v = isParameter(path) ? get(s.parameters as Parameters, bare(path)) : get(policyTimeline(s.basePolicy, s.timeline)(from), path);
  return v as LeverValue;
}

/**
 * The choices a lever offers in a scenario: for the payment regime, only the schemes whose
 * terms the scenario's policy sets (fee-for-service needs none) — a case-based scheme
 * without its terms is refused by the loader, which a committee should not meet as an error.
 */
export function offeredValues(s: Scenario, control: LeverControl, from: YearMonth): readonly string[] {
  const values = control.values ?? [];
  if (control.path !== "payment.regime") return values;
  const payment = policyTimeline(s.basePolicy, s.timeline)(from).payment as unknown as Record<string, unknown>;
  return values.filter((v) => v === "feeForService" || payment[v] !== undefined);
}

/** The first January after the start: when the explorer's changes take effect by default. */
export const defaultFrom = (s: Scenario): YearMonth => ({ year: s.start.year + 1, month: 1 });

export interface Setting {
  /** the levers moved: path → value (only those that differ from the starting scenario) */
  moved: Record<string, LeverValue>;
  from: YearMonth;
}

export const EXPLORER_SOURCE = "set in the yigongti explorer (yigongti explore); values chosen by the user, not taken from a policy document";

/** The setting as extend() changes (a scenario file's keys); the date is in the description only, so the content hash does not depend on the day. */
export function settingChanges(start: Scenario, setting: Setting, today: string): Record<string, unknown> {
  const policy = Object.entries(setting.moved).filter(([p]) => !isParameter(p));
  const params = Object.entries(setting.moved).filter(([p]) => isParameter(p));
  const changes: Record<string, unknown> = {
    name: `${start.name}-explored`,
    title: { zh: `${start.title.zh}（探索器调整）`, en: `${start.title.en} (set in the explorer)` },
    description: `${start.name} with ${Object.keys(setting.moved).length} lever(s) moved in the yigongti explorer on ${today}`,
  };
  if (params.length) changes.parameters = Object.fromEntries(params.map(([p, v]) => [bare(p), v]));
  if (policy.length) changes.timeline = [{ from: formatYearMonth(setting.from), source: EXPLORER_SOURCE, note: `levers moved in the explorer, from ${start.name}`, set: Object.fromEntries(policy) }];
  return changes;
}

/** The setting as a scenario file extending the starting one (its path as the CLI will find it). */
export function settingYaml(start: Scenario, extendsPath: string, setting: Setting, today: string): string {
  const changes = settingChanges(start, setting, today);
  const body = stringify({ name: changes.name, title: changes.title, description: changes.description, extends: extendsPath, ...("parameters" in changes ? { parameters: changes.parameters } : {}), ...("timeline" in changes ? { timeline: changes.timeline } : {}) }, { lineWidth: 0 });
  return `# Set in the yigongti explorer (yigongti explore) on ${today}: ${start.name} with the levers moved below.\n# Run it with: yigongti run <this file>; a briefing: yigongti brief <its baseline scenario> <this file> --out DIR\n# extends: is the starting scenario on the machine that served the explorer; if this file moves\n# to another machine, point it at that scenario there (relative paths start from this file's folder).\n${body}`;
}
