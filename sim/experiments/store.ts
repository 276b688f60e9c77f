/**
 * The results store: one JSON file per finished run, `DIR/runs/<key>.json`, holding the
 * job, its manifest (scenario hash, resolved parameters and overrides, seed, years,
 * scale, model version and fingerprint, git commit and dirty flag) and its yearly and
 * monthly indicator values.
 *
 * Why files and not one database file: each run is written atomically (temporary file,
 * then rename), so a killed ensemble loses no finished run and never leaves a half
 * record; many processes — worker threads, Slurm array tasks, Kubernetes pods on a
 * shared volume — can write to one store without a lock; shards written to separate
 * directories merge by copying files (`yigongti store merge`). SQL comes from DuckDB
 * (`yigongti store sql`, or DuckDB/pandas reading `DIR/runs/*.json` directly), and
 * `yigongti store export` writes tidy CSV and Parquet tables for notebooks.
 *
 * The key (jobs.ts jobKey) covers scenario content, seed, years, scale, overrides and
 * the model fingerprint, so a re-run skips exactly the runs already done with this code.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { INDICATORS, judge, type IndicatorValue, type PeriodIndicators } from "../indicators";
import { makeDirs, writeFileAtomic } from "../output";
import { keyOf } from "./execute";
import { modelFingerprint } from "./fingerprint";
import type { Job, JobResult } from "./jobs";
import { checkJobs, runJobs, type RunOptions } from "./runner";

/** 2: runs keep each township's OOP per resident-year (townships, townshipOop) */
export const RUN_FORMAT = "yigongti-run/2";

interface CompactPeriod {
  period: string;
  values: Record<string, number | null>;
}

/** What one run file holds. */
export interface StoredRun extends Omit<JobResult, "yearly" | "monthly"> {
  format: typeof RUN_FORMAT;
  model: string;
  yearly: CompactPeriod[];
  monthly: CompactPeriod[];
}

/** Indicator values of each period without targets (targets and "met" are recomputed on reading). */
export const compact = (ps: PeriodIndicators[]): CompactPeriod[] => ps.map((p) => ({ period: p.period, values: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, v.value])) }));
const defs = new Map(INDICATORS.map((d) => [d.id, d]));
const expand = (ps: CompactPeriod[]): PeriodIndicators[] =>
  ps.map((p) => ({
    period: p.period,
    values: Object.fromEntries(
      Object.entries(p.values).map(([k, v]): [string, IndicatorValue] => {
        const d = defs.get(k);
        return [k, d ? judge(d, v) : { value: v, target: null, comparison: null, met: null, gap: null }];
      }),
    ),
  }));

export class ResultsStore {
  readonly dir: string;
  readonly runsDir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.runsDir = join(dir, "runs");
  }

  /** Create the directories (idempotent). */
  open(): this {
    makeDirs(this.runsDir);
    return this;
  }

  /** The file holding the record of run `key`. */
  file(key: string): string {
    return join(this.runsDir, `${key}.json`);
  }

  /**
   * A complete record of this run is stored. A file that is empty or does not parse — a
   * power cut between write and flush on a file system that reorders them — does not
   * count: the run is done again and its record replaced.
   */
  has(key: string): boolean {
    return existsSync(this.file(key)) && this.damage(key) === null;
  }

  /** Why the stored record of `key` cannot be used ("empty", "not valid JSON", another format), or null. */
  damage(key: string): string | null {
    let text: string;
    try {
      text = readFileSync(this.file(key), "utf8");
    } catch (e) {
      return (e as Error).message;
    }
    if (text.length === 0) return "empty";
    let rec: { format?: unknown };
    try {
      rec = JSON.parse(text) as { format?: unknown };
    } catch {
      return "not valid JSON";
    }
    return rec?.format === RUN_FORMAT ? null : `format ${JSON.stringify(rec?.format)}, expected ${RUN_FORMAT}`;
  }

  /** Keys whose stored record is damaged (they are re-run by runWithStore). */
  damaged(): string[] {
    return this.keys().filter((k) => this.damage(k) !== null);
  }

  /** Keys of every finished run. */
  keys(): string[] {
    if (!existsSync(this.runsDir)) return [];
    return readdirSync(this.runsDir).filter((f) => f.endsWith(".json") && !f.startsWith(".")).map((f) => f.slice(0, -5)).sort();
  }

  /** Write one run atomically (temporary file in the same directory, then rename). */
  write(r: JobResult): void {
    const record: StoredRun = { format: RUN_FORMAT, model: modelFingerprint(), ...r, yearly: compact(r.yearly), monthly: compact(r.monthly) };
    const path = this.file(r.key);
    try {
      writeFileAtomic(path, JSON.stringify(record) + "\n");
    } catch (e) {
      throw new Error(`cannot write to the results store ${this.dir}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The raw stored record of a run. */
  readRecord(key: string): StoredRun {
    const path = this.file(key);
    try {
      const rec = JSON.parse(readFileSync(path, "utf8")) as StoredRun;
      if (rec.format !== RUN_FORMAT) throw new Error(`format ${JSON.stringify(rec.format)}, expected ${RUN_FORMAT}`);
      return rec;
    } catch (e) {
      throw new Error(`results store ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** A stored run as a JobResult (targets and "met" recomputed from today's definitions). */
  read(key: string): JobResult {
    const { format: _f, model: _m, yearly, monthly, ...rest } = this.readRecord(key);
    return { ...rest, yearly: expand(yearly), monthly: expand(monthly) };
  }

  /** Every usable stored run (damaged records are left out: see damaged()). */
  readAll(): JobResult[] {
    return this.keys().filter((k) => this.damage(k) === null).map((k) => this.read(k));
  }
}

export interface DamagedRecord {
  path: string;
  reason: string;
  /** another store of the command's that holds a good copy of the same run, which is used instead */
  goodCopy?: string;
}

/**
 * The warning line for a damaged record a store command leaves out: the command still
 * succeeds, but its user should know a run is missing from what it shows.
 */
export const damagedRecordWarning = (r: DamagedRecord): string =>
  r.goodCopy !== undefined
    ? `${r.path}: damaged record (${r.reason}), skipped; the good copy of this run in ${r.goodCopy} is used`
    : `${r.path}: damaged record (${r.reason}), skipped; the next ensemble or sweep with this --store re-runs it`;

/**
 * The damaged records of stores read together (store list, sql, export: the first good
 * copy of each run is used, sql.ts storeRecords), each with the store holding a good copy
 * of its run if one does — then nothing is missing from what the command shows.
 */
export function damagedAcross(dirs: readonly string[]): DamagedRecord[] {
  const stores = dirs.map((d) => new ResultsStore(d));
  return stores.flatMap((s) =>
    s.keys().flatMap((k) => {
      const reason = s.damage(k);
      if (reason === null) return [];
      const good = stores.find((o) => o !== s && o.has(k));
      return [{ path: s.file(k), reason, ...(good ? { goodCopy: good.dir } : {}) }];
    }),
  );
}

/**
 * Copy runs from each source store into `dest` (runs already there are kept). Damaged
 * source records are not copied; they come back in `damaged`, with `goodCopy: dest` where
 * `dest` holds the run all the same (it was there, or another source had it good).
 */
export function mergeStores(dest: string, sources: readonly string[]): { copied: number; present: number; damaged: DamagedRecord[] } {
  const d = new ResultsStore(dest).open();
  let copied = 0;
  let present = 0;
  const damaged: (DamagedRecord & { key: string })[] = [];
  for (const src of sources) {
    if (resolve(src) === resolve(dest)) continue;
    const s = new ResultsStore(src);
    if (!existsSync(s.runsDir)) throw new Error(`${src}: not a results store (no runs/ directory)`);
    for (const key of s.keys()) {
      const reason = s.damage(key);
      if (reason !== null) damaged.push({ key, path: s.file(key), reason });
      if (d.has(key)) {
        present++;
        continue;
      }
      if (reason !== null) continue; // a damaged record is not spread; the run is redone where it is needed
      const tmp = join(d.runsDir, `.${key}.${process.pid}.merge.tmp`);
      copyFileSync(s.file(key), tmp);
      renameSync(tmp, d.file(key));
      copied++;
    }
  }
  // a run whose damaged record was not copied may still have come in good from another source, or been there
  return { copied, present, damaged: damaged.map(({ key, ...r }) => (d.has(key) ? { ...r, goodCopy: dest } : r)) };
}

export interface StoredRunOutcome {
  /** one result per job, in job order (from the store or just run); empty with keepResults: false */
  results: JobResult[];
  /** jobs that ran now */
  ran: number;
  /** jobs found in the store and skipped */
  skipped: number;
}

/**
 * Run the jobs not yet in the store, writing each to the store as soon as it finishes,
 * and return every job's result (stored ones read back). Killed half-way, the store
 * keeps each finished run; running again does only the rest.
 *
 * `onResult` sees each run as it finishes; `onStored` each job whose result comes from
 * the store (found there, or a second job with the key of one just run), read back one
 * at a time after the runs. With `keepResults: false` nothing is kept — `results` is
 * empty and every job's result reaches exactly one of the two callbacks.
 */
export async function runWithStore(
  jobs: readonly Job[],
  store: ResultsStore,
  options: RunOptions & { onStored?: (result: JobResult, index: number) => void } = {},
): Promise<StoredRunOutcome> {
  const keep = options.keepResults !== false;
  checkJobs(jobs);
  store.open();
  const keys = jobs.map(keyOf);
  const todo: number[] = [];
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (!store.has(k) && !seen.has(k)) todo.push(i);
    seen.add(k);
  });
  const skipped = jobs.length - todo.length;
  const fresh = new Map<string, JobResult>();
  const ranNow = new Set<number>();
  await runJobs(
    todo.map((i) => jobs[i]),
    {
      ...options,
      forkGroups: options.forkGroups ? todo.map((i) => options.forkGroups![i]) : undefined,
      keepResults: false,
      onResult: async (r, i) => {
        store.write(r);
        if (keep) fresh.set(r.key, r);
        ranNow.add(todo[i]);
        await options.onResult?.(r, todo[i]);
      },
      onProgress: options.onProgress ? (done) => options.onProgress!(skipped + done, jobs.length) : undefined,
    },
  );
  // Stored runs keep the job they were run with; give each back with this job's tags.
  const results: JobResult[] = [];
  keys.forEach((k, i) => {
    if (ranNow.has(i) && !keep) return; // handed to onResult, not kept
    const r = { ...(fresh.get(k) ?? store.read(k)), job: jobs[i] };
    if (!ranNow.has(i)) options.onStored?.(r, i);
    if (keep) results.push(r);
  });
  return { results, ran: todo.length, skipped };
}
