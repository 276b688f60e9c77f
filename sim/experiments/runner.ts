/**
 * Run many jobs on worker threads.
 *
 * API (stable; sweeps, sensitivity and calibration build on it):
 *
 *   import { runJobs } from "./sim/experiments/runner";
 *   const results = await runJobs(
 *     [{ scenarioFile: "scenarios/baseline-2018.yaml", seed: 1, years: 2, scale: 0.05,
 *        overrides: { "choice.quality": 4.2 } }],
 *     { workers: 2, onResult: (r, i) => …, onProgress: (done, total) => … },
 *   );
 *   results[i].yearly[y].values.primaryVisitShare.value   // job i, simulated year y
 *
 * - `results` are in job order and bit-identical whatever `workers` is: each job is a
 *   pure function of (scenario file, seed, years, scale, overrides) — randomness is
 *   counter-based (sim/random.ts) — and workers share nothing.
 * - `workers` defaults to all cores (os.availableParallelism()), capped at the number of
 *   jobs; `workers: 1` runs in this thread (no worker start-up; easiest to debug).
 * - Workers run the compiled engine build (worker-bundle.ts: dist/engine/<id>/worker.mjs,
 *   rebuilt first if a source changed), not TypeScript: each starts in well under a second.
 * - Overrides are checked before anything runs: an unknown path or a non-numeric leaf is
 *   an InputError naming the path. Every scenario file is loaded (and checked) up front.
 * - `onResult(result, index)` is called as each job finishes (completion order), e.g. to
 *   write it to the results store at once so a killed run loses no finished job.
 * - A failing job rejects the whole run with its error (InputError keeps its problems).
 * - `keepResults: false` returns no list: results go to `onResult` only (memory flat in
 *   the number of jobs).
 * - Jobs that share a run's beginning (the same county, scale, parameters, seed and
 *   horizon, and the same policy up to a reform) go to one worker, one after another, so
 *   it runs that beginning once and forks the rest from it (forks.ts); the order jobs
 *   finish in follows, their results do not change.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../scenario/errors";
import { cachedScenario, executeJob } from "./execute";
import { forkGroup, forksEnabled } from "./forks";
import { overrideProblems, withOverrides, type Job, type JobResult } from "./jobs";
import type { SimulationResult } from "../simulate";
import { executeSimulation, type SimulationTask } from "./simulate-task";
import type { WorkerReply, WorkerTask } from "./worker";
import { workerBundle, workerExecArgv } from "./worker-bundle";

export type { Job, JobResult } from "./jobs";
export type { SimulationTask } from "./simulate-task";

export interface RunOptions {
  /** worker threads (default: all cores); 1 = run in this thread */
  workers?: number;
  /** called once per finished job, in completion order */
  onResult?: (result: JobResult, index: number) => void | Promise<void>;
  /** jobs done so far and in all, after each job */
  onProgress?: (done: number, total: number) => void;
  /**
   * false: do not keep the results — the returned list is empty and each result is only
   * handed to onResult (and, with a store, onStored), so a long run's memory stays flat
   * (an ensemble keeps what it summarises, ≈10 KB a run, instead of ≈200 KB)
   */
  keepResults?: boolean;
  /**
   * which jobs share a run's beginning, one name per job: jobs of one name go to one worker,
   * in list order, so a later one can fork from an earlier one's state (sim/experiments/forks.ts).
   * Default: each job's own prefix (forkGroup), which cannot see that a job with no policy
   * change shares its months before another job's first change — a prefecture county's
   * baseline twin and its rollout run. Results do not depend on it.
   */
  forkGroups?: readonly string[];
}

/** Default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Check every job before running any: scenarios load, overrides name numeric leaves, settings in range. */
export function checkJobs(jobs: readonly Job[]): void {
  const problems: string[] = [];
  const files = new Set<string>();
  jobs.forEach((job, i) => {
    const where = `job ${i + 1} (${job.scenarioFile}, seed ${job.seed})`;
    if (!Number.isSafeInteger(job.seed) || job.seed < 0) problems.push(`${where}: seed = ${job.seed}: must be a whole number ≥ 0`);
    if (job.years !== undefined && !(Number.isInteger(job.years) && job.years >= 1 && job.years <= 50)) problems.push(`${where}: years = ${job.years}: must be a whole number from 1 to 50`);
    if (job.scale !== undefined && !(job.scale > 0 && job.scale <= 1)) problems.push(`${where}: scale = ${job.scale}: must be greater than 0 and at most 1`);
    if (job.overrides) problems.push(...overrideProblems(job.overrides, `${where} overrides`));
    files.add(job.scenarioFile);
  });
  for (const f of files) {
    try {
      cachedScenario(f);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new InputError([...new Set(problems)]);
}

export async function runJobs(jobs: readonly Job[], options: RunOptions = {}): Promise<JobResult[]> {
  checkJobs(jobs);
  const total = jobs.length;
  const keep = options.keepResults !== false;
  const results: JobResult[] = keep ? new Array(total) : [];
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), total));
  let done = 0;
  const finished = async (r: JobResult, i: number) => {
    if (keep) results[i] = r;
    await options.onResult?.(r, i);
    options.onProgress?.(++done, total);
  };
  if (total === 0) return results;
  if (options.forkGroups && options.forkGroups.length !== total) throw new Error(`runJobs: ${options.forkGroups.length} fork groups for ${total} jobs`);
  const groups = jobs.map((job, i) => {
    if (!forksEnabled()) return `job ${i}`;
    if (options.forkGroups) return options.forkGroups[i];
    const s = withOverrides(cachedScenario(job.scenarioFile), job.overrides);
    return forkGroup(s, { seed: job.seed, years: job.years ?? s.years, scale: job.scale ?? 1 });
  });
  if (workers === 1) {
    for (const i of groupedOrder(groups)) {
      await finished(executeJob(jobs[i]), i);
      await new Promise((r) => setImmediate(r)); // let progress output and signals through
    }
    return results;
  }
  await runOnWorkers<JobResult>(jobs.map((job) => ({ job })), workers, await workerBundle(), finished, groups);
  return results;
}

/** Job indices with each group's jobs together, groups in order of first appearance. */
function groupedOrder(groups: readonly string[]): number[] {
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const q = by.get(g);
    if (q) q.push(i);
    else by.set(g, [i]);
  });
  return [...by.values()].flat();
}

/**
 * Which job a free worker takes next: the next of the group it last worked on; else the
 * first group nobody has started; else one of the group with most jobs left.
 */
function groupScheduler(groups: readonly string[]): (last: string | undefined) => number | undefined {
  const queues = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const q = queues.get(g);
    if (q) q.push(i);
    else queues.set(g, [i]);
  });
  const order = [...queues.keys()];
  let unstarted = 0;
  return (last) => {
    let g = last !== undefined && queues.get(last)!.length > 0 ? last : undefined;
    if (g === undefined && unstarted < order.length) g = order[unstarted++];
    if (g === undefined) {
      let most = 0;
      for (const [k, q] of queues) if (q.length > most) [g, most] = [k, q.length];
    }
    if (g === undefined) return undefined;
    if (g === order[unstarted]) unstarted++;
    return queues.get(g)!.shift();
  };
}

export interface SimulateOptions {
  /** worker threads (default: all cores, capped at the number of tasks); 1 = run in this thread */
  workers?: number;
  /** tasks done so far and in all, after each task */
  onProgress?: (done: number, total: number) => void;
  /** in this thread only (workers: 1): months done of the task being simulated */
  onMonth?: (index: number, monthsDone: number, monthsTotal: number) => void;
}

/**
 * Simulate whole scenarios (the full SimulationResult: counters, per-facility and
 * per-community series, per-resident traces if asked) on worker threads, in task order.
 * What `compare` and `brief` run; bit-identical whatever `workers` is. Scenario files
 * are loaded (and checked) here first.
 */
export async function simulateAll(tasks: readonly SimulationTask[], options: SimulateOptions = {}): Promise<SimulationResult[]> {
  for (const t of new Set(tasks.filter((t) => !t.scenario).map((t) => t.scenarioFile))) cachedScenario(t);
  const total = tasks.length;
  const results: SimulationResult[] = new Array(total);
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), total));
  let done = 0;
  const groups = tasks.map((t, i) => (forksEnabled() ? forkGroup(withOverrides(t.scenario ?? cachedScenario(t.scenarioFile), t.overrides), t) : `task ${i}`));
  if (workers === 1) {
    for (const i of groupedOrder(groups)) {
      results[i] = executeSimulation(tasks[i], options.onMonth && ((m, n) => options.onMonth!(i, m, n)));
      options.onProgress?.(++done, total);
      await new Promise((r) => setImmediate(r));
    }
    return results;
  }
  await runOnWorkers<SimulationResult>(tasks.map((simulation) => ({ simulation })), workers, await workerBundle(), async (r, i) => {
    results[i] = r;
    options.onProgress?.(++done, total);
  }, groups);
  return results;
}

/** Dynamic scheduling: each worker takes a job when it finishes one (groupScheduler: of its group first). */
function runOnWorkers<R>(jobs: readonly WorkerTask[], count: number, workerFile: URL, finished: (r: R, i: number) => Promise<void>, groups: readonly string[]): Promise<void> {
  return new Promise((resolvePool, rejectPool) => {
    const pool: Worker[] = [];
    const take = groupScheduler(groups);
    const lastGroup = new Map<Worker, string>();
    let handedOut = 0;
    let outstanding = 0;
    let failed = false;
    const stopAll = () => {
      for (const w of pool) void w.terminate();
    };
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      stopAll();
      rejectPool(e);
    };
    const feed = (w: Worker) => {
      if (failed) return;
      if (handedOut >= jobs.length) {
        if (outstanding === 0) {
          stopAll();
          resolvePool();
        }
        return;
      }
      const id = take(lastGroup.get(w))!;
      lastGroup.set(w, groups[id]);
      handedOut++;
      outstanding++;
      w.postMessage({ id, ...jobs[id] });
    };
    const execArgv = workerExecArgv();
    for (let k = 0; k < count; k++) {
      const w = new Worker(workerFile, { stdout: false, stderr: false, execArgv });
      pool.push(w);
      w.on("message", (msg: WorkerReply | { ready: true }) => {
        if ("ready" in msg) return feed(w);
        if ("error" in msg) {
          const err = msg.error.problems ? new InputError(msg.error.problems) : Object.assign(new Error(msg.error.message), { stack: msg.error.stack });
          return fail(err);
        }
        finished(msg.result as R, msg.id).then(() => {
          outstanding--; // only now, so the pool resolves after the last onResult completes
          feed(w);
        }, fail);
      });
      w.on("error", fail);
      w.on("exit", (code) => {
        if (code !== 0 && !failed && (handedOut < jobs.length || outstanding > 0)) fail(new Error(`worker thread exited with code ${code}`));
      });
    }
  });
}
