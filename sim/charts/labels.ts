/**
 * Chart words in both languages. Indicator names come from sim/indicators.ts (defined
 * once there); this dictionary holds only what charts add: tiers, axes, legends, units
 * and the sentences that state a chart's finding.
 */

export type Lang = "zh" | "en";
export type Bilingual = { zh: string; en: string };

export const LABELS = {
  village: { zh: "村卫生室", en: "Village clinics" },
  township: { zh: "乡镇卫生院", en: "Township centres" },
  county: { zh: "县级医院", en: "County hospitals" },
  outOfCounty: { zh: "县外医院", en: "Out of county" },
  residents: { zh: "居民", en: "Residents" },
  primary: { zh: "基层（村、乡）", en: "Primary care (village, township)" },
  withinCountyHigher: { zh: "县域内上级机构", en: "Higher tier in county" },
  scenario: { zh: "情景", en: "Scenario" },
  community: { zh: "医共体", en: "Community" },
  period: { zh: "时期", en: "Period" },
  month: { zh: "月份", en: "Month" },
  year: { zh: "年份", en: "Year" },
  value: { zh: "数值", en: "Value" },
  target: { zh: "目标", en: "Target" },
  met: { zh: "达标", en: "Met" },
  missed: { zh: "未达标", en: "Missed" },
  noValue: { zh: "无数据", en: "No value" },
  band: { zh: "10–90% 区间", en: "10–90% band" },
  low: { zh: "低值", en: "Low" },
  high: { zh: "高值", en: "High" },
  base: { zh: "基准", en: "Base" },
  referrals: { zh: "转诊人次", en: "Referrals" },
  upward: { zh: "上转", en: "Upward" },
  downward: { zh: "下转", en: "Downward" },
  entry: { zh: "首诊", en: "First contact" },
  encounters: { zh: "就诊人次", en: "Encounters" },
  flow: { zh: "流向", en: "Flow" },
  direction: { zh: "方向", en: "Direction" },
  packageBalance: { zh: "打包基金结余（元）", en: "Package balance (yuan)" },
  staff: { zh: "人员数", en: "Staff" },
  tier: { zh: "层级", en: "Tier" },
  series: { zh: "系列", en: "Series" },
  parameter: { zh: "参数", en: "Parameter" },
  change: { zh: "相对基准的变化", en: "Change from base" },
  yuan: { zh: "元", en: "yuan" },
  persons: { zh: "人次", en: "encounters" },
  perResident: { zh: "人均", en: "per resident" },
  share: { zh: "占比", en: "share" },
  growth: { zh: "增长率", en: "growth" },
  modelVersion: { zh: "模型版本", en: "model version" },
  seed: { zh: "随机种子", en: "seed" },
  scenarioHash: { zh: "情景哈希", en: "scenario hash" },
  scale: { zh: "规模", en: "scale" },
} as const satisfies Record<string, Bilingual>;

export type LabelKey = keyof typeof LABELS;

/** The word for `key` in `lang`. */
export function label(key: LabelKey, lang: Lang): string {
  return LABELS[key][lang];
}

/** Pick one language from a bilingual record (indicator labels, scenario titles). */
export function pick(b: Bilingual | string, lang: Lang): string {
  return typeof b === "string" ? b : b[lang];
}

/** The tier names in tier order (sim/tier.ts TIERS). */
export const TIER_KEYS = ["village", "township", "county", "outOfCounty"] as const;

export function tierLabel(tier: string, lang: Lang): string {
  return tier in LABELS ? LABELS[tier as LabelKey][lang] : tier;
}

/** Parse and check a language option. */
export function parseLang(raw: string): Lang {
  if (raw === "zh" || raw === "en") return raw;
  throw new Error(`must be zh or en, got ${JSON.stringify(raw)}`);
}

/** One language, or several separated by commas (each once): "zh", "en", "zh,en". */
export function parseLangs(raw: string): Lang[] {
  const langs = raw.split(",").map((x) => parseLang(x.trim()));
  if (new Set(langs).size !== langs.length) throw new Error(`names a language twice: ${JSON.stringify(raw)}`);
  return langs;
}

/** "a, b and c" / "a、b和c". */
export function listText(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items.join("");
  if (lang === "zh") return `${items.slice(0, -1).join("、")}和${items[items.length - 1]}`;
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
