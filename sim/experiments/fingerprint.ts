/**
 * The model's fingerprint for the results store: the package version plus a hash of the
 * simulator's source files. The version alone is not bumped on every model change, so a
 * store keyed on it could hand back results of older code; the source hash cannot.
 * Command-line, experiment-design, regression-check and explorer-page code (sim/cli,
 * sim/experiments, sim/regress, sim/explore) do not change a run's results and are left out — except the two files that turn a job into a run
 * (execute.ts, jobs.ts: overrides); inputs (county, parameters, policy) are in the
 * scenario hash.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PACKAGE_ROOT, modelVersion } from "../manifest";

const EXCLUDED = new Set(["cli", "experiments", "regress", "explore"]);
const INCLUDED = ["experiments/execute.ts", "experiments/jobs.ts"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!EXCLUDED.has(relative(join(PACKAGE_ROOT, "sim"), p))) out.push(...sourceFiles(p));
    } else if (/\.(ts|mjs|js)$/.test(e.name)) out.push(p);
  }
  return out;
}

let cached: string | undefined;
/** "0.1.0+<12 hex digits of the sim/ source hash>" (cached per process). */
export function modelFingerprint(): string {
  if (cached) return cached;
  const h = createHash("sha256");
  const sim = join(PACKAGE_ROOT, "sim");
  for (const f of [...sourceFiles(sim), ...INCLUDED.map((p) => join(sim, p))]) h.update(relative(sim, f)).update("\0").update(readFileSync(f)).update("\0");
  cached = `${modelVersion()}+${h.digest("hex").slice(0, 12)}`;
  return cached;
}
