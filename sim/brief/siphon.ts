/**
 * The siphon-risk (虹吸) verdict: read the siphon indicators from the compare entries when
 * the model provides them (patientSiphon, staffSiphon, primaryDoctorsPer10k, siphonRisk);
 * say plainly that siphoning is not modelled when none is present. Labels, units and
 * targets come from sim/indicators.ts, so the verdict follows the model's definitions.
 */
import { formatValue } from "../cli/format";
import { INDICATORS, type IndicatorDefinition } from "../indicators";
import { pick, type Lang } from "../charts/labels";
import type { CompareEntryLike } from "./types";

export const SIPHON_IDS = ["patientSiphon", "staffSiphon", "primaryDoctorsPer10k", "siphonRisk"] as const;

export interface SiphonRow {
  scenario: string;
  values: Record<string, { text: string; value: number | null; met: boolean | null }>;
}

export interface SiphonVerdict {
  modelled: boolean;
  /** indicator ids present in the entries, in SIPHON_IDS order */
  present: string[];
  missing: string[];
  /** column headers (indicator labels) */
  headers: { id: string; label: string; definition: string }[];
  rows: SiphonRow[];
  /** plain-language sentences */
  sentences: string[];
}

function definitionOf(id: string): IndicatorDefinition | undefined {
  return INDICATORS.find((d) => d.id === id);
}

export function siphonVerdict(entries: readonly CompareEntryLike[], lang: Lang): SiphonVerdict {
  const present = SIPHON_IDS.filter((id) => entries.some((e) => e.indicators[id] !== undefined));
  const missing = SIPHON_IDS.filter((id) => !present.includes(id));
  if (present.length === 0) return { modelled: false, present: [], missing: [...missing], headers: [], rows: [], sentences: [] };
  const headers = present.map((id) => {
    const d = definitionOf(id);
    return { id, label: d ? pick(d.label, lang) : id, definition: d?.definition ?? "" };
  });
  const unitOf = (id: string) => definitionOf(id)?.unit ?? "count";
  const rows: SiphonRow[] = entries.map((e) => ({
    scenario: pick(e.title, lang),
    values: Object.fromEntries(
      present.map((id) => {
        const v = e.indicators[id];
        const value = v?.value ?? null;
        return [id, { value, met: v?.met ?? null, text: `${formatValue(unitOf(id), value) ?? String(value)}${v?.met === true ? " ✓" : v?.met === false ? " ×" : ""}` }];
      }),
    ),
  }));
  const sentences: string[] = [];
  for (const id of present) {
    const d = definitionOf(id);
    const label = d ? pick(d.label, lang) : id;
    const withValues = rows.filter((r) => r.values[id].value !== null);
    if (withValues.length === 0) continue;
    const missed = withValues.filter((r) => r.values[id].met === false).map((r) => r.scenario);
    if (d?.target) {
      sentences.push(
        missed.length === 0
          ? lang === "zh"
            ? `${label}：所有情景均在目标范围内。`
            : `${label}: every scenario is within its target.`
          : lang === "zh"
            ? `${label}：${missed.join("、")}超出目标。`
            : `${label}: outside the target in ${missed.join("; ")}.`,
      );
    }
    if (withValues.length > 1) {
      const sorted = [...withValues].sort((a, b) => b.values[id].value! - a.values[id].value!);
      const hi = sorted[0];
      const lo = sorted[sorted.length - 1];
      sentences.push(
        lang === "zh"
          ? `${label}最高为${hi.scenario}（${hi.values[id].text.replace(/ [✓×]$/, "")}），最低为${lo.scenario}（${lo.values[id].text.replace(/ [✓×]$/, "")}）。`
          : `${label} is highest under ${hi.scenario} (${hi.values[id].text.replace(/ [✓×]$/, "")}) and lowest under ${lo.scenario} (${lo.values[id].text.replace(/ [✓×]$/, "")}).`,
      );
    }
  }
  return { modelled: true, present: [...present], missing: [...missing], headers, rows, sentences };
}
