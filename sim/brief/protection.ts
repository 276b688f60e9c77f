/**
 * The benefits and financial-protection section: reads what `yigongti compare` puts in
 * each entry — the 待遇不降低 verdict (sim/benefits.ts: `benefits`), the financial-
 * protection indicators (sim/protection.ts: catastrophicExpenditure10/25,
 * oopPerResidentQ1…Q5, oopPerResidentPoor, actualCompensationRatio) and the township
 * breakdown — and says it in plain words: who lost benefits against what, and one
 * financial-protection line. Entries without these fields (a model version without them)
 * get a plain "not modelled in this version".
 */
import { pick, type Lang } from "../charts/labels";
import { valueText } from "../charts/format";
import type { BenefitsLike, CompareEntryLike } from "./types";

/** The forgone-care clause of the financial-protection line: the first scenario's share by group, or "not modelled". */
function forgone(e: CompareEntryLike, zh: boolean): string {
  const f = e.forgoneCare;
  if (!f?.modelled) return zh ? "未就医（放弃治疗）本次运行未模拟。" : "Forgone care is not modelled in this run.";
  const pct = share;
  const q = f.byQuintile ?? [];
  return zh
    ? `患病未就诊比例 ${pct(f.share)}（最低收入组 ${pct(q[0])}、最高收入组 ${pct(q[4])}，建档立卡贫困人口 ${pct(f.poor)}）。`
    : `Forgone care (episodes not taken to any facility) ${pct(f.share)}: the poorest fifth ${pct(q[0])}, the richest ${pct(q[4])}, the registered poor ${pct(f.poor)}.`;
}

const GROUP = {
  resident: { zh: "居民医保·非建档立卡", en: "resident scheme, not registered poor" },
  residentPoor: { zh: "居民医保·建档立卡贫困人口", en: "resident scheme, registered poor" },
  employee: { zh: "职工医保", en: "employee scheme" },
} as const;

export interface ProtectionRow {
  scenario: string;
  notLower: boolean | null;
  /** cell texts, by column id */
  cells: Record<string, string>;
  /** the benefits that fell, in words */
  falls: string[];
}

export interface ProtectionSection {
  modelled: boolean;
  columns: { id: string; label: string }[];
  rows: ProtectionRow[];
  /** plain-language sentences: the benefits verdict, then the financial-protection line */
  sentences: string[];
  /** the short versions for page 1 */
  summary: string[];
  notes: string[];
}

/** One fall in words: "registered poor: OOP per episode +6.3% vs baseline-2018 (2020)". */
export function fallWords(f: BenefitsLike["falls"][number], lang: Lang, titles: Readonly<Record<string, { zh: string; en: string }>> = {}): string {
  const zh = lang === "zh";
  // the baseline by its title, not its file name
  f = titles[f.reference] ? { ...f, reference: titles[f.reference][lang] } : f;
  const what = f.metric === "ratio" ? (zh ? "实际报销比" : "reimbursement ratio") : zh ? "每病例自付" : "OOP per episode";
  const change = f.metric === "ratio" ? `${(-f.worsening * 100).toFixed(1)}${zh ? " 个百分点" : " pts"}` : `+${(f.worsening * 100).toFixed(1)}%`;
  const ref = f.against === "baseline" ? (zh ? `较 ${f.reference}` : `vs ${f.reference}`) : zh ? `较上年 ${f.reference}` : `vs ${f.reference}`;
  return zh ? `${GROUP[f.group].zh}${what} ${change}，${ref}（${f.period}）` : `${GROUP[f.group][lang]}: ${what} ${change} ${ref} (${f.period})`;
}

const share = (v: number | null | undefined) => valueText("share", v ?? null);
const yuan = (v: number | null | undefined, lang: Lang) => valueText("yuan", v ?? null, lang);

export function protectionSection(entries: readonly CompareEntryLike[], lang: Lang): ProtectionSection {
  const zh = lang === "zh";
  const has = entries.some((e) => e.benefits !== undefined) || entries.some((e) => e.indicators.catastrophicExpenditure10 !== undefined);
  if (!has) return { modelled: false, columns: [], rows: [], sentences: [], summary: [], notes: [] };
  const ind = (e: CompareEntryLike, id: string) => e.indicators[id]?.value ?? null;
  const titles = Object.fromEntries(entries.map((e) => [e.name, e.title]));
  const columns = [
    { id: "benefits", label: zh ? "群众待遇不降低" : "Benefits not lower" },
    { id: "che10", label: zh ? "灾难性卫生支出（>10%）" : "Catastrophic (> 10%)" },
    { id: "che25", label: zh ? "灾难性卫生支出（>25%）" : "Catastrophic (> 25%)" },
    { id: "q1", label: zh ? "人均自付：最低收入组" : "OOP/resident, poorest fifth" },
    { id: "q5", label: zh ? "人均自付：最高收入组" : "OOP/resident, richest fifth" },
    { id: "poor", label: zh ? "人均自付：建档立卡" : "OOP/resident, registered poor" },
    { id: "acr", label: zh ? "住院实际补偿比" : "Actual compensation ratio" },
    { id: "towns", label: zh ? "分乡镇人均自付（最低–最高）" : "OOP/resident by township (low–high)" },
  ];
  const rows: ProtectionRow[] = entries.map((e) => {
    const b = e.benefits;
    const towns = (e.oopPerResidentByTownship ?? []).filter((x): x is typeof x & { value: number } => x.value !== null);
    const lo = towns.length ? towns.reduce((a, x) => (x.value < a.value ? x : a)) : null;
    const hi = towns.length ? towns.reduce((a, x) => (x.value > a.value ? x : a)) : null;
    return {
      scenario: pick(e.title, lang),
      notLower: b ? b.notLower : null,
      falls: b ? b.falls.map((f) => fallWords(f, lang, titles)) : [],
      cells: {
        benefits: b ? (b.notLower ? (zh ? "✓ 未降低" : "✓ not lower") : `× ${zh ? `${b.falls.length} 项降低` : `${b.falls.length} fell`}`) : "—",
        che10: share(ind(e, "catastrophicExpenditure10")),
        che25: share(ind(e, "catastrophicExpenditure25")),
        q1: yuan(ind(e, "oopPerResidentQ1"), lang),
        q5: yuan(ind(e, "oopPerResidentQ5"), lang),
        poor: yuan(ind(e, "oopPerResidentPoor"), lang),
        acr: share(ind(e, "actualCompensationRatio")),
        towns: lo && hi ? `${yuan(lo.value, lang)}–${yuan(hi.value, lang)}` : "—",
      },
    };
  });
  const sentences: string[] = [];
  const summary: string[] = [];
  const judged = rows.filter((r) => r.notLower !== null);
  if (judged.length) {
    const lower = judged.filter((r) => r.notLower === false);
    const ok = judged.filter((r) => r.notLower === true);
    if (lower.length) {
      for (const r of lower) {
        const first = r.falls.slice(0, 2).join(zh ? "；" : "; ");
        const more = r.falls.length > 2 ? (zh ? `等 ${r.falls.length} 项` : ` and ${r.falls.length - 2} more`) : "";
        sentences.push(zh ? `群众待遇降低：${r.scenario}——${first}${more}。` : `Benefits fell: ${r.scenario} — ${first}${more}.`);
      }
    }
    if (ok.length) sentences.push(zh ? `群众待遇未降低：${ok.map((r) => r.scenario).join("、")}。` : `Benefits not lower: ${ok.map((r) => r.scenario).join("; ")}.`);
    summary.push(
      lower.length
        ? zh
          ? `群众待遇不降低（003 §三）：${judged.length} 个情景中 ${ok.length} 个未降低；降低的是 ${lower.map((r) => r.scenario).join("、")}。`
          : `Benefits not lower (待遇不降低, 003 §三): ${ok.length} of ${judged.length} scenarios; benefits fell in ${lower.map((r) => r.scenario).join("; ")}.`
        : zh
          ? `群众待遇不降低（003 §三）：全部 ${judged.length} 个情景均未降低。`
          : `Benefits not lower (待遇不降低, 003 §三) in all ${judged.length} scenarios.`,
    );
  }
  // the financial-protection line: catastrophic expenditure across scenarios, and who pays most
  const che = entries.map((e, i) => ({ i, v: ind(e, "catastrophicExpenditure10") })).filter((x): x is { i: number; v: number } => x.v !== null);
  if (che.length) {
    const lo = che.reduce((a, x) => (x.v < a.v ? x : a));
    const hi = che.reduce((a, x) => (x.v > a.v ? x : a));
    const e0 = entries[0];
    const range = lo.i === hi.i ? share(lo.v) : zh ? `${share(lo.v)}（${rows[lo.i].scenario}）至 ${share(hi.v)}（${rows[hi.i].scenario}）` : `${share(lo.v)} (${rows[lo.i].scenario}) to ${share(hi.v)} (${rows[hi.i].scenario})`;
    const q1 = ind(e0, "oopPerResidentQ1");
    const q5 = ind(e0, "oopPerResidentQ5");
    const poor = ind(e0, "oopPerResidentPoor");
    const line = zh
      ? `经济风险保护（${e0.year}）：灾难性卫生支出发生率（自付超过收入10%）${range}；${rows[0].scenario}中最低收入组人均自付 ${yuan(q1, lang)}、最高收入组 ${yuan(q5, lang)}，建档立卡贫困人口 ${yuan(poor, lang)}；住院实际补偿比 ${share(ind(e0, "actualCompensationRatio"))}。${forgone(e0, true)}`
      : `Financial protection (${e0.year}): catastrophic health expenditure (OOP above 10% of income) ${range}; in ${rows[0].scenario} the poorest fifth pays ${yuan(q1, lang)} per resident, the richest ${yuan(q5, lang)}, the registered poor ${yuan(poor, lang)}; actual compensation ratio of inpatients ${share(ind(e0, "actualCompensationRatio"))}. ${forgone(e0, false)}`;
    sentences.push(line);
    summary.push(line);
  }
  const notes = [
    zh
      ? "群众待遇不降低：对每个险种×是否建档立卡人群、每个模拟年，比较实际报销比与每病例自付：与同一种子下的基线情景同年相比，并与本情景上年相比（自付按不变单价）；变化超过容差且超过3个标准误才判为降低（容差为模型参数中的假设值）。"
      : "Benefits not lower: for each scheme × registered-poor group and each simulated year, the effective reimbursement ratio and out-of-pocket per episode, against the baseline scenario in the same year (same seed) and against the scenario's previous year (OOP at constant unit costs); a change counts as a fall only beyond its tolerance and beyond 3 standard errors (tolerances are assumptions, set in the model's parameters).",
    zh
      ? "灾难性卫生支出按 SDG 3.8.2（世卫组织、世界银行）：年度自付超过收入的10%或25%；本模型以个人收入计算（县域数据无家庭消费与食品支出），未计算世卫组织“支付能力40%”口径。"
      : "Catastrophic expenditure follows SDG 3.8.2 (WHO and World Bank): out-of-pocket spending in the year above 10% or 25% of income; here per person and on income (the county data have no household consumption or food spending), so the WHO capacity-to-pay (40%) definition is not computed.",
    entries.find((e) => e.forgoneCare)?.forgoneCare?.modelled === false
      ? zh
        ? "未就医（放弃治疗）：本次运行未模拟（careSeeking.enabled 为 false）——每个病例都得到治疗，故不报告数值。"
        : "Forgone care: not modelled in this run (careSeeking.enabled is false) — every episode is treated, so no number is reported."
      : entries.some((e) => e.forgoneCare?.modelled)
        ? zh
          ? "未就医（放弃治疗）：患病而未到任何医疗机构就诊（自我治疗、药店、放弃；非急危重症的住院推迟）的病例占全部病例的比例，按病情层级、收入五分位组（起始年收入）和是否建档立卡人口分组。"
          : "Forgone care: illness episodes not taken to any facility (self-care, pharmacy, forgone; non-critical admissions deferred) ÷ all episodes, by tier of need, income quintile (start-year income) and registered-poor status."
        : "",
  ].filter(Boolean);
  return { modelled: true, columns, rows, sentences, summary, notes };
}
