/**
 * Writing result files: JSON and CSV text, atomic file writes (a temporary file in the
 * same directory, then a rename) so that a reader — or a crash — never sees a
 * half-written file, and output folders written whole (a temporary sibling folder
 * renamed into place). Callers compute every file's content first and write last.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";

/** Pretty JSON with a final newline; non-finite numbers (never valid JSON) become null. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}

/** A plain decimal number as text (what a spreadsheet reads as a number, never a formula). */
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?Infinity$|^NaN$/;

/**
 * One CSV field (RFC 4180): null/undefined → empty; quoted when it holds , " or a newline.
 * Text that a spreadsheet would run as a formula — beginning with = + - @, a tab or a
 * carriage return, e.g. a scenario title "=HYPERLINK(…)" — is prefixed with ' (OWASP's
 * advice for CSV injection); numbers, and text that is a plain number, are left as they are.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" && !Number.isFinite(v)) return "";
  const s = typeof v === "number" ? String(v) : spreadsheetSafeText(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text a spreadsheet would run as a formula (begins with = + - @, a tab or a CR, and is not a plain number) prefixed with ' (OWASP); the CSV and XLSX writers share it. */
export function spreadsheetSafeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !NUMBER_TEXT.test(s) ? `'${s}` : s;
}

/** CSV text: a header row and data rows, each line ending in \n. */
export function csvText(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/**
 * Write one file atomically and durably: a temporary file in the same directory, flushed
 * to disk (fsync) before it is renamed over the target, so neither a crash nor a power cut
 * leaves a half-written or empty file under the target's name.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = openSync(tmp, "w");
    try {
      const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * mkdir -p, one level at a time. (Node's `mkdirSync(…, {recursive: true})` can spin
 * forever when a parent refuses new entries, e.g. under /proc.)
 */
export function makeDirs(dir: string): void {
  const abs = resolve(dir);
  try {
    if (statSync(abs).isDirectory()) return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    const parent = dirname(abs);
    if (parent !== abs) makeDirs(parent);
  }
  try {
    mkdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(abs).isDirectory()) throw e;
  }
}

/** Why `dir` cannot be used as an output directory (it exists and is not a directory), or null. */
export function outputDirProblem(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : "exists and is not a directory";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? null : (e as Error).message;
  }
}

// ---- output folders, written whole ----
//
// A command's output folder (run --out, compare --out, brief, ensemble, sweep,
// sensitivity, regress record, store export) is written as a unit: every file goes into a
// temporary sibling `.NAME.partial-<pid>`, each flushed to disk, and the finished folder
// is renamed into place. An existing folder is first renamed aside to `.NAME.old-<pid>`,
// the new one renamed in, then the old one deleted. A kill at any moment therefore
// leaves the old folder, or the complete new one — or, in the instant between the two
// renames, no folder and the old one whole under `.NAME.old-<pid>`, which the next
// command writing or checking that folder renames back. Temporaries left by killed runs
// (their process gone) are deleted at the same time; those of a live process are left
// alone.

/** Which existing folders a command may replace: those holding one of `marks` (its own earlier output). */
export interface OutputKind {
  /** the command, as named in messages ("run", "compare", …) */
  command: string;
  /** paths relative to the folder, any one of which marks an earlier output of this kind */
  marks: readonly string[];
}

export const OUTPUT_KINDS = {
  run: { command: "run", marks: ["manifest.json"] },
  compare: { command: "compare", marks: ["compare.json"] },
  brief: { command: "brief", marks: ["briefing.html", "zh/briefing.html", "en/briefing.html"] },
  ensemble: { command: "ensemble", marks: ["ensemble.json"] },
  sweep: { command: "sweep", marks: ["sweep.json"] },
  sensitivity: { command: "sensitivity", marks: ["sensitivity.json"] },
  solve: { command: "solve", marks: ["solve.json"] },
  reference: { command: "regress record", marks: ["reference.json"] },
  export: { command: "store export", marks: ["runs.csv"] },
  prefecture: { command: "prefecture", marks: ["prefecture.json"] },
} as const satisfies Record<string, OutputKind>;

/** File contents by path relative to the folder ("charts/a.svg" creates charts/). */
export type FolderFiles = Record<string, string | Uint8Array>;

/**
 * For the crash test only: YIGONGTI_TEST_WRITE_DELAY_MS=N pauses N ms after each file of
 * an output folder and after each rename, so that a kill can land at every step.
 */
const TEST_DELAY_MS = Number(process.env.YIGONGTI_TEST_WRITE_DELAY_MS) || 0;
function testPause(): void {
  if (TEST_DELAY_MS > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TEST_DELAY_MS);
}

const TEMP_SIBLING = /^\.(.+)\.(partial|old)-(\d+)$/;

/** Whether process `pid` runs (this process's own id counts as gone when `ownIsStale`: a leftover of an earlier process that had it). */
function alive(pid: number, ownIsStale: boolean): boolean {
  if (pid === process.pid) return !ownIsStale;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** The folder a path names: a symbolic link to a folder is followed (the folder it points to is the one replaced). */
function destination(dir: string): string {
  const abs = resolve(dir);
  try {
    if (lstatSync(abs).isSymbolicLink()) return realpathSync(abs);
  } catch {
    /* absent, or a dangling link: used as it is */
  }
  return abs;
}

/**
 * Put right what killed runs left beside `dir`: a missing folder whose old version was
 * renamed aside is renamed back; temporaries of processes that are gone are deleted.
 * Returns what was done (empty: nothing). Temporaries named for this process count as
 * left by an earlier one with the same id unless `keepOwn` (while this one writes).
 */
export function recoverOutputFolder(dir: string, keepOwn = false): string[] {
  const dest = destination(dir);
  const parent = dirname(dest);
  const name = basename(dest);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const done: string[] = [];
  const stale = entries
    .map((e) => [e, TEMP_SIBLING.exec(e)] as const)
    .filter(([, m]) => m && m[1] === name && !alive(Number(m[3]), !keepOwn))
    .map(([e, m]) => ({ path: join(parent, e), kind: m![2] }));
  for (const s of stale.filter((x) => x.kind === "old")) {
    if (!exists(dest)) {
      renameSync(s.path, dest);
      done.push(`restored ${dest} from ${s.path} (left by a killed run)`);
    } else {
      rmSync(s.path, { recursive: true, force: true });
      done.push(`removed ${s.path}`);
    }
  }
  for (const s of stale.filter((x) => x.kind === "partial")) {
    rmSync(s.path, { recursive: true, force: true });
    done.push(`removed ${s.path} (an unfinished folder of a killed run)`);
  }
  return done;
}

/**
 * Why `dir` cannot be an output folder of `kind`, or null. It may be absent, an empty
 * folder, or an earlier output of the same command (holding one of `kind.marks`); it
 * must not be, or hold, the working directory or one of `inputs` (files the command
 * reads, a results store), since the whole folder is replaced. Recovers what a killed
 * run left beside it first (recoverOutputFolder).
 */
export function outputFolderProblem(dir: string, kind: OutputKind, inputs: readonly string[] = [], keepOwn = false): string | null {
  const plain = outputDirProblem(dir);
  if (plain) return `${plain}; choose another folder`;
  try {
    recoverOutputFolder(dir, keepOwn);
  } catch {
    /* a folder we cannot tidy is reported below, or when written */
  }
  const dest = destination(dir);
  const inside = (p: string) => {
    const r = relative(dest, p);
    return r === "" || (!r.startsWith("..") && !isAbsolute(r));
  };
  if (inside(process.cwd())) return "is the working directory or holds it, and an output folder is replaced as a whole: name a folder outside the working directory's path";
  const input = inputs.map((p) => resolve(p)).find(inside);
  if (input) return `holds ${relative(process.cwd(), input) || input}, an input of this command, and an output folder is replaced as a whole: choose another folder`;
  if (!exists(dest)) return null;
  const entries = readdirSync(dest);
  if (entries.length === 0 || kind.marks.some((m) => exists(join(dest, m)))) return null;
  const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? `, … (${entries.length} entries)` : "");
  return `holds files that are not an earlier output of yigongti ${kind.command} (${shown}; no ${kind.marks[0]}), and an output folder is replaced as a whole: choose a new or empty folder`;
}

/** Flush a directory's entries to disk (where the platform allows it). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    /* not supported here (e.g. Windows) */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeDurable(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, "wx");
  try {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * An output folder being written: files go to `.NAME.partial-<pid>` beside it (`path`),
 * and `commit()` puts the finished folder in place as a unit. `abort()` removes it.
 */
export class StagedFolder {
  /** the folder being replaced (absolute; a symbolic link followed) */
  readonly dest: string;
  /** the temporary folder the files go to */
  readonly path: string;
  private readonly dirs = new Set<string>();

  constructor(
    readonly dir: string,
    readonly kind: OutputKind,
    private readonly inputs: readonly string[] = [],
  ) {
    this.dest = destination(dir);
    makeDirs(dirname(this.dest));
    recoverOutputFolder(this.dest);
    this.path = join(dirname(this.dest), `.${basename(this.dest)}.partial-${process.pid}`);
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(this.path);
    this.dirs.add(this.path);
  }

  /** Write one file, by its path relative to the folder. */
  write(rel: string, content: string | Uint8Array): void {
    const path = join(this.path, rel);
    const r = relative(this.path, path);
    if (r === "" || r.startsWith("..") || isAbsolute(r)) throw new Error(`${rel}: not a path inside the output folder`);
    const d = dirname(path);
    if (!this.dirs.has(d)) {
      makeDirs(d);
      for (let p = d; p !== this.path && !this.dirs.has(p); p = dirname(p)) this.dirs.add(p);
    }
    writeDurable(path, content);
    testPause();
  }

  /** Put the written folder in place of `dir` (the old one, if any, replaced as a unit). */
  commit(): void {
    for (const d of this.dirs) fsyncDir(d);
    const problem = outputFolderProblem(this.dest, this.kind, this.inputs, true);
    if (problem) throw new Error(`${this.dir} ${problem}`);
    const parent = dirname(this.dest);
    if (!exists(this.dest)) {
      renameSync(this.path, this.dest);
      fsyncDir(parent);
      return;
    }
    const old = join(parent, `.${basename(this.dest)}.old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    try {
      renameSync(this.dest, old);
      testPause();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EBUSY" && code !== "EXDEV" && code !== "EPERM") throw e;
      return this.commitInPlace(e as Error);
    }
    try {
      renameSync(this.path, this.dest);
    } catch (e) {
      renameSync(old, this.dest);
      throw e;
    }
    fsyncDir(parent);
    testPause();
    rmSync(old, { recursive: true, force: true });
  }

  /**
   * A folder that cannot be renamed (a mount point, e.g. a container volume): its
   * entries are replaced one by one instead — each whole, the folder not as a unit.
   */
  private commitInPlace(why: Error): void {
    process.stderr.write(`note: ${this.dir} cannot be renamed (${why.message.split("\n")[0]}); its files are replaced one by one, not as a unit\n`);
    for (const e of readdirSync(this.path)) {
      const target = join(this.dest, e);
      const aside = join(this.dest, `.${e}.old-${process.pid}`);
      const had = exists(target);
      if (had) renameSync(target, aside);
      renameSync(join(this.path, e), target);
      if (had) rmSync(aside, { recursive: true, force: true });
    }
    fsyncDir(this.dest);
    rmSync(this.path, { recursive: true, force: true });
  }

  /** Flush every file in the staged folder to disk (for files written to `path` by other means). */
  syncFiles(): void {
    for (const rel of listFiles(this.path)) {
      const fd = openSync(join(this.path, rel), "r+");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  abort(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Write an output folder whole (see above): `files` by path relative to `dir`. Returns
 * the paths written, under `dir`. The folder may be absent, empty or an earlier output of
 * the same kind (outputFolderProblem); anything else is refused and nothing written.
 */
export function writeOutputFolder(dir: string, kind: OutputKind, files: FolderFiles, inputs: readonly string[] = []): string[] {
  return stageAndCommit(dir, kind, inputs, (f) => {
    for (const [rel, content] of Object.entries(files)) f.write(rel, content);
  });
}

/** As writeOutputFolder, with the files written by `fill` into the staged folder (e.g. by another library, to `f.path`). */
export async function writeOutputFolderWith(dir: string, kind: OutputKind, fill: (f: StagedFolder) => Promise<void>, inputs: readonly string[] = []): Promise<void> {
  let f: StagedFolder | undefined;
  try {
    f = new StagedFolder(dir, kind, inputs);
    await fill(f);
    f.syncFiles(); // what another library wrote was not flushed
    f.commit();
  } catch (e) {
    f?.abort();
    throw new Error(`cannot write results to ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

function stageAndCommit(dir: string, kind: OutputKind, inputs: readonly string[], fill: (f: StagedFolder) => void): string[] {
  let f: StagedFolder | undefined;
  try {
    f = new StagedFolder(dir, kind, inputs);
    fill(f);
    const written = listFiles(f.path);
    f.commit();
    return written.map((rel) => join(dir, rel));
  } catch (e) {
    f?.abort();
    throw new Error(`cannot write results to ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), prefix + e.name + "/");
      else out.push(prefix + e.name);
    }
  };
  walk(dir, "");
  return out.sort();
}

/**
 * Files that sit beside others in a shared folder (calibrate's FILE.yaml and its
 * reports in out/): each is written and flushed to a temporary first, then all are
 * renamed in one after another with `last` renamed last — a kill while writing leaves
 * the old files; only one within the few microseconds of renames can pair new reports
 * with the old `last`.
 */
export function writeFileGroup(dir: string, files: Record<string, string | Uint8Array>, last: string): string[] {
  const names = Object.keys(files).sort((a, b) => Number(a === last) - Number(b === last));
  const temps: [string, string][] = [];
  try {
    makeDirs(dir);
    for (const name of names) {
      const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      temps.push([tmp, join(dir, name)]);
      writeDurable(tmp, files[name]);
    }
    for (const [tmp, path] of temps) renameSync(tmp, path);
    fsyncDir(dir);
    return temps.map(([, p]) => p);
  } catch (e) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw new Error(`cannot write results to ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

/** A scenario name made safe as a single directory name. */
export function safeDirName(name: string): string {
  const s = name.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[.-]+/, "");
  return s || "scenario";
}
