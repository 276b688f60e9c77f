/**
 * Execute one job in this thread: load the scenario (cached per file), apply the job's
 * overrides, simulate (forking from a kept prefix where one fits, forks.ts), and compute yearly and monthly indicators and the manifest.
 * A pure function of the job (and the files it names) — workers call exactly this.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { monthlyIndicators, yearTotals, yearlyIndicators } from "../indicators";
import { buildManifest } from "../manifest";
import { townshipOopByYear } from "../protection";
import { formatYearMonth, loadScenario, type Scenario } from "../scenario/load";
import { countyScenarioOf, isCountyRef } from "../prefecture/scenario";
import { simulateShared } from "./forks";
import { modelFingerprint } from "./fingerprint";
import { jobKey, withOverrides, type Job, type JobResult } from "./jobs";
import type { SimulationResult } from "../simulate";

const scenarios = new Map<string, Scenario>();

/**
 * Load a scenario once per thread (files do not change during a run). `file#county` names
 * a county of a prefecture scenario (sim/prefecture/scenario.ts), rebuilt from its files.
 */
export function cachedScenario(file: string): Scenario {
  const abs = resolve(file);
  let s = scenarios.get(abs);
  if (!s) {
    s = isCountyRef(file) && !existsSync(file) ? countyScenarioOf(file) : loadScenario(file);
    scenarios.set(abs, s);
  }
  return s;
}

/** The store key of a job (loads its scenario to get the content hash and default horizon). */
export function keyOf(job: Job): string {
  const s = cachedScenario(job.scenarioFile);
  return jobKey(s.hash, job, job.years ?? s.years, modelFingerprint());
}

export function executeJob(job: Job): JobResult {
  const base = cachedScenario(job.scenarioFile);
  const s = withOverrides(base, job.overrides);
  const years = job.years ?? s.years;
  const scale = job.scale ?? 1;
  const r = simulateShared(s, { seed: job.seed, years, scale }); // forked from a shared prefix where one is kept (forks.ts): the same result
  const manifest = buildManifest(s, { seed: job.seed, years, scale, months: r.months, residents: r.residents });
  return {
    job,
    key: keyOf(job),
    scenario: { name: s.name, file: s.file, hash: base.hash },
    years,
    scale,
    start: formatYearMonth(s.start),
    months: r.months,
    residents: r.residents,
    yearly: yearlyIndicators(r.counters, r.start, r.months),
    monthly: monthlyIndicators(r.counters, r.start, r.months),
    yearTotals: yearTotals(r.counters, r.months),
    townships: r.townships,
    townshipOop: townshipOopByYear(r),
    manifest: { ...manifest, overrides: job.overrides ?? {} },
    ...(s.county.outOfCounty.some((h) => h.inPrefecture) ? { outOfCountyCare: outOfCountyCare(r) } : {}),
  };
}

/** Visits and admissions at each out-of-county facility by simulated year (a prefecture's cross-county flows). */
function outOfCountyCare(r: SimulationResult): NonNullable<JobResult["outOfCountyCare"]> {
  const F = r.facilities.length;
  const out = r.facilities.map((f, i) => ({ f, i })).filter((x) => x.f.tier === "outOfCounty");
  const years = Math.ceil(r.months / 12);
  const byYear = (series: Float64Array) =>
    Array.from({ length: years }, (_, y) =>
      out.map(({ i }) => {
        let n = 0;
        for (let m = y * 12; m < Math.min(r.months, y * 12 + 12); m++) n += series[m * F + i];
        return n;
      }),
    );
  return { ids: out.map((x) => x.f.id), visits: byYear(r.facilityVisits), admissions: byYear(r.facilityAdmissions) };
}
