/**
 * The explorer page (bundled for the browser by scripts/build/explore.mjs): pick a county
 * and a starting scenario, move the main levers, and see the 2020 targets met or missed
 * with bands over a few seeds, the siphon verdict, the insurance fund and trajectories
 * against their target lines — in Chinese or English. Each seed is simulated in a Web
 * Worker (worker.ts, one per core) from the files the page was given (files.js:
 * self.YIGONGTI_EXPLORER), so the page needs no server: it works from a static folder
 * and from file://. "Save as scenario" downloads the setting as a YAML file that
 * `yigongti run` and `yigongti brief` take unchanged.
 */
import { INDICATORS, type IndicatorDefinition } from "../indicators";
import { leverName, leverValue } from "../scenario/lever-labels";
import { formatYearMonth, loadScenario, parseYearMonth, type Scenario, type YearMonth } from "../scenario/load";
import { InputError } from "../scenario/errors";
import { formatTarget, formatValue } from "../study/format";
import { quantileBand } from "../study/summary";
import { explorerBaseline } from "./baseline";
import { LEVER_GROUPS, defaultFrom, leverControl, offeredValues, settingChanges, settingYaml, startingValue, type LeverValue } from "./levers";
import { SHOWN_INDICATORS, TRAJECTORY_INDICATORS, type RunRequest, type SeedResult, type WorkerReply } from "./protocol";
import { VIRTUAL_ROOT, mountFiles } from "./vfs";

type Lang = "zh" | "en";

interface ExplorerConfig {
  files: Record<string, string>;
  cwd: string;
  /** the package root on the machine that served the page (saved scenarios extend files there) */
  hostRoot: string;
  /** scenario files offered (paths of the file map), the first one selected */
  scenarios: string[];
  /** default seeds and scale */
  seeds: number;
  scale: number;
}

declare const self: { YIGONGTI_EXPLORER: ExplorerConfig; YIGONGTI_WORKER_SOURCE: string };
declare const Plotly: { react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown> };

const config = self.YIGONGTI_EXPLORER;
mountFiles(config.files, config.cwd);

// ---------------------------------------------------------------------------------------
// words
const T = {
  title: { zh: "医共体政策探索器", en: "County medical community explorer" },
  intro: {
    zh: "选一个县和一个起始情景，调整政策杠杆，几秒钟内看到2020年目标是否达成（多个随机种子的区间）、虹吸判断、医保基金和各项轨迹。模拟在本页面中运行，不联网。",
    en: "Pick a county and a starting scenario, move the policy levers and see within seconds whether the 2020 targets are met (bands over several seeds), the siphon verdict, the insurance fund and the trajectories. The simulation runs in this page; nothing goes over the network.",
  },
  county: { zh: "县", en: "County" },
  scenario: { zh: "起始情景", en: "Starting scenario" },
  from: { zh: "调整生效月份", en: "Changes take effect from" },
  seeds: { zh: "随机种子数", en: "Seeds" },
  scale: { zh: "人口比例", en: "Population scale" },
  reset: { zh: "全部还原", en: "Reset all" },
  save: { zh: "另存为情景（YAML）", en: "Save as scenario (YAML)" },
  running: { zh: "计算中…", en: "Computing…" },
  targets: { zh: "目标（{year}年）", en: "Targets in {year}" },
  indicator: { zh: "指标", en: "Indicator" },
  target: { zh: "目标", en: "Target" },
  median: { zh: "中位数", en: "Median" },
  band: { zh: "区间（最低–最高）", en: "Band (lowest–highest)" },
  met: { zh: "达标的种子", en: "Seeds meeting it" },
  siphon: { zh: "虹吸判断（{year}年，对照 {against}）", en: "Siphon verdict ({year}, against {against})" },
  fund: { zh: "医保基金", en: "Insurance fund" },
  trajectories: { zh: "轨迹（近12个月滚动值；虚线为目标）", en: "Trajectories (trailing 12 months; dashed line = target)" },
  moved: { zh: "已调整 {n} 项杠杆", en: "{n} lever(s) moved" },
  none: { zh: "未调整杠杆：显示起始情景本身", en: "No lever moved: the starting scenario as it is" },
  problems: { zh: "这一设置无法运行：", en: "This setting cannot be run:" },
  high: { zh: "高", en: "high" },
  moderate: { zh: "中", en: "moderate" },
  low: { zh: "低", en: "low" },
  siphonRisk: { zh: "虹吸风险", en: "Siphon risk" },
  patientSiphon: { zh: "可在基层治疗的病例在县级医院就诊的比例变化", en: "Change in the share of primary-treatable episodes treated at county hospitals" },
  staffSiphon: { zh: "基层→县级医院医生净流动（人）", en: "Net doctors moved primary → county" },
  siphonRule: { zh: "规则：对照基线，县级医院诊疗量上升、基层诊疗量下降、基层医生减少——三项皆是为“高”，两项为“中”，否则为“低”。", en: "Rule: against the baseline, county-hospital encounters rose, primary encounters fell and primary doctors fell — all three is high, two is moderate, otherwise low." },
  settings: { zh: "{seeds}个随机种子 × {residents}名居民（人口比例 {scale}），{years}年；用时 {s} 秒", en: "{seeds} seeds × {residents} residents (scale {scale}), {years} years; computed in {s} s" },
  hash: { zh: "情景内容哈希", en: "Scenario content hash" },
  cli: { zh: "命令行复算：", en: "Same run on the command line:" },
  startMedian: { zh: "起始情景（中位数）", en: "Starting scenario (median)" },
  start: { zh: "起始值", en: "starting value" },
  seedsSmall: { zh: "小规模、少量种子：用于比较方向和大小，正式结论请用命令行以更大规模复算。", en: "A small population and few seeds: good for direction and size; rerun at a larger scale on the command line before relying on a figure." },
} satisfies Record<string, { zh: string; en: string }>;

// Chinese first (the committee's language); ?lang=en opens it in English
let lang: Lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const t = (k: keyof typeof T, vars: Record<string, string | number> = {}) => T[k][lang].replace(/\{(\w+)\}/g, (_m, v: string) => String(vars[v] ?? ""));
const paren = (text: string) => (lang === "zh" ? `（${text}）` : ` (${text})`);
const pick = (b: { zh: string; en: string } | string) => (typeof b === "string" ? b : b[lang]);

// ---------------------------------------------------------------------------------------
// scenarios offered
const scenarios = new Map<string, Scenario>();
for (const f of config.scenarios) {
  try {
    scenarios.set(f, loadScenario(f));
  } catch (e) {
    console.warn(`explorer: ${f} not offered: ${e instanceof InputError ? e.problems.join("; ") : String(e)}`);
  }
}
const countyOf = (s: Scenario) => s.countyFile;
/** A chain file's path in the file map (chains list files as shown, relative to the page's working directory). */
const mapped = (shown: string) => (shown.startsWith("/") ? shown : `${config.cwd}/${shown}`);
/** The scenario the siphon verdict sets the setting against (baseline.ts: the CLI's rule). */
const baselineOf = (f: string): string => explorerBaseline(scenarios.get(f)!, mapped);

// ---------------------------------------------------------------------------------------
// state
const state = {
  file: config.scenarios.find((f) => scenarios.has(f)) ?? "",
  from: { year: 2019, month: 1 } as YearMonth,
  moved: {} as Record<string, LeverValue>,
  seeds: config.seeds,
  scale: config.scale,
  results: [] as SeedResult[],
  /** the starting scenario's runs with the same seeds (empty when no lever is moved) */
  startResults: [] as SeedResult[],
  problems: [] as string[],
  running: false,
  ms: 0,
};
const start = () => scenarios.get(state.file)!;
state.from = defaultFrom(start());

const $ = (sel: string) => document.querySelector(sel) as HTMLElement;
const el = (tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};

// ---------------------------------------------------------------------------------------
// workers: one per core (at most one per seed), each seed a task
const workerUrl = URL.createObjectURL(new Blob([self.YIGONGTI_WORKER_SOURCE], { type: "text/javascript" }));
const poolSize = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
const workers: Worker[] = [];
const ready: Promise<void>[] = [];
for (let i = 0; i < poolSize; i++) {
  const w = new Worker(workerUrl);
  ready.push(
    new Promise((res, rej) => {
      w.addEventListener("message", (e: MessageEvent<WorkerReply>) => e.data.type === "ready" && res(), { once: true });
      w.addEventListener("error", (e) => rej(new Error(`the simulator's Web Worker did not start: ${e.message || "blocked by the browser"}`)), { once: true });
    }),
  );
  w.postMessage({ type: "init", files: config.files, cwd: config.cwd });
  workers.push(w);
}

let generation = 0;
/** the starting scenarios' runs by file, seed and scale (moving a lever does not change them) */
const startRuns = new Map<string, SeedResult>();
async function compute(): Promise<void> {
  const gen = ++generation;
  state.running = true;
  document.body.dataset.state = "running";
  renderStatus();
  try {
    await Promise.all(ready);
  } catch (e) {
    state.running = false;
    state.problems = [(e as Error).message];
    renderResults();
    document.body.dataset.state = "error";
    return;
  }
  const t0 = performance.now();
  const changes = settingChanges(start(), { moved: state.moved, from: state.from }, today());
  const seeds = Array.from({ length: state.seeds }, (_v, i) => i + 1);
  // the starting scenario's own runs too (once per scenario, seed and scale), so the table shows what the moved levers changed
  const startKey = (seed: number) => `${state.file}|${seed}|${state.scale}`;
  const moved = Object.keys(state.moved).length > 0;
  const queue: { seed: number; start: boolean }[] = [...seeds.map((seed) => ({ seed, start: false })), ...(moved ? seeds.filter((seed) => !startRuns.has(startKey(seed))).map((seed) => ({ seed, start: true })) : [])];
  const results: SeedResult[] = [];
  const problems: string[] = [];
  let nextId = gen * 1000;
  await Promise.all(
    workers.slice(0, Math.min(workers.length, seeds.length)).map(async (w) => {
      while (queue.length && gen === generation && !problems.length) {
        const task = queue.shift()!;
        const seed = task.seed;
        const req: RunRequest = { type: "run", id: nextId++, scenarioFile: state.file, baselineFile: baselineOf(state.file), changes: task.start ? { name: start().name } : changes, seed, scale: state.scale };
        const reply = await new Promise<WorkerReply>((res) => {
          const on = (e: MessageEvent<WorkerReply>) => {
            if (e.data.type !== "ready" && e.data.id === req.id) {
              w.removeEventListener("message", on);
              res(e.data);
            }
          };
          w.addEventListener("message", on);
          w.postMessage(req);
        });
        if (reply.type === "result") {
          if (task.start) startRuns.set(startKey(seed), reply.result);
          else results.push(reply.result);
        }
        else if (reply.type === "error") problems.push(...reply.problems);
      }
    }),
  );
  if (gen !== generation) return; // a newer setting is being computed
  state.running = false;
  state.results = results.sort((a, b) => a.seed - b.seed);
  state.startResults = moved ? seeds.map((seed) => startRuns.get(startKey(seed))).filter((r): r is SeedResult => r !== undefined) : [];
  state.problems = [...new Set(problems)];
  state.ms = performance.now() - t0;
  renderResults();
  document.body.dataset.state = problems.length ? "error" : "done";
}

let timer: ReturnType<typeof setTimeout> | undefined;
const recompute = () => {
  clearTimeout(timer);
  timer = setTimeout(() => void compute(), 250);
};

const today = () => new Date().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------
// controls
function renderControls(): void {
  const counties = [...new Set([...scenarios.values()].map(countyOf))];
  const countySel = el("select", { id: "county" }) as HTMLSelectElement;
  for (const c of counties) {
    const s = [...scenarios.values()].find((x) => countyOf(x) === c)!;
    const o = el("option", { value: c }, pick(s.county.title));
    if (c === countyOf(start())) o.setAttribute("selected", "");
    countySel.append(o);
  }
  countySel.addEventListener("change", () => {
    const f = [...scenarios.entries()].find(([, s]) => countyOf(s) === countySel.value)![0];
    chooseScenario(f);
  });
  const scenSel = el("select", { id: "scenario" }) as HTMLSelectElement;
  for (const [f, s] of scenarios) {
    if (countyOf(s) !== countyOf(start())) continue;
    const o = el("option", { value: f }, pick(s.title));
    if (f === state.file) o.setAttribute("selected", "");
    scenSel.append(o);
  }
  scenSel.addEventListener("change", () => chooseScenario(scenSel.value));
  // the months of the run after its start, worded in the page's language (a month input would follow the browser's locale)
  const from = el("select", { id: "from" }) as HTMLSelectElement;
  for (let k = 1; k < start().years * 12; k++) {
    const cal = start().start.year * 12 + start().start.month - 1 + k;
    const m = { year: Math.floor(cal / 12), month: (cal % 12) + 1 };
    const text = lang === "zh" ? `${m.year}年${m.month}月` : new Date(Date.UTC(m.year, m.month - 1, 1)).toLocaleString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
    from.append(Object.assign(el("option", { value: formatYearMonth(m) }, text), { selected: formatYearMonth(m) === formatYearMonth(state.from) }));
  }
  from.addEventListener("change", () => {
    const m = parseYearMonth(from.value);
    if (m) {
      state.from = m;
      renderControls();
      recompute();
    }
  });
  const seeds = el("select", { id: "seeds" }) as HTMLSelectElement;
  for (const n of [1, 2, 4, 8]) seeds.append(Object.assign(el("option", { value: String(n) }, String(n)), { selected: n === state.seeds }));
  seeds.addEventListener("change", () => {
    state.seeds = Number(seeds.value);
    recompute();
  });
  const scale = el("select", { id: "scale" }) as HTMLSelectElement;
  for (const v of [0.01, 0.02, 0.05, 0.1]) scale.append(Object.assign(el("option", { value: String(v) }, String(v)), { selected: v === state.scale }));
  scale.addEventListener("change", () => {
    state.scale = Number(scale.value);
    recompute();
  });
  const reset = el("button", { id: "reset", type: "button" }, t("reset"));
  reset.addEventListener("click", () => {
    state.moved = {};
    renderControls();
    recompute();
  });
  const save = el("button", { id: "save", type: "button", class: "primary" }, t("save"));
  save.addEventListener("click", saveScenario);

  const head = el(
    "div",
    { class: "pickers" },
    el("label", {}, t("county"), countySel),
    el("label", {}, t("scenario"), scenSel),
    el("label", {}, t("from"), from),
    el("div", { class: "row" }, el("label", {}, t("seeds"), seeds), el("label", {}, t("scale"), scale)),
  );
  const groups = LEVER_GROUPS.map((g) => {
    const box = el("fieldset", { "data-group": g.id }, el("legend", {}, pick(g.title)));
    if (g.note) box.append(el("p", { class: "note" }, pick(g.note)));
    for (const path of g.paths) box.append(leverRow(path));
    return box;
  });
  const moved = Object.keys(state.moved).length;
  $("#controls").replaceChildren(head, el("div", { class: "buttons" }, save, reset), el("p", { class: "moved" }, moved ? t("moved", { n: moved }) : t("none")), ...groups);
}

function leverRow(path: string): HTMLElement {
  const c = leverControl(path);
  const base = startingValue(start(), path, state.from);
  const value = path in state.moved ? state.moved[path] : base;
  const show = (v: LeverValue) => leverValue(path, v, lang);
  const out = el("output", {}, show(value));
  const set = (v: LeverValue) => {
    if (v === base) delete state.moved[path];
    else state.moved[path] = v;
    out.textContent = show(v);
    row.classList.toggle("changed", path in state.moved);
    row.title = path in state.moved ? `${t("start")}: ${show(base)}` : "";
    $(".moved").textContent = Object.keys(state.moved).length ? t("moved", { n: Object.keys(state.moved).length }) : t("none");
    recompute();
  };
  let input: HTMLElement;
  if (c.kind === "number") {
    const r = el("input", { type: "range", min: String(c.min), max: String(c.max), step: String(c.step), value: String(value) }) as HTMLInputElement;
    r.addEventListener("input", () => (out.textContent = show(Number(r.value))));
    r.addEventListener("change", () => set(Number(r.value)));
    input = r;
  } else if (c.kind === "boolean") {
    const b = el("input", { type: "checkbox" }) as HTMLInputElement;
    b.checked = value === true;
    b.addEventListener("change", () => set(b.checked));
    input = b;
  } else {
    const s = el("select", {}) as HTMLSelectElement;
    for (const v of offeredValues(start(), c, state.from)) s.append(Object.assign(el("option", { value: v }, leverValue(path, v, lang)), { selected: v === value }));
    s.addEventListener("change", () => set(s.value));
    input = s;
  }
  input.setAttribute("data-lever", path);
  input.setAttribute("aria-label", leverName(path, lang));
  if (c.kind === "enum") out.hidden = true; // the choice shows its own words
  const row = el("div", { class: `lever ${c.kind}${path in state.moved ? " changed" : ""}` }, el("span", { class: "name" }, leverName(path, lang)), input, out);
  if (path in state.moved) row.title = `${t("start")}: ${show(base)}`;
  return row;
}

function chooseScenario(f: string): void {
  state.file = f;
  state.moved = {};
  state.from = defaultFrom(start());
  renderControls();
  recompute();
}

// ---------------------------------------------------------------------------------------
// results
const def = (id: string) => INDICATORS.find((d) => d.id === id) as IndicatorDefinition;
const finalYear = () => state.results[0]?.yearly[state.results[0].yearly.length - 1]?.period ?? "";

function renderStatus(): void {
  $("#status").textContent = state.running ? t("running") : "";
  $("#status").classList.toggle("busy", state.running);
}

function renderResults(): void {
  renderStatus();
  const root = $("#results");
  if (state.problems.length) {
    root.replaceChildren(el("div", { class: "problems" }, el("p", {}, t("problems")), el("ul", {}, ...state.problems.map((p) => el("li", {}, p)))));
    return;
  }
  const rs = state.results;
  if (!rs.length) return void root.replaceChildren();
  const year = finalYear();
  const values = (id: string, runs = rs) => runs.map((r) => r.yearly[r.yearly.length - 1].values[id]);
  const compared = state.startResults.length === rs.length;
  const rows = SHOWN_INDICATORS.filter((id) => id !== "staffSiphon" && values(id).some((v) => v && v.value !== null)).map((id) => {
    const d = def(id);
    const vs = values(id);
    const b = quantileBand(vs.map((v) => v?.value ?? null), [0, 1]);
    const judged = vs.filter((v) => v && v.met !== null);
    const met = judged.filter((v) => v!.met).length;
    const verdict = judged.length ? (met === judged.length ? "met" : met === 0 ? "missed" : "mixed") : "none";
    return el(
      "tr",
      { "data-indicator": id, "data-median": String(b.median), class: verdict },
      el("td", {}, d.label[lang]),
      el("td", {}, formatTarget(d)),
      el("td", { class: "num" }, formatValue(d.unit, b.median)),
      el("td", { class: "num" }, b.lo === b.hi ? "" : `${formatValue(d.unit, b.lo)} – ${formatValue(d.unit, b.hi)}`),
      ...(compared ? [el("td", { class: "num start" }, formatValue(d.unit, quantileBand(values(id, state.startResults).map((v) => v?.value ?? null)).median))] : []),
      el("td", { class: "num verdict" }, judged.length ? `${met}/${judged.length} ${verdict === "met" ? "✓" : verdict === "missed" ? "✗" : "◐"}` : ""),
    );
  });
  const table = el(
    "table",
    { id: "targets" },
    el("caption", {}, t("targets", { year })),
    el("thead", {}, el("tr", {}, ...[t("indicator"), t("target"), t("median"), t("band"), ...(compared ? [t("startMedian")] : []), t("met")].map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows),
  );
  const levels = { high: 0, moderate: 0, low: 0 };
  for (const r of rs) levels[r.siphon.siphonRisk.level]++;
  const ps = quantileBand(rs.map((r) => r.siphon.patientSiphon), [0, 1]);
  const ss = quantileBand(rs.map((r) => r.siphon.staffSiphon), [0, 1]);
  const worst = levels.high ? "high" : levels.moderate ? "moderate" : "low";
  const pp = (v: number | null) => (v === null ? "-" : `${v > 0 ? "+" : ""}${(v * 100).toFixed(1)}${lang === "zh" ? "个百分点" : " pp"}`);
  const siphon = el(
    "section",
    { id: "siphon", class: `risk-${worst}`, "data-level": worst },
    el("h3", {}, t("siphon", { year, against: againstText(rs[0].siphon.against) })),
    el("p", { class: "levels" }, `${t("siphonRisk")}: `, ...(["high", "moderate", "low"] as const).filter((l) => levels[l]).map((l) => el("span", { class: `pill ${l}` }, `${t(l)} × ${levels[l]}`))),
    el("p", {}, `${t("patientSiphon")}: ${pp(ps.median)}${ps.lo !== ps.hi ? paren(`${t("band")} ${pp(ps.lo)} – ${pp(ps.hi)}`) : ""}`),
    el("p", {}, `${t("staffSiphon")}: ${ss.median ?? "-"}${ss.lo !== ss.hi ? paren(`${t("band")} ${ss.lo} – ${ss.hi}`) : ""}`),
    el("p", { class: "rule" }, t("siphonRule")),
  );
  const r0 = rs[0];
  const settings = el(
    "p",
    { id: "settings", "data-hash": r0.hash },
    t("settings", { seeds: rs.length, residents: r0.residents.toLocaleString("en-US"), scale: r0.scale, years: r0.years, s: (state.ms / 1000).toFixed(1) }),
    el("br"),
    el("span", { class: "small" }, `${t("hash")}: ${r0.hash.slice(0, 16)}… · ${t("seedsSmall")}`),
  );
  const charts = el("section", { id: "charts" }, el("h3", {}, t("trajectories")), ...TRAJECTORY_INDICATORS.map((id) => el("div", { class: "chart", id: `chart-${id}` })));
  root.replaceChildren(settings, table, siphon, charts);
  for (const id of TRAJECTORY_INDICATORS) drawChart(id);
}

/** What the siphon verdict was set against, in words: the baseline's title, or the setting's own first year. */
function againstText(against: string): string {
  const own = /^(\d{4}) \(own first year\)$/.exec(against);
  if (own) return lang === "zh" ? `本情景${own[1]}年` : `its own ${own[1]}`;
  const s = [...scenarios.values()].find((x) => x.name === against);
  return s ? pick(s.title) : against;
}

function drawChart(id: string): void {
  const d = def(id);
  const rs = state.results;
  const periods = rs[0].rolling.map((p) => p.period);
  const bands = periods.map((_p, i) => quantileBand(rs.map((r) => r.rolling[i]?.values[id] ?? null), [0, 1]));
  const scale = d.unit === "share" ? 100 : 1;
  const y = (v: number | null) => (v === null ? null : v * scale);
  const lo = bands.map((b) => y(b.lo));
  const hi = bands.map((b) => y(b.hi));
  const med = bands.map((b) => y(b.median));
  const target = d.target ? d.target.value * scale : null;
  const data: unknown[] = [
    { x: periods, y: lo, type: "scatter", mode: "lines", line: { width: 0 }, hoverinfo: "skip", showlegend: false },
    { x: periods, y: hi, type: "scatter", mode: "lines", fill: "tonexty", fillcolor: "rgba(31,119,180,0.18)", line: { width: 0 }, name: t("band"), hoverinfo: "skip" },
    { x: periods, y: med, type: "scatter", mode: "lines", line: { color: "#1f77b4", width: 2.5 }, name: t("median") },
  ];
  if (state.startResults.length === rs.length) {
    const startMed = periods.map((_p, i) => y(quantileBand(state.startResults.map((r) => r.rolling[i]?.values[id] ?? null)).median));
    data.push({ x: periods, y: startMed, type: "scatter", mode: "lines", line: { color: "#8a94a3", width: 1.5 }, name: t("startMedian") });
  }
  if (target !== null) data.push({ x: [periods[0], periods[periods.length - 1]], y: [target, target], type: "scatter", mode: "lines", line: { color: "#c0392b", dash: "dash", width: 1.5 }, name: `${t("target")} ${formatTarget(d)}` });
  const layout = {
    title: { text: d.label[lang], font: { size: 14 } },
    margin: { l: 76, r: 36, t: 36, b: 36 },
    height: 230,
    font: { family: "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif", size: 11 },
    yaxis: { ticksuffix: d.unit === "share" ? "%" : "", tickprefix: d.unit === "yuan" ? "¥" : "", separatethousands: true, zeroline: d.unit === "yuan" },
    xaxis: { type: "category", nticks: 8 },
    legend: { orientation: "h", y: -0.2 },
    showlegend: true,
  };
  void Plotly.react($(`#chart-${id}`), data, layout, { displayModeBar: false, responsive: true, staticPlot: false });
}

// ---------------------------------------------------------------------------------------
// save as scenario
function hostPath(file: string): string {
  return file.startsWith(`${VIRTUAL_ROOT}/`) ? `${config.hostRoot}/${file.slice(VIRTUAL_ROOT.length + 1)}` : file;
}

function saveScenario(): void {
  const s = start();
  const abs = state.file.startsWith("/") ? state.file : `${config.cwd}/${state.file}`;
  const text = settingYaml(s, hostPath(abs), { moved: state.moved, from: state.from }, today());
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/yaml" })), download: `${s.name}-explored.yaml` }) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------------------------------
function renderAll(): void {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  $("#title").textContent = t("title");
  $("#intro").textContent = t("intro");
  $("#lang").textContent = lang === "zh" ? "English" : "中文";
  renderControls();
  renderResults();
}

$("#lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  renderAll();
});

/** For tests and the curious: the last results, the current setting. */
(globalThis as unknown as { yigongtiExplorer: unknown }).yigongtiExplorer = { state, recompute, compute };

renderAll();
void compute();
