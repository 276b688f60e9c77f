/**
 * Writing result files: JSON and CSV text, and atomic file writes (a temporary file in
 * the same directory, then a rename) so that a reader — or a crash — never sees a
 * half-written file. Callers compute every file's content first and write last.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

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
  let s = String(v);
  if (typeof v !== "number" && /^[=+\-@\t\r]/.test(s) && !NUMBER_TEXT.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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

/** Create `dir` (and parents) and write each file in it atomically. Returns the paths written. */
export function writeFiles(dir: string, files: Record<string, string>): string[] {
  try {
    makeDirs(dir);
    return Object.entries(files).map(([name, content]) => {
      const path = join(dir, name);
      writeFileAtomic(path, content);
      return path;
    });
  } catch (e) {
    throw new Error(`cannot write results to ${dir}: ${(e as Error).message}`, { cause: e });
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

/** A scenario name made safe as a single directory name. */
export function safeDirName(name: string): string {
  const s = name.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[.-]+/, "");
  return s || "scenario";
}
