/**
 * This project's own regression check: every shipped scenario against the committed
 * references, through `regress check` (the same code researchers' CI runs).
 *
 *  - test/regress/reference: exact for seed 20180101 at scale 0.05, and statistical over
 *    8 seeds (20180101–20180108) — the old single golden (baseline-2018, same seed and
 *    scale) is its baseline-2018 folder;
 *  - test/regress/docs: exact, full scale, seed 1 — what `npm run main` prints, and what
 *    the README's figures are generated from.
 *
 * Update only on purpose — `npm run golden:update` — saying why in the commit and in
 * CHANGELOG.md. On failure the assertion message is the Markdown report: which scenario,
 * indicator and period moved, by how much, and whether the model or a scenario changed.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkReference } from "../../sim/regress/check";
import { readReference } from "../../sim/regress/reference";
import { markdownReport } from "../../sim/regress/report";
import { REPO_ROOT } from "../helpers/paths";

const shipped = readdirSync(join(REPO_ROOT, "scenarios")).filter((f) => f.endsWith(".yaml")).sort();

describe.each([
  ["reference", "both"],
  ["docs", "exact"],
] as const)("test/regress/%s", (name, mode) => {
  const dir = join(REPO_ROOT, "test/regress", name);
  it("covers every shipped scenario", () => {
    const files = readReference(dir).reference.scenarios.map((s) => s.file.replace(/^.*\//, "")).sort();
    expect(files).toEqual(shipped);
  });
  it(`matches (${mode}) — update with npm run golden:update and a CHANGELOG entry`, async () => {
    const r = await checkReference(dir, { mode });
    expect(r.exitCode, markdownReport(r)).toBe(0);
    expect(r.scenarios.filter((s) => s.edited).map((s) => s.name), "scenario files changed since the reference was recorded: re-record it (npm run golden:update) and say why").toEqual([]);
  }, 900_000); // idle 2-core machine: ≈25 s (reference) and ≈50 s (docs, full scale)
});
