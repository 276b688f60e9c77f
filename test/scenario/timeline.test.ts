/**
 * Long timelines (issue 14 item 6): the loader's checks and the engine's monthly policy
 * applied each entry once, not once per date (2,000 entries took 8–10 s, 10,000 took
 * 250 s), with the same policies as applyTimeline.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyTimeline, loadScenario, policySchedule, policyTimeline, type TimelineEntry } from "../../sim/scenario/load";
import { simulate } from "../../sim/simulate";
import { BASELINE_SCENARIO, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const t = tempDir();
afterAll(() => t.cleanup());

/** A reform with `n` timeline entries over 2018–2020, several on each month, each setting a rate. */
function longTimeline(n: number): string {
  let y = `name: long-${n}\nextends: ${BASELINE_SCENARIO}\ntimeline:\n`;
  for (let i = 0; i < n; i++) {
    const m = (i * 7) % 36; // out of order in the file: the loader sorts by date
    const from = `${2018 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
    y += `  - from: ${from}\n    source: test entry ${i}\n    set:\n      insurance.resident.inpatient.rate.township: ${(0.6 + (i % 30) / 100).toFixed(2)}\n      insurance.resident.outpatient.rate.village: ${(0.5 + (i % 40) / 100).toFixed(2)}\n`;
  }
  return t.write(`long-${n}.yaml`, y);
}

/** Best of two wall-clock times of loading `file` (the first load of a size also warms caches). */
function loadTime(file: string): number {
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    loadScenario(file);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe("a long timeline loads in time linear in its length", () => {
  it("10× the entries (500 → 5,000) take well under 20× the time (quadratic: ≈100×)", () => {
    const small = longTimeline(500);
    const large = longTimeline(5000);
    loadScenario(small); // warm the module and file caches
    const a = loadTime(small);
    const b = loadTime(large);
    process.stdout.write(`timeline loader: 500 entries ${a.toFixed(0)} ms, 5,000 entries ${b.toFixed(0)} ms (×${(b / a).toFixed(1)})\n`);
    expect(b / a).toBeLessThan(20);
    const s = loadScenario(large);
    expect(s.timeline).toHaveLength(5000 + loadScenario(BASELINE_SCENARIO).timeline.length);
    // and the engine asks each month's policy without re-applying the whole timeline
    const t0 = performance.now();
    const r = simulate(s, { seed: 1, years: 1, scale: 0.02 });
    expect(r.months).toBe(12);
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});

describe("the schedule gives the policies applyTimeline gives", () => {
  const files = readdirSync(join(REPO_ROOT, "scenarios")).filter((f) => f.endsWith(".yaml"));
  it.each(files)("%s, every month 2016–2023", (f) => {
    const s = loadScenario(join(REPO_ROOT, "scenarios", f));
    const at = policyTimeline(s.basePolicy, s.timeline);
    for (let m = 0; m < 8 * 12; m++) {
      const ym = { year: 2016 + Math.floor(m / 12), month: (m % 12) + 1 };
      expect(at(ym)).toEqual(applyTimeline(s.basePolicy, s.timeline, ym));
    }
  });

  it("a long timeline with several entries a month: one schedule step per date, later entries of a date winning", () => {
    const s = loadScenario(longTimeline(200));
    const schedule = policySchedule(s.basePolicy, s.timeline);
    expect(schedule.map((x) => `${x.from.year}-${x.from.month}`)).toEqual([...new Set(s.timeline.map((x) => `${x.from.year}-${x.from.month}`))]);
    expect(schedule.length).toBeGreaterThanOrEqual(36);
    const at = policyTimeline(s.basePolicy, s.timeline);
    for (const { from, policy } of schedule) {
      expect(policy).toEqual(applyTimeline(s.basePolicy, s.timeline, from));
      expect(at(from)).toEqual(policy);
    }
  });

  it("a timeline not in date order is applied entry by entry, as applyTimeline does", () => {
    const s = loadScenario(BASELINE_SCENARIO);
    const entry = (from: string, rate: number): TimelineEntry => ({ from: { year: Number(from.slice(0, 4)), month: Number(from.slice(5)) }, source: "x", set: { "insurance.resident.inpatient.rate.township": rate }, file: "x" });
    const unsorted = [entry("2020-01", 0.7), entry("2019-01", 0.8)];
    const at = policyTimeline(s.basePolicy, unsorted);
    for (const ym of [{ year: 2018, month: 6 }, { year: 2019, month: 6 }, { year: 2020, month: 6 }]) {
      expect(at(ym)).toEqual(applyTimeline(s.basePolicy, unsorted, ym));
    }
    expect(at({ year: 2020, month: 6 }).insurance.resident.inpatient.rate.township).toBe(0.8);
  });
});
