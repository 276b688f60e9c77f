/**
 * A changing population in a run (sim/population/state.ts, scenario `population: changing`):
 * conserved every year (and a broken count is caught), the age structure drifts as the
 * working-age leave, chronic prevalence among the 65+ stays at the description's, a
 * population left fixed is the county's, and a forked run is bit-identical.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../sim/engine/state";
import { AccountingError } from "../../sim/ledger";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { countyFor, simulate, snapshotAt, type SimulationResult } from "../../sim/simulate";
import { CHRONIC_CONDITIONS } from "../../sim/tier";
import { REPO_ROOT } from "../helpers/paths";
import { snapshotBytes, snapshotFromBytes } from "../../sim/snapshot-file";
import { InputError } from "../../sim/scenario/errors";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseline, differingOutputs } from "../helpers/scenarios";

const ageing = (): Scenario => loadScenario(`${REPO_ROOT}scenarios/2025/ageing-county.yaml`);
const RUN = { scale: 0.02, seed: 5 } as const;

describe("a changing population, 2018–2025", () => {
  let run: SimulationResult;
  const result = () => (run ??= simulate(ageing(), RUN));

  it("is conserved every year: end = start + births − deaths − out + in, and each year starts where the last ended", () => {
    const years = result().population!;
    expect(years.map((y) => y.period)).toEqual(["2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"]);
    for (const [k, y] of years.entries()) {
      expect(y.residentsEnd).toBe(y.residentsStart + y.births - y.deaths - y.outMigrants + y.inMigrants);
      if (k > 0) expect(y.residentsStart).toBe(years[k - 1].residentsEnd);
      expect(y.births).toBeGreaterThan(0);
      expect(y.deaths).toBeGreaterThan(0);
    }
    // the per-capita indicators' denominator is the living population
    const r = result();
    expect(r.counters.residents[r.months - 1]).toBe(years[7].residentsEnd);
    expect(years[0].residentsStart).toBe(r.residents);
  });

  it("financial protection judges whoever lived here during each year — the dead and departed, the newborn and arrivals too — on the months they lived here", () => {
    const r = result();
    const years = r.population!;
    const c = r.counters;
    for (const [k, y] of years.entries()) {
      const dec = 12 * k + 11;
      // judged: the living at the year's end and whoever died or left during it — all of them but
      // those gone before January's episodes (exits are drawn at a month's start), ≈ 1/12 of them
      const judged = c.protectionResidents[dec];
      const goneInJanuary = y.residentsEnd + y.deaths + y.outMigrants - judged;
      expect(goneInJanuary).toBeGreaterThan(0);
      expect(goneInJanuary).toBeLessThan((y.deaths + y.outMigrants) / 4);
      // resident-years = the living of each month summed ÷ 12 (a month counts those present in it)
      let residentMonths = 0;
      for (let m = 12 * k; m <= dec; m++) residentMonths += c.residents[m];
      const residentYears = [1, 2, 3, 4, 5].reduce((a, q) => a + c[`residentYearsQuintile${q}` as "residentYearsQuintile1"][dec], 0);
      expect(residentYears).toBeCloseTo(residentMonths / 12, 6);
      expect(c.residentYearsPoor[dec] + c.residentYearsNonPoor[dec]).toBeCloseTo(residentMonths / 12, 6);
    }
  });

  it("births follow the crude birth rate: 2018 (10.94‰) more than 2023 (6.39‰)", () => {
    const y = result().population!;
    const rate = (k: number) => y[k].births / ((y[k].residentsStart + y[k].residentsEnd) / 2);
    expect(rate(0)).toBeGreaterThan(0.0109 * 0.8);
    expect(rate(0)).toBeLessThan(0.0109 * 1.2);
    expect(rate(5)).toBeLessThan(rate(0) * 0.75);
  });

  it("the 65+ share rises year on year once residents age (from 2019) as working-age residents leave", () => {
    const y = result().population!;
    for (let k = 1; k < y.length; k++) expect(y[k].share65End).toBeGreaterThan(y[k - 1].share65End);
    expect(y[7].share65End - y[0].share65Start).toBeGreaterThan(0.03);
    expect(y.reduce((a, x) => a + x.outMigrants, 0)).toBeGreaterThan(y.reduce((a, x) => a + x.inMigrants, 0));
  });

  it("chronic prevalence among the 65+ stays at the description's (any of the four conditions, drawn independently), within 4 points", () => {
    // P(any) = 1 − Π(1 − p): with ≈2,000 residents aged 65+ at scale 0.02 the binomial standard
    // error is ≈1.1 points; 4 points is ≈3.5 of them, and a drift from missing onset would be larger
    const prev = ageing().county.demographics.chronicPrevalence;
    const any = 1 - CHRONIC_CONDITIONS.reduce((a, c) => a * (1 - prev[c]["65+"]), 1);
    for (const y of result().population!) expect(Math.abs(y.chronicPrevalence65 - any)).toBeLessThan(0.04);
  });

  it("a broken count is caught: a resident who vanishes without a death or departure stops the run", () => {
    expect(() =>
      simulate(ageing(), {
        ...RUN,
        years: 1,
        plan: (p) =>
          p.insert(
            {
              label: "lose a resident",
              module: "test",
              doc: "marks one living resident absent without any record",
              run: (s) => {
                if (s.step !== 5 || !s.population) return;
                const i = s.population.present.indexOf(1);
                s.population.present[i] = 0;
              },
            },
            { after: "population" },
          ),
      }),
    ).toThrow(AccountingError);
    // and it is the population's books that catch it, at the year's end, naming the village and scheme
    expect(() =>
      simulate(ageing(), {
        ...RUN,
        years: 1,
        plan: (p) =>
          p.insert(
            {
              label: "a birth not recorded",
              module: "test",
              doc: "adds a birth to the year's count that never happened",
              run: (s) => {
                if (s.step === 3 && s.population) s.population.births[0]++;
              },
            },
            { after: "population" },
          ),
      }),
    ).toThrow(/2018-12: population not conserved in village .+, (resident|employee) scheme: .* births .* arrivals = \d+, but \d+ live there/);
  });
});

describe("a population left fixed", () => {
  it("is the county's residents: no population state, insured and enrolled counts from the county", () => {
    const s = baseline();
    expect(s.population).toBe("fixed");
    const county = countyFor(s, 0.02);
    const { context, state } = createEngine(s, county, { seed: 1, months: 12, traceResidents: false });
    expect(state.population).toBeNull();
    expect(state.residents.lastFacility.length).toBe(county.residents.count);
    const R = county.residents;
    let employee = 0;
    for (let i = 0; i < R.count; i++) employee += R.scheme[i];
    expect([...context.insured]).toEqual([R.count - employee, employee]);
  });

  it("a changing population starts as the county's residents, with room for births and arrivals", () => {
    const s = ageing();
    const county = countyFor(s, 0.02);
    const { state } = createEngine(s, county, { seed: 1, months: 96, traceResidents: false });
    const pop = state.population!;
    const R = county.residents;
    expect(pop.used).toBe(R.count);
    expect(pop.capacity).toBeGreaterThan(R.count);
    expect([...pop.columns.village.subarray(0, R.count)]).toEqual([...R.village]);
    expect([...pop.columns.chronic.subarray(0, R.count)]).toEqual([...R.chronic]);
    // exact ages lie in each resident's band
    const from = [0, 15, 45, 65];
    const to = [14, 44, 64, 110];
    for (let i = 0; i < R.count; i++) {
      expect(pop.age[i]).toBeGreaterThanOrEqual(from[R.ageBand[i]]);
      expect(pop.age[i]).toBeLessThanOrEqual(to[R.ageBand[i]]);
    }
  });
});

describe("a forked population-changing run", () => {
  it("is bit-identical to the same run from the start (fork at 2019-07, mid-year)", () => {
    const s = ageing();
    const o = { ...RUN, years: 3, traceResidents: true };
    const fromStart = simulate(s, o);
    const snap = snapshotAt(s, o, { year: 2019, month: 7 });
    const forked = simulate(s, { ...o, fork: snap });
    expect(differingOutputs(forked, fromStart)).toEqual([]);
    expect(forked.population).toEqual(fromStart.population);
    // through a state file too (run --save-state / --from-state), which a fixed population's run refuses
    const viaFile = simulate(s, { ...o, fork: snapshotFromBytes(snapshotBytes(snap), s, o, "s.state") });
    expect(differingOutputs(viaFile, fromStart)).toEqual([]);
    expect(viaFile.population).toEqual(fromStart.population);
    expect(() => snapshotFromBytes(snapshotBytes(snap), baseline(), o, "s.state")).toThrow(/population differs/);
    // and it differs from the fixed population's run, so the comparison can fail
    expect(differingOutputs(fromStart, simulate(baseline(), o)).length).toBeGreaterThan(0);
  });
});

describe("the population switch in a scenario file", () => {
  it("is fixed or changing; anything else is an input error naming the file and the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "yigongti-pop-"));
    const f = join(dir, "bad.yaml");
    writeFileSync(f, `extends: ${REPO_ROOT}scenarios/baseline-2018.yaml\npopulation: growing\n`);
    expect(() => loadScenario(f)).toThrow(InputError);
    expect(() => loadScenario(f)).toThrow(`${f}: population = "growing": must be one of fixed, changing`);
  });

  it("a changing population's scenario hash differs from the fixed one's; a fixed one's is as written without the switch", () => {
    const dir = mkdtempSync(join(tmpdir(), "yigongti-pop-"));
    const fixed = join(dir, "fixed.yaml");
    writeFileSync(fixed, `extends: ${REPO_ROOT}scenarios/baseline-2018.yaml\npopulation: fixed\n`);
    expect(loadScenario(fixed).hash).toBe(baseline().hash);
    const changing = join(dir, "changing.yaml");
    writeFileSync(changing, `extends: ${REPO_ROOT}scenarios/baseline-2018.yaml\npopulation: changing\n`);
    expect(loadScenario(changing).hash).not.toBe(baseline().hash);
  });
});
