/**
 * Where the project's files are, seen from a notebook. Jupyter starts each notebook in
 * its own folder (notebooks/), so paths are resolved from the repository root instead.
 */
import { readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (holding package.json, scenarios/, data/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Absolute path of a shipped scenario, by name ("baseline-2018") or file ("baseline-2018.yaml"). */
export function scenarioFile(name: string): string {
  return resolve(PROJECT_ROOT, "scenarios", name.endsWith(".yaml") ? name : `${name}.yaml`);
}

/** Names of every shipped scenario (scenarios/*.yaml), sorted as `npm run main` runs them. */
export function shippedScenarios(): string[] {
  return readdirSync(resolve(PROJECT_ROOT, "scenarios"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => f.slice(0, -".yaml".length));
}
