/**
 * The statistical check on real runs (sim/regress/error-rates.ts): seed changes alone are
 * not flagged — false-alarm rate over 20 reseeded references — and a behaviour change a
 * researcher would care about is. A smaller setting than the project's reference (two
 * scenarios, scale 0.02, 6 seeds) to keep the suite quick; the README quotes the full
 * measurement (scripts/regress-error-rates.ts, test/regress/error-rates.json).
 */
import { describe, expect, it } from "vitest";
import { measureDetection, measureFalseAlarms, type StudySettings } from "../../sim/regress/error-rates";
import { REPO_ROOT } from "../helpers/paths";

const settings: StudySettings = {
  scenarioFiles: [`${REPO_ROOT}scenarios/baseline-2018.yaml`, `${REPO_ROOT}scenarios/full-package-qujing.yaml`],
  seeds: 6,
  scale: 0.02,
  seed: 5000,
  alpha: 0.01,
};

describe("statistical regression check on real runs", () => {
  it("does not flag a change of seeds alone: false alarms over 20 reseeded references (and all 210 pairs of 21 seed blocks)", async () => {
    const r = await measureFalseAlarms(settings, 20, { workers: 2 });
    console.log(`false alarms: ${r.againstFirst.alarms}/${r.againstFirst.checks} against the first block, ${r.allPairs.alarms}/${r.allPairs.checks} over all pairs${r.againstFirst.flaggedTests.length ? `; flagged: ${r.againstFirst.flaggedTests.join("; ")}` : ""}`);
    expect(r.againstFirst.checks).toBe(20);
    expect(r.allPairs.checks).toBe(210);
    // Holm at α = 0.01 promises ≤ 1%: allow a few for the t-test's approximation on small samples
    expect(r.againstFirst.alarms).toBeLessThanOrEqual(2);
    expect(r.allPairs.alarms / r.allPairs.checks).toBeLessThanOrEqual(0.05);
  }, 900_000);

  it("flags a behaviour change of about one point of primary-care share in every check, and is unaffected by a tiny one", async () => {
    const [tiny, big] = await measureDetection(settings, "choice.tierConstant.township", [0.001, 0.1], 5, ["primaryVisitShare"], { workers: 2 });
    const effect = big.effect.primaryVisitShare[settings.scenarioFiles[0]];
    console.log(`δ = 0.1: primary share +${(effect * 100).toFixed(2)} pts (baseline), detected ${big.detected}/${big.checks}; δ = 0.001: detected ${tiny.detected}/${tiny.checks}`);
    expect(effect).toBeGreaterThan(0.005); // the shift is a real behaviour change: more than half a point
    expect(big.detected).toBe(big.checks);
    expect(tiny.detected).toBeLessThanOrEqual(1);
  }, 900_000);
});
