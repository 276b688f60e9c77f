/**
 * Tidy results for notebooks (notebooks/lib/frames.ts): runs × periods × indicators as
 * rows and as a danfojs DataFrame that filters and groups as danfojs does.
 */
import { describe, expect, it } from "vitest";
import { danfojs, tidyFrame, tidyRows, wideRows } from "../../notebooks/lib/frames";
import { compare } from "../../notebooks/lib/runs";
import { BASELINE_SCENARIO } from "../helpers/paths";
import { extend, loadScenario } from "../../sim/scenario/load";

const base = loadScenario(BASELINE_SCENARIO);
const reform = extend(base, { name: "earlier-package", timeline: [{ from: "2018-07", source: "assumption", set: { "payment.regime": "capitation" } }] });
const runs = compare([base, reform], { scale: 0.02, years: 2, seed: 3 });

describe("tidy results", () => {
  it("one row per run, period and indicator, with the run's values", () => {
    const rows = tidyRows(runs, { indicators: ["primaryVisitShare", "withinCountyVisitRate"] });
    expect(rows).toHaveLength(2 * 2 * 2);
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set(["baseline-2018", "earlier-package"]));
    const one = rows.find((r) => r.scenario === "earlier-package" && r.period === "2019" && r.indicator === "primaryVisitShare")!;
    expect(one).toMatchObject({ seed: 3, granularity: "year", unit: "share" });
    expect(one.value).toBe(runs[1].yearly[1].values.primaryVisitShare.value);
    expect(tidyRows(runs, { granularity: "month", indicators: ["primaryVisitShare"] })).toHaveLength(2 * 24);
    expect(() => tidyRows(runs, { indicators: ["primaryVisitShar"] })).toThrow(/unknown indicator "primaryVisitShar"/);
    const wide = wideRows(rows);
    expect(wide).toHaveLength(4);
    expect(wide[0]).toEqual({ scenario: "baseline-2018", seed: 3, period: "2018", primaryVisitShare: runs[0].yearly[0].values.primaryVisitShare.value, withinCountyVisitRate: runs[0].yearly[0].values.withinCountyVisitRate.value });
  });

  it("a danfojs DataFrame that filters and groups (danfojs's own API)", () => {
    const t0 = performance.now();
    danfojs();
    const importMs = performance.now() - t0;
    const df = tidyFrame(runs);
    expect(df.columns).toEqual(["scenario", "seed", "granularity", "period", "indicator", "unit", "value"]);
    expect(df.shape[0]).toBe(tidyRows(runs).length);
    const visits = df.query(df["indicator"].eq("primaryVisitShare"));
    expect(visits.shape[0]).toBe(4);
    const means = visits.groupby(["scenario"]).col(["value"]).mean();
    const byScenario = Object.fromEntries((means.values as [string, number][]).map(([s, v]) => [s, v]));
    const expected = (i: number) => (runs[i].yearly[0].values.primaryVisitShare.value! + runs[i].yearly[1].values.primaryVisitShare.value!) / 2;
    expect(byScenario["baseline-2018"]).toBeCloseTo(expected(0), 12);
    expect(byScenario["earlier-package"]).toBeCloseTo(expected(1), 12);
    process.stderr.write(`danfojs-node first import: ${(importMs / 1000).toFixed(1)} s\n`);
  });
});
