/**
 * The siphon-risk (虹吸) section: reads the verdict the study puts in each comparison row
 * (sim/study/comparison.ts, by the rule of sim/siphon.ts, defined there once) — patientSiphon, staffSiphon, primaryDoctorsPer10k
 * and siphonRisk {level, flag, the three changes, the rule, what it is set against} — and
 * says it in plain words. When the entries carry no siphon fields (a model version
 * without them) it says plainly that siphoning is not modelled.
 */
import { pick, type Lang } from "../charts/labels";
import { formatPoints } from "../study/format";
import type { CompareEntryLike, SiphonRiskLike } from "./types";

export const SIPHON_IDS = ["patientSiphon", "staffSiphon", "primaryDoctorsPer10k", "siphonRisk"] as const;

/** A siphon-risk level in words, by language (the briefing's tables). */
export const LEVEL = { high: { zh: "高", en: "high" }, moderate: { zh: "中", en: "moderate" }, low: { zh: "低", en: "low" } } as const;

export interface SiphonRow {
  scenario: string;
  against: string;
  isBaseline: boolean;
  level: SiphonRiskLike["level"] | null;
  flag: boolean;
  /** cell texts, by column id */
  cells: Record<string, string>;
}

export interface SiphonSection {
  modelled: boolean;
  /** siphon fields present in the entries, in SIPHON_IDS order */
  present: string[];
  missing: string[];
  columns: { id: string; label: string }[];
  rows: SiphonRow[];
  /** plain-language verdict sentences */
  sentences: string[];
  /** the rule behind the level, in the chosen language */
  rule: string;
}

/** A signed number with `digits` decimals; the sign follows the rounded value (never "-0.0"). */
function signed(v: number | null | undefined, scale: number, digits: number, suffix = ""): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const r = Number((v * scale).toFixed(digits));
  return `${r > 0 ? "+" : r < 0 ? "-" : ""}${Math.abs(r).toFixed(digits)}${suffix}`;
}
const pts = (v: number | null | undefined) => formatPoints(v, { suffix: "", missing: "—" });
const pct = (v: number | null | undefined) => signed(v, 100, 1, "%");
const num = (v: number | null | undefined, digits = 1) => (digits === 0 ? signed(v, 1, 0) : v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));

export const SIPHON_RULE_TEXT = {
  zh: "与参照相比：县级医院就诊量上升、基层就诊量下降、基层医生减少，三项同时出现为“高”风险，出现两项为“中”，否则为“低”。参照为同一县域、同一种子下的基线情景；基线本身与其首个模拟年相比。",
  en: "Against the reference: county-hospital encounters rose, primary-care encounters fell and primary-care doctors fell — all three is “high” risk, two is “moderate”, otherwise “low”. The reference is the baseline scenario on the same county with the same seed; the baseline itself is set against its own first simulated year.",
};

/** The rule in words, with the threshold a change must exceed when the verdicts carry it (siphonCheck.minimumChange). */
export function siphonRuleText(lang: Lang, minimumChange: number | undefined): string {
  if (minimumChange === undefined) return SIPHON_RULE_TEXT[lang];
  const m = `${Number((minimumChange * 100).toFixed(2))}%`;
  return lang === "zh"
    ? `${SIPHON_RULE_TEXT.zh}每项变化须超过 ${m} 才计入（更小的变化视为无变化）。`
    : `${SIPHON_RULE_TEXT.en} A change counts only when larger than ${m} (smaller ones count as no change).`;
}

export function siphonSection(entries: readonly CompareEntryLike[], lang: Lang): SiphonSection {
  const has = (id: string) => entries.some((e) => (e as unknown as Record<string, unknown>)[id] !== undefined);
  const present = SIPHON_IDS.filter(has);
  const missing = SIPHON_IDS.filter((id) => !present.includes(id));
  if (present.length === 0) return { modelled: false, present: [], missing: [...missing], columns: [], rows: [], sentences: [], rule: "" };
  const zh = lang === "zh";
  const columns = [
    { id: "against", label: zh ? "参照" : "Against" },
    ...(has("siphonRisk") ? [{ id: "level", label: zh ? "虹吸风险" : "Siphon risk" }] : []),
    ...(has("siphonRisk")
      ? [
          { id: "county", label: zh ? "县级医院就诊量变化" : "County-hospital encounters" },
          { id: "primary", label: zh ? "基层就诊量变化" : "Primary-care encounters" },
          { id: "staff", label: zh ? "基层医生变化" : "Primary-care doctors" },
        ]
      : []),
    ...(has("patientSiphon") ? [{ id: "patientSiphon", label: zh ? "患者虹吸（百分点）" : "Patient siphon (points)" }] : []),
    ...(has("staffSiphon") ? [{ id: "staffSiphon", label: zh ? "人员虹吸（医生，基层→县）" : "Staff siphon (doctors, primary → county)" }] : []),
    ...(has("primaryDoctorsPer10k") ? [{ id: "primaryDoctorsPer10k", label: zh ? "每万人基层医生" : "Primary doctors per 10k" }] : []),
  ];
  const rows: SiphonRow[] = entries.map((e) => {
    const r = e.siphonRisk;
    const isBaseline = e.baseline === undefined || e.baseline === e.name;
    const against = r?.against ?? e.baseline ?? "";
    return {
      scenario: pick(e.title, lang),
      against: isBaseline ? (zh ? `自身首年（${against.replace(/ \(own first year\)$/, "")}）` : against) : against,
      isBaseline,
      level: r?.level ?? null,
      flag: r?.flag ?? false,
      cells: {
        // zh names the reference scenario by its title when it is in the briefing (en keeps the name)
        against: isBaseline ? (zh ? "自身首年" : "own first year") : zh ? (entries.find((x) => x.name === e.baseline)?.title.zh ?? e.baseline ?? against) : (e.baseline ?? against),
        level: r ? `${LEVEL[r.level][lang]}${r.flag ? " ⚠" : ""}` : "—",
        county: pct(r?.countyVolumeChange),
        primary: pct(r?.primaryVolumeChange),
        staff: pct(r?.primaryStaffChange),
        patientSiphon: isBaseline ? "—" : pts(e.patientSiphon),
        staffSiphon: num(e.staffSiphon, 0),
        primaryDoctorsPer10k: num(e.primaryDoctorsPer10k, 2),
      },
    };
  });
  const sentences: string[] = [];
  const names = (level: SiphonRiskLike["level"]) => rows.filter((r) => r.level === level).map((r) => r.scenario);
  if (has("siphonRisk")) {
    for (const level of ["high", "moderate", "low"] as const) {
      const n = names(level);
      if (!n.length) continue;
      sentences.push(
        zh
          ? `虹吸风险${LEVEL[level].zh}：${n.join("、")}。`
          : `${level === "high" ? "High" : level === "moderate" ? "Moderate" : "Low"} siphon risk: ${n.join("; ")}.`,
      );
    }
  }
  const reforms = rows.filter((r, i) => !r.isBaseline && entries[i].patientSiphon !== null && entries[i].patientSiphon !== undefined);
  if (reforms.length) {
    const most = reforms.reduce((a, b) => ((entries[rows.indexOf(b)].patientSiphon ?? -Infinity) > (entries[rows.indexOf(a)].patientSiphon ?? -Infinity) ? b : a));
    const v = entries[rows.indexOf(most)].patientSiphon!;
    sentences.push(
      zh
        ? `患者虹吸最大：${most.scenario}，可在基层诊治的病例在县级医院诊治的比例较参照${v >= 0 ? "上升" : "下降"} ${Math.abs(v * 100).toFixed(1)} 个百分点。`
        : `Largest patient siphon: ${most.scenario} — the share of primary-treatable episodes treated at county hospitals is ${Math.abs(v * 100).toFixed(1)} points ${v >= 0 ? "higher" : "lower"} than the reference.`,
    );
  }
  return { modelled: true, present: [...present], missing: [...missing], columns, rows, sentences, rule: siphonRuleText(lang, entries.find((e) => e.siphonRisk?.minimumChange !== undefined)?.siphonRisk?.minimumChange) };
}
