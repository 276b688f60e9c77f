/**
 * The reports are golden-tested: a fixed check (synthetic reference and re-run, no
 * simulation) must render to exactly test/regress/golden/report.{md,json,xml}.
 * After changing the report format on purpose: UPDATE_REPORT_GOLDEN=1 npx vitest run test/regress/report.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assessCheck, EXIT_BEHAVIOUR_CHANGED, EXIT_MATCH, EXIT_OUTPUTS_CHANGED, type CheckInputs } from "../../sim/regress/check";
import { REFERENCE_FORMAT, type LoadedReference, type PeriodTable, type ScenarioTables } from "../../sim/regress/reference";
import { jsonReport, junitReport, markdownReport } from "../../sim/regress/report";

const GOLDEN = join(import.meta.dirname, "golden");
const SEEDS = [11, 12, 13, 14, 15, 16];

/** Six seeds of a scenario: primary share around `level`, a growth indicator that is empty in the first year. */
function scenario(level: number, countyBeds: number): ScenarioTables {
  const noise = [0.001, -0.002, 0.0015, -0.0005, 0.002, -0.001];
  const year = (k: number, y: number): PeriodTable[number] => ({
    period: String(2018 + y),
    values: { primaryVisitShare: level + noise[k] - 0.01 * y, withinCountyVisitRate: 0.89 + noise[(k + 2) % 6] / 2, downwardReferralGrowth: y === 0 ? null : 0.05 + noise[(k + 1) % 6] * 10, countyBeds },
  });
  const ensemble = SEEDS.map((_, k) => [year(k, 0), year(k, 1)]);
  return {
    yearly: ensemble[0],
    monthly: [{ period: "2018-01", values: { primaryVisitShare: level } }],
    counters: [{ period: "2018", values: { visitsVillage: 1000, residents: 30000 } }, { period: "2019", values: { visitsVillage: 1100, residents: 30000 } }],
    ensemble,
  };
}

function inputs(change: "none" | "reshuffle" | "behaviour"): CheckInputs {
  const loaded: LoadedReference = {
    dir: "test/regress/reference",
    reference: {
      format: REFERENCE_FORMAT,
      model: { version: "0.2.0", fingerprint: "0.2.0+aaaaaaaaaaaa", node: "v20.20.2" },
      settings: { seed: 11, seeds: 6, scale: 0.05, years: null },
      command: "yigongti regress record scenarios/a.yaml scenarios/b.yaml --out test/regress/reference",
      scenarios: [
        { name: "baseline", file: "../../scenarios/a.yaml", dir: "baseline", hash: "1111111111111111", county: "../../data/counties/c.yaml", start: "2018-01", years: 2, residents: 30000 },
        { name: "reform", file: "../../scenarios/b.yaml", dir: "reform", hash: "2222222222222222", county: "../../data/counties/c.yaml", start: "2018-01", years: 2, residents: 30000 },
      ],
    },
    tables: new Map([["baseline", scenario(0.54, 1551.04)], ["reform", scenario(0.6, 1500)]]),
  };
  const fresh = new Map([["baseline", scenario(0.54, 1551.04)], ["reform", scenario(0.6, 1500)]]);
  if (change !== "none") {
    // the reform's seeds come out in another order (a reshuffle), or shifted by 3 points (behaviour)
    const r = fresh.get("reform")!;
    const shifted = scenario(change === "behaviour" ? 0.63 : 0.6, 1500);
    r.ensemble = change === "reshuffle" ? [...shifted.ensemble.slice(1), shifted.ensemble[0]] : shifted.ensemble;
    r.yearly = r.ensemble[0];
    r.monthly = [{ period: "2018-01", values: { primaryVisitShare: change === "behaviour" ? 0.63 : 0.6 } }];
  }
  return {
    loaded,
    fresh,
    provenance: [
      { name: "baseline", file: "../../scenarios/a.yaml", recordedHash: "1111111111111111", currentHash: "1111111111111111", edited: false },
      { name: "reform", file: "../../scenarios/b.yaml", recordedHash: "2222222222222222", currentHash: change === "behaviour" ? "3333333333333333" : "2222222222222222", edited: change === "behaviour" },
    ],
    mode: "both",
    alpha: 0.01,
    now: { version: "0.2.0", fingerprint: change === "reshuffle" ? "0.2.0+bbbbbbbbbbbb" : "0.2.0+aaaaaaaaaaaa", node: "v20.20.2" },
  };
}

function golden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_REPORT_GOLDEN === "1") writeFileSync(file, text);
  expect(existsSync(file), `${file} missing (UPDATE_REPORT_GOLDEN=1 writes it)`).toBe(true);
  expect(text).toBe(readFileSync(file, "utf8"));
}

describe("regression reports", () => {
  it("a match: exit 0, says nothing changed", () => {
    const r = assessCheck(inputs("none"));
    expect(r.exitCode).toBe(EXIT_MATCH);
    expect(r.status).toBe("match");
    expect(markdownReport(r)).toMatch(/Nothing changed: model code, scenarios and outputs are as recorded/);
    golden("match.md", markdownReport(r));
  });
  it("a reshuffle of seeds by a model change: outputs changed (exit 3), behaviour consistent, cause is the model", () => {
    const r = assessCheck(inputs("reshuffle"));
    expect(r.exitCode).toBe(EXIT_OUTPUTS_CHANGED);
    expect(r.statistical!.flagged).toEqual([]);
    expect(r.cause).toBe("Outputs changed; the model code changed (fingerprint 0.2.0+aaaaaaaaaaaa → 0.2.0+bbbbbbbbbbbb).");
    golden("reshuffle.md", markdownReport(r));
  });
  it("a behaviour change in an edited scenario: exit 4, names the indicator, the scenario edit and the size", () => {
    const r = assessCheck(inputs("behaviour"));
    expect(r.exitCode).toBe(EXIT_BEHAVIOUR_CHANGED);
    expect(r.statistical!.flagged.map((t) => `${t.scenario} ${t.indicator} ${t.period}`)).toEqual(["reform primaryVisitShare 2018", "reform primaryVisitShare 2019"]);
    expect(r.cause).toBe("Outputs changed; a scenario was edited (reform).");
    const md = markdownReport(r);
    expect(md).toMatch(/edited: `\.\.\/\.\.\/scenarios\/b\.yaml` \(hash 22222222 → 33333333\)/);
    expect(md).toMatch(/\| reform \| `primaryVisitShare` 基层诊疗量占比 \| 2018 \| 0\.600167 ± 0\.0016 \(n 6\) \| 0\.630167 ± 0\.0016 \(n 6\) \| \+3\.0 pts \+19\.1 sd \|/);
    golden("behaviour.md", md);
    golden("behaviour.json", jsonReport(r));
    golden("behaviour.xml", junitReport(r));
  });
  it("JUnit XML counts cases and failures and escapes text", () => {
    const xml = junitReport(assessCheck(inputs("behaviour")));
    expect(xml).toMatch(/<testsuite name="exact" tests="2" failures="1" skipped="0">/);
    expect(xml).toMatch(/<testcase name="primaryVisitShare" classname="regress\.statistical\.reform"><failure message="differs beyond seed noise in 2018, 2019" type="behaviour changed">/);
    expect(xml).not.toMatch(/<testcase[^>]*>[^<]*&(?!amp;|lt;|gt;|quot;)/);
  });
  it("statistical mode on a one-seed reference is skipped in 'both', exact only", () => {
    const i = inputs("none");
    i.loaded.reference.settings.seeds = 1;
    for (const t of [...i.loaded.tables.values(), ...i.fresh.values()]) t.ensemble = t.ensemble.slice(0, 1);
    const r = assessCheck(i);
    expect(r.statistical!.skipped).toMatch(/the reference has 1 seed/);
    expect(r.exitCode).toBe(0);
  });
});
