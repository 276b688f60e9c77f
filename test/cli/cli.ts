/** Helpers for the CLI tests: spawn the real `bin/yigongti.mjs` and collect its output. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin/yigongti.mjs");
export const BASELINE = join(ROOT, "scenarios/baseline-2018.yaml");
/** Small and short enough that a run takes well under a second. */
export const FAST = ["--scale", "0.02"];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, YIGONGTI_DEBUG: undefined, ...opts.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: "utf8", env: env as NodeJS.ProcessEnv, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
/** A fresh directory under the OS temp dir (removed by removeTempDirs). */
export function tempDir(prefix = "yigongti-cli-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Write a scenario YAML into `dir` and return its path. */
export function writeScenario(dir: string, file: string, yaml: string): string {
  const path = join(dir, file);
  writeFileSync(path, yaml);
  return path;
}

/** A stack trace line ("    at fn (file:1:2)"). */
export const STACK_LINE = /^\s+at\s/m;
