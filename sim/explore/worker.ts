/**
 * The explorer's Web Worker (bundled for the browser, one per core): loads the starting
 * scenario from the virtual file map, applies the page's levers with extend() — the
 * loader's own checks, the content hashed afresh — and runs one seed with runStudySync,
 * as `yigongti run` does; the siphon verdict is set against the baseline's twin run with
 * the same seed (kept between requests: moving a lever does not change the baseline).
 */
import { InputError } from "../scenario/errors";
import { extend, loadScenario, type Scenario } from "../scenario/load";
import { siphonAgainst } from "../study/comparison";
import { runStudySync, type StudyRun } from "../study/study";
import { SHOWN_INDICATORS, TRAJECTORY_INDICATORS, type InitMessage, type RunRequest, type SeedResult, type WorkerReply } from "./protocol";
import { mountFiles } from "./vfs";

const scenarios = new Map<string, Scenario>();
const baselines = new Map<string, StudyRun>();

const load = (file: string): Scenario => {
  let s = scenarios.get(file);
  if (!s) scenarios.set(file, (s = loadScenario(file)));
  return s;
};

function runOne(s: Scenario, seed: number, scale: number): StudyRun {
  return runStudySync({ scenarios: [s], seeds: [seed], scale, years: s.years }).scenarios[0].runs[0];
}

function compute(req: RunRequest): SeedResult {
  const t0 = performance.now();
  const start = load(req.scenarioFile);
  const setting = extend(start, req.changes, { label: "explorer" });
  const run = runOne(setting, req.seed, req.scale);
  const baseline = load(req.baselineFile);
  const own = baseline.hash === setting.hash;
  const key = `${req.baselineFile}|${req.seed}|${req.scale}`;
  let base = baselines.get(key);
  if (!own && !base) baselines.set(key, (base = runOne(baseline, req.seed, req.scale)));
  const pick = <T>(values: Record<string, T>, ids: readonly string[]) => Object.fromEntries(ids.filter((id) => id in values).map((id) => [id, values[id]]));
  return {
    seed: req.seed,
    scale: req.scale,
    years: run.settings.years,
    name: setting.name,
    hash: setting.hash,
    residents: run.residents,
    yearly: run.yearly.map((p) => ({ period: p.period, values: pick(p.values, SHOWN_INDICATORS) })),
    rolling: (run.rolling ?? []).map((p) => ({ period: p.period, values: Object.fromEntries(TRAJECTORY_INDICATORS.map((id) => [id, p.values[id]?.value ?? null])) })),
    siphon: siphonAgainst(run, own ? null : base!, baseline.name, setting.parameters.siphonCheck.minimumChange),
    ms: performance.now() - t0,
  };
}

const post = (m: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<InitMessage | RunRequest>) => {
  const m = e.data;
  if (m.type === "init") {
    mountFiles(m.files, m.cwd);
    scenarios.clear();
    baselines.clear();
    return post({ type: "ready" });
  }
  try {
    post({ type: "result", id: m.id, result: compute(m) });
  } catch (err) {
    post({ type: "error", id: m.id, problems: err instanceof InputError ? err.problems : [err instanceof Error ? err.message : String(err)] });
  }
};
