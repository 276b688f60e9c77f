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
    const forked = simulate(s, { ...o, fork: snapshotAt(s, o, { year: 2019, month: 7 }) });
    expect(differingOutputs(forked, fromStart)).toEqual([]);
    expect(forked.population).toEqual(fromStart.population);
    // and it differs from the fixed population's run, so the comparison can fail
    expect(differingOutputs(fromStart, simulate(baseline(), o)).length).toBeGreaterThan(0);
  });
});
