/**
 * Reports of a regression check, for people and for CI systems:
 *  - Markdown — fits a CI job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab's job log);
 *  - JSON — everything, exact values included;
 *  - JUnit XML — one test case per scenario (exact) and per scenario × indicator
 *    (statistical), for CI systems that show test reports.
 * No timestamps or machine paths beyond what the reference names, so a report of the
 * same check is the same text (they are golden-tested).
 */
import { INDICATORS } from "../indicators";
import { jsonText } from "../output";
import type { CheckResult } from "./check";
import type { ExactDifference } from "./exact";
import type { TestResult } from "./statistical";

/** Rows of exact differences shown per scenario in Markdown (all are in the JSON). */
export const MARKDOWN_ROWS_PER_SCENARIO = 15;

const labels = new Map(INDICATORS.map((d) => [d.id, d.label]));
const unitOf = new Map(INDICATORS.map((d) => [d.id, d.unit]));

/** Six significant digits, or every digit when six would hide the difference. */
function num(v: number | null, other?: number | null): string {
  if (v === null) return "∅";
  if (!Number.isFinite(v)) return String(v);
  const short = Number(v.toPrecision(6));
  if (other !== undefined && other !== null && Number.isFinite(other) && Number(other.toPrecision(6)) === short && other !== v) return String(v);
  return Math.abs(short) >= 1e6 ? short.toLocaleString("en-US", { maximumFractionDigits: 0 }) : String(short);
}

const signed = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${num(Math.abs(v))}`;
function percent(v: number | null): string {
  if (v === null) return "";
  if (!Number.isFinite(v)) return "from 0";
  const p = v * 100;
  const a = Math.abs(p);
  const digits = a >= 10 ? 1 : a >= 0.01 ? 2 : 0;
  return digits ? `${p > 0 ? "+" : "−"}${a.toFixed(digits)}%` : `${p > 0 ? "+" : "−"}${a.toExponential(1)}%`;
}
const esc = (s: string) => s.replace(/\|/g, "\\|");
const name = (id: string) => {
  const l = labels.get(id);
  return l ? `\`${id}\` ${l.zh}` : `\`${id}\``;
};

function differenceRow(d: ExactDifference): string {
  const change = d.kind === "changed" ? `${signed(d.absolute!)} | ${percent(d.relative)}` : `${d.kind} | `;
  return `| ${d.table} | ${d.period} | ${name(d.id)} | ${num(d.old, d.new)} | ${num(d.new, d.old)} | ${change} |`;
}

/** A share or growth difference reads in percentage points; other units as they are. */
function diffInUnit(id: string, v: number | null): string {
  if (v === null) return "";
  const u = unitOf.get(id);
  if (u === "share" || u === "growth") return `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toPrecision(2)} pts`;
  return signed(Number(v.toPrecision(3)));
}

function statRow(t: TestResult): string {
  const side = (s: TestResult["reference"]) => (s ? `${num(s.mean)} ± ${num(Number(s.sd.toPrecision(2)))} (n ${s.n})` : "∅");
  const z = t.standardised === null ? "" : `${t.standardised > 0 ? "+" : t.standardised < 0 ? "−" : ""}${Math.abs(t.standardised).toFixed(1)} sd`;
  const p = t.adjusted < 1e-4 ? t.adjusted.toExponential(1) : t.adjusted.toPrecision(2);
  return `| ${esc(t.scenario)} | ${name(t.indicator)} | ${t.period} | ${side(t.reference)} | ${side(t.fresh)} | ${diffInUnit(t.indicator, t.difference)} ${z} | ${p}${t.note ? ` (${t.note})` : ""} |`;
}

const STATUS_LINE: Record<CheckResult["status"], string> = {
  match: "✅ match — 与基准一致",
  "outputs changed": "⚠️ outputs changed — 输出已变化",
  "behaviour changed": "❌ behaviour changed — 模型行为已变化",
};

export function markdownReport(r: CheckResult): string {
  const ref = r.reference;
  const st = ref.settings;
  const out: string[] = [];
  out.push(`# Regression check 回归检验: ${STATUS_LINE[r.status]}`, "");
  out.push(
    `Reference \`${r.dir}\`: ${ref.scenarios.length} scenario${ref.scenarios.length === 1 ? "" : "s"}, ` +
      `exact for seed ${st.seed}, ensemble of ${st.seeds} seed${st.seeds === 1 ? "" : "s"} (${st.seed}–${st.seed + st.seeds - 1}), scale ${st.scale}, ` +
      `${st.years === null ? "each scenario through the target year" : `${st.years} year${st.years === 1 ? "" : "s"}`}. Mode: ${r.mode}. Exit code ${r.exitCode}.`,
    "",
    `**${r.cause}**`,
    "",
    "| | recorded | now |",
    "|---|---|---|",
    `| model version | ${ref.model.version} | ${r.now.version} |`,
    `| model fingerprint | \`${ref.model.fingerprint}\` | \`${r.now.fingerprint}\`${r.modelChanged ? " (changed)" : ""} |`,
    `| Node | ${ref.model.node} | ${r.now.node}${r.nodeChanged ? " (changed)" : ""} |`,
    "",
  );

  const exactBy = new Map(r.exact?.byScenario.map((b) => [b.name, b.count]) ?? []);
  const flaggedBy = new Map<string, number>();
  for (const t of r.statistical?.flagged ?? []) flaggedBy.set(t.scenario, (flaggedBy.get(t.scenario) ?? 0) + 1);
  const testsBy = new Map<string, number>();
  for (const t of r.statistical?.results ?? []) testsBy.set(t.scenario, (testsBy.get(t.scenario) ?? 0) + 1);
  out.push("| scenario | scenario file | exact | statistical |", "|---|---|---|---|");
  for (const p of r.scenarios) {
    const file = p.edited ? `edited: \`${p.file}\` (hash ${p.recordedHash.slice(0, 8)} → ${p.currentHash.slice(0, 8)})` : `\`${p.file}\` unchanged`;
    const e = !r.exact ? "not run" : r.exact.skipped ? "skipped" : exactBy.get(p.name) ? `✗ ${exactBy.get(p.name)!.toLocaleString("en-US")} values differ` : "✓ identical";
    const s = !r.statistical ? "not run" : r.statistical.skipped ? "skipped" : flaggedBy.get(p.name) ? `✗ ${flaggedBy.get(p.name)} of ${testsBy.get(p.name) ?? 0} flagged` : `✓ consistent (${testsBy.get(p.name) ?? 0} tests)`;
    out.push(`| ${esc(p.name)} | ${file} | ${e} | ${s} |`);
  }
  out.push("");

  if (r.exact) {
    out.push("## Exact check 精确比对", "");
    if (r.exact.skipped) out.push(`Skipped: ${r.exact.skipped}.`, "");
    else if (r.exact.differences.length === 0) out.push("Every recorded value (yearly and monthly indicators and yearly counter totals of the fixed seed, yearly indicators of every seed) is identical to the bit.", "");
    else {
      out.push(
        `${r.exact.differences.length.toLocaleString("en-US")} recorded values differ. Largest first (relative change); at most ${MARKDOWN_ROWS_PER_SCENARIO} per scenario here, every one in the JSON report. ∅ = no value.`,
        "",
      );
      for (const b of r.exact.byScenario) {
        if (b.count === 0) continue;
        const ds = r.exact.differences.filter((d) => d.scenario === b.name);
        out.push(`### ${b.name} — ${b.count.toLocaleString("en-US")} values`, "", "| table | period | indicator | old | new | change | relative |", "|---|---|---|---|---|---|---|");
        for (const d of ds.slice(0, MARKDOWN_ROWS_PER_SCENARIO)) out.push(differenceRow(d));
        if (ds.length > MARKDOWN_ROWS_PER_SCENARIO) out.push(`| … | | ${(ds.length - MARKDOWN_ROWS_PER_SCENARIO).toLocaleString("en-US")} more | | | | |`);
        out.push("");
      }
    }
  }

  if (r.statistical) {
    const s = r.statistical;
    out.push("## Statistical check 统计检验", "");
    if (s.skipped) out.push(`Skipped: ${s.skipped}.`, "");
    else {
      out.push(
        `Each indicator in each year and scenario: the reference's ${st.seeds} seeds against ${s.seeds.length} new runs (seeds ${s.seeds[0]}–${s.seeds[s.seeds.length - 1]}), ` +
          `Welch's two-sample t-test, Holm-adjusted over the ${s.tests.toLocaleString("en-US")} indicator-years that vary between runs (the same constant in every run counts as consistent); family-wise false-alarm level α = ${s.alpha}.`,
        "",
      );
      if (s.flagged.length === 0) out.push("No indicator differs from the reference beyond seed noise.", "");
      else {
        out.push(`${s.flagged.length} indicator-years differ beyond seed noise (mean ± sd across seeds; p adjusted):`, "", "| scenario | indicator | year | reference | now | difference | p (Holm) |", "|---|---|---|---|---|---|---|");
        for (const t of s.flagged.slice(0, 40)) out.push(statRow(t));
        if (s.flagged.length > 40) out.push(`| … ${s.flagged.length - 40} more in the JSON report | | | | | | |`);
        out.push("");
      }
      const det = s.detectable.filter((d) => d.indicator === "primaryVisitShare" || d.indicator === "withinCountyVisitRate");
      if (det.length) {
        out.push(`What this check can see (final year; a change of this size is flagged 8 times in 10):`, "", "| scenario | indicator | seed sd | detectable change |", "|---|---|---|---|");
        for (const d of det) out.push(`| ${esc(d.scenario)} | ${name(d.indicator)} | ${diffInUnit(d.indicator, d.referenceSd).replace(/^\+/, "")} | ${diffInUnit(d.indicator, d.difference).replace(/^\+/, "")} |`);
        out.push("");
      }
    }
  }
  return out.join("\n");
}

/** Everything, for machines: exact values, every test. */
export function jsonReport(r: CheckResult): string {
  return jsonText({
    status: r.status,
    exitCode: r.exitCode,
    cause: r.cause,
    mode: r.mode,
    dir: r.dir,
    recorded: { model: r.reference.model, settings: r.reference.settings },
    now: r.now,
    modelChanged: r.modelChanged,
    nodeChanged: r.nodeChanged,
    scenarios: r.scenarios,
    exact: r.exact,
    statistical: r.statistical,
  });
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: suite "exact" (a case per scenario) and suite "statistical" (a case per scenario × indicator). */
export function junitReport(r: CheckResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  if (r.exact) {
    const cases = r.scenarios.map((p) => {
      const ds = r.exact!.differences.filter((d) => d.scenario === p.name);
      const nm = `name="${xml(p.name)}" classname="regress.exact"`;
      if (r.exact!.skipped) return `    <testcase ${nm}><skipped message="${xml(r.exact!.skipped)}"/></testcase>`;
      if (!ds.length) return `    <testcase ${nm}/>`;
      const top = ds.slice(0, 10).map((d) => `${d.table} ${d.period} ${d.id}: ${num(d.old, d.new)} → ${num(d.new, d.old)}${d.kind === "changed" ? ` (${percent(d.relative)})` : ` (${d.kind})`}`);
      return `    <testcase ${nm}><failure message="${xml(`${ds.length} values differ${p.edited ? " (scenario edited)" : ""}`)}" type="outputs changed">${xml(top.join("\n"))}</failure></testcase>`;
    });
    const f = r.exact.skipped ? 0 : r.exact.byScenario.filter((b) => b.count > 0).length;
    const sk = r.exact.skipped ? cases.length : 0;
    tests += cases.length;
    failures += f;
    skipped += sk;
    suites.push(`  <testsuite name="exact" tests="${cases.length}" failures="${f}" skipped="${sk}">\n${cases.join("\n")}\n  </testsuite>`);
  }
  if (r.statistical) {
    const s = r.statistical;
    const cases: string[] = [];
    let f = 0;
    if (s.skipped) cases.push(`    <testcase name="statistical" classname="regress.statistical"><skipped message="${xml(s.skipped)}"/></testcase>`);
    else
      for (const p of r.scenarios) {
        const ids = [...new Set(s.results.filter((t) => t.scenario === p.name).map((t) => t.indicator))];
        for (const id of ids) {
          const bad = s.flagged.filter((t) => t.scenario === p.name && t.indicator === id);
          const nm = `name="${xml(id)}" classname="regress.statistical.${xml(p.name)}"`;
          if (!bad.length) cases.push(`    <testcase ${nm}/>`);
          else {
            f++;
            const lines = bad.map((t) => `${t.period}: ${t.reference ? num(t.reference.mean) : "∅"} → ${t.fresh ? num(t.fresh.mean) : "∅"}, p (Holm) ${t.adjusted.toPrecision(2)}${t.note ? ` (${t.note})` : ""}`);
            cases.push(`    <testcase ${nm}><failure message="${xml(`differs beyond seed noise in ${bad.map((t) => t.period).join(", ")}`)}" type="behaviour changed">${xml(lines.join("\n"))}</failure></testcase>`);
          }
        }
      }
    const sk = s.skipped ? 1 : 0;
    tests += cases.length;
    failures += f;
    skipped += sk;
    suites.push(`  <testsuite name="statistical" tests="${cases.length}" failures="${f}" skipped="${sk}">\n${cases.join("\n")}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="yigongti regress check" tests="${tests}" failures="${failures}" skipped="${skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}
