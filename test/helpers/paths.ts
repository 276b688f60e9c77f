/**
 * Absolute paths of the repository's input files, computed from this file's location so
 * tests work from any checkout and any working directory.
 */
import { fileURLToPath } from "node:url";

const fromRoot = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const REPO_ROOT = fromRoot("");
export const BASELINE_SCENARIO = fromRoot("scenarios/baseline-2018.yaml");
export const PARAMETERS_FILE = fromRoot("data/parameters.yaml");
export const QUJING_COUNTY = fromRoot("data/counties/qujing-like.yaml");
/** The fund guard's stress case (test fixture, not a shipped scenario). */
export const FUND_STRESS_SCENARIO = fromRoot("test/fixtures/fund-stress.yaml");
