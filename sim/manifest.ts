/**
 * The provenance record written next to every run's results (manifest.json): what was
 * run (scenario, its extends chain and content hash, the resolved parameters and policy),
 * how (seed, years, scale), and with which code (model version, git commit, dirty flag,
 * Node version) — enough to reproduce the numbers.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Parameters } from "./parameters";
import type { Policy } from "./policy";
import { formatYearMonth, type Scenario } from "./scenario/load";

/** The repository (package) root: the directory holding package.json and sim/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

let version: string | undefined;
/** The model version: `version` in package.json. */
export function modelVersion(): string {
  version ??= String((JSON.parse(readFileSync(resolve(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown }).version ?? "unknown");
  return version;
}

export interface GitState {
  /** HEAD commit, or null when the package is not a git checkout (or git is missing) */
  commit: string | null;
  /** uncommitted changes (`git status --porcelain` non-empty), or null when not a checkout */
  dirty: boolean | null;
}

let git: GitState | undefined;
/** Git state of the package root (cached per process). */
export function gitState(): GitState {
  if (git) return git;
  const run = (args: string[]) => execFileSync("git", args, { cwd: PACKAGE_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
  try {
    // Only this package's own checkout counts, not an enclosing repository.
    const top = run(["rev-parse", "--show-toplevel"]).trim();
    if (realpathSync(top) !== realpathSync(PACKAGE_ROOT)) throw new Error("not the package's checkout");
    git = { commit: run(["rev-parse", "HEAD"]).trim(), dirty: run(["status", "--porcelain"]).trim().length > 0 };
  } catch {
    git = { commit: null, dirty: null };
  }
  return git;
}

export interface RunSettings {
  seed: number;
  years: number;
  scale: number;
  months: number;
  residents: number;
}

export interface Manifest {
  tool: "yigongti";
  modelVersion: string;
  git: GitState;
  node: string;
  scenario: {
    name: string;
    title: { zh: string; en: string };
    /** the scenario file, as given */
    file: string;
    /** the extends chain, root first, ending with `file` */
    chain: string[];
    /** sha256 of the resolved content (Scenario.hash) */
    hash: string;
  };
  countyFile: string;
  parameterFile: string;
  seed: number;
  years: number;
  scale: number;
  /** first simulated month, YYYY-MM */
  start: string;
  months: number;
  residents: number;
  parameters: Parameters;
  basePolicy: Policy;
  timeline: { from: string; source: string; note?: string; set: Record<string, unknown>; file: string }[];
}

export function buildManifest(s: Scenario, run: RunSettings): Manifest {
  return {
    tool: "yigongti",
    modelVersion: modelVersion(),
    git: gitState(),
    node: process.version,
    scenario: { name: s.name, title: s.title, file: s.file, chain: s.chain, hash: s.hash },
    countyFile: s.countyFile,
    parameterFile: s.parameterFile,
    seed: run.seed,
    years: run.years,
    scale: run.scale,
    start: formatYearMonth(s.start),
    months: run.months,
    residents: run.residents,
    parameters: s.parameters,
    basePolicy: s.basePolicy,
    timeline: s.timeline.map((t) => ({ from: formatYearMonth(t.from), source: t.source, ...(t.note !== undefined ? { note: t.note } : {}), set: t.set, file: t.file })),
  };
}
