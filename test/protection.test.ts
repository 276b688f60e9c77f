/**
 * Financial protection (sim/protection.ts): catastrophic expenditure, income quintiles,
 * OOP by poverty status and township — by hand on toy residents, then consistency and
 * direction on real runs.
 */
import { describe, expect, it } from "vitest";
import type { County } from "../sim/county/generate";
import { INDICATORS, monthlyIndicators, newCounters, totals, yearTotals, yearlyIndicators, type Totals } from "../sim/indicators";
import { FORGONE_CARE, FORGONE_CARE_OFF, ProtectionRecorder, forgoneCare, catastrophic, quintileCuts, quintileOf, townshipOopPerResident, yearlyTownshipOop } from "../sim/protection";
import { NOT_LEFT, type Population } from "../sim/population/state";
import { simulate } from "../sim/simulate";
import { baseline, withParameters, withPolicy } from "./helpers/scenarios";

const value = (id: string, t: Totals) => INDICATORS.find((d) => d.id === id)!.compute(t, undefined);

/** Toy residents: monthly incomes, registered-poor flags and townships (one village per township). */
function toyCounty(incomes: number[], poor: number[], township: number[]): County {
  const T = Math.max(...township) + 1;
  return {
    residents: { count: incomes.length, monthlyIncome: Float32Array.from(incomes), poor: Uint8Array.from(poor), village: Int32Array.from(township) },
    villages: Array.from({ length: T }, (_, t) => ({ township: t })),
    townships: Array.from({ length: T }, (_, t) => ({ id: `t${t + 1}` })),
  } as unknown as County;
}

describe("catastrophic expenditure on five residents, by hand", () => {
  // monthly incomes 1,000 … 5,000 → 12,000 … 60,000 a year
  const county = toyCounty([1000, 2000, 3000, 4000, 5000], [1, 0, 0, 0, 0], [0, 0, 1, 1, 1]);
  const oop = Float32Array.from([1300, 2000, 9500, 4000, 16000]);
  const c = newCounters(12);
  const p = new ProtectionRecorder(county, 12);
  p.record(c, 11, oop, 12, 1);
  const t = totals(c, 0, 12);

  it("SDG 3.8.2: OOP greater than 10% and 25% of income", () => {
    // 1,300 > 1,200 ✓ (< 3,000); 2,000 < 2,400; 9,500 > 3,600 and > 9,000 ✓✓; 4,000 < 4,800; 16,000 > 6,000 and > 15,000 ✓✓
    expect(t.catastrophic10).toBe(3);
    expect(t.catastrophic25).toBe(2);
    expect(value("catastrophicExpenditure10", t)).toBeCloseTo(0.6, 12);
    expect(value("catastrophicExpenditure25", t)).toBeCloseTo(0.4, 12);
    // "greater than": exactly 10% is not catastrophic
    expect(catastrophic(1200, 12_000, 0.1)).toBe(false);
    expect(catastrophic(1200.01, 12_000, 0.1)).toBe(true);
  });

  it("OOP per resident by quintile (one resident each here), poverty status and township", () => {
    expect([1, 2, 3, 4, 5].map((q) => value(`oopPerResidentQ${q}`, t))).toEqual([1300, 2000, 9500, 4000, 16000]);
    expect(value("oopPerResidentPoor", t)).toBe(1300);
    expect(value("oopPerResidentNonPoor", t)).toBe((2000 + 9500 + 4000 + 16000) / 4);
    // township 1: residents 0, 1 → (1,300 + 2,000) / 2; township 2: (9,500 + 4,000 + 16,000) / 3
    expect(townshipOopPerResident({ ...p, townships: [{}, {}] }, 0, 12)).toEqual([1650, 29500 / 3]);
  });

  it("a part year: income and resident-years over the months observed", () => {
    const c6 = newCounters(12);
    new ProtectionRecorder(county, 12).record(c6, 5, oop, 6, 1);
    const t6 = totals(c6, 0, 12);
    // six months: incomes 6,000 … 30,000 → 10%: 1,300 > 600 ✓, 2,000 > 1,200 ✓, 9,500 ✓, 4,000 > 2,400 ✓, 16,000 ✓; 25%: 1,300 < 1,500, 2,000 > 3,000? no, 9,500 > 4,500 ✓, 4,000 < 6,000, 16,000 > 7,500 ✓
    expect(t6.catastrophic10).toBe(5);
    expect(t6.catastrophic25).toBe(2);
    // OOP per resident-year: half a year observed → twice the OOP per year
    expect(value("oopPerResidentPoor", t6)).toBe(2600);
  });

  it("income growth raises the denominator", () => {
    const cg = newCounters(12);
    new ProtectionRecorder(county, 12).record(cg, 11, oop, 12, 1.1);
    // resident 0: 1,300 vs 10% of 13,200 = 1,320 → no longer catastrophic
    expect(totals(cg, 0, 12).catastrophic10).toBe(2);
  });
});

describe("a changing population's year, by hand: who died, was born or left during it", () => {
  // the five residents above (slots 0–4), resident 0 dying in month 6 (lived months 0–5); slot 5
  // born in month 9 (lived 9–11) like resident 1 (income 2,000, not poor, township 0); slot 6
  // gone since before this year (left in month 0 of it: lived none of it)
  const county = toyCounty([1000, 2000, 3000, 4000, 5000], [1, 0, 0, 0, 0], [0, 0, 1, 1, 1]);
  const population = {
    used: 7,
    columns: { count: 7, monthlyIncome: Float32Array.from([1000, 2000, 3000, 4000, 5000, 2000, 3000]), poor: Uint8Array.from([1, 0, 0, 0, 0, 0, 0]), village: Int32Array.from([0, 0, 1, 1, 1, 0, 1]) },
    joinedStep: Int16Array.from([-1, -1, -1, -1, -1, 9, -1]),
    leftStep: Int16Array.from([6, NOT_LEFT, NOT_LEFT, NOT_LEFT, NOT_LEFT, NOT_LEFT, 0]),
  } as unknown as Population;
  const oop = Float32Array.from([1300, 2000, 9500, 4000, 16000, 700, 5000]);
  const c = newCounters(12);
  const p = new ProtectionRecorder(county, 12, population);
  p.record(c, 11, oop, 12, 1);
  const t = totals(c, 0, 12);

  it("judges everyone who lived here in any month of the year, once, on the months they did", () => {
    expect(t.protectionResidents).toBe(6);
    // resident 0: 1,300 > 10% of 6 × 1,000 ✓, < 25%; slot 5: 700 > 10% of 3 × 2,000 ✓, < 25%; the rest as on the whole year
    expect(t.catastrophic10).toBe(4);
    expect(t.catastrophic25).toBe(2);
  });

  it("OOP per resident-year counts the part years: the poor half a year, the newborn a quarter", () => {
    expect(value("oopPerResidentPoor", t)).toBe(1300 / 0.5);
    expect(value("oopPerResidentNonPoor", t)).toBeCloseTo((2000 + 9500 + 4000 + 16000 + 700) / 4.25, 9);
    // the newborn is in quintile 2 with resident 1 (income 2,000: the start population's cuts)
    expect(value("oopPerResidentQ2", t)).toBeCloseTo((2000 + 700) / 1.25, 9);
    // township 1: residents 0, 1 and slot 5 → 4,000 over 0.5 + 1 + 0.25 years
    expect(townshipOopPerResident({ ...p, townships: [{}, {}] }, 0, 12)[0]).toBeCloseTo(4000 / 1.75, 9);
  });

  it("a population where nobody came or went is judged as the fixed one, to the bit", () => {
    const still = { ...population, used: 5, joinedStep: new Int16Array(5).fill(-1), leftStep: new Int16Array(5).fill(NOT_LEFT) } as unknown as Population;
    const a = newCounters(12);
    const b = newCounters(12);
    new ProtectionRecorder(county, 12, still).record(a, 8, oop, 7, 1.05);
    new ProtectionRecorder(county, 12).record(b, 8, oop, 7, 1.05);
    expect(totals(a, 0, 12)).toEqual(totals(b, 0, 12));
  });
});

describe("income quintiles", () => {
  it("ten distinct incomes: two residents in each fifth, the poorest in quintile 0", () => {
    const incomes = [900, 100, 500, 300, 1000, 200, 700, 800, 400, 600];
    const cuts = quintileCuts(incomes);
    expect([...cuts]).toEqual([200, 400, 600, 800]);
    expect(incomes.map((x) => quintileOf(x, cuts))).toEqual([4, 0, 2, 1, 4, 0, 3, 3, 1, 2]);
  });

  it("seven residents: cut at ranks ⌈7k/5⌉ = 2, 3, 5, 6 → fifths of 2, 1, 2, 1, 1", () => {
    const incomes = [70, 10, 50, 30, 60, 20, 40];
    const cuts = quintileCuts(incomes);
    expect([...cuts]).toEqual([20, 30, 50, 60]);
    const sizes = [0, 0, 0, 0, 0];
    for (const x of incomes) sizes[quintileOf(x, cuts)]++;
    expect(sizes).toEqual([2, 1, 2, 1, 1]);
  });

  it("on the default county: each quintile holds a fifth of the residents", () => {
    const r = simulate(baseline(), { seed: 2, scale: 0.03, years: 1 });
    const t = yearTotals(r.counters, r.months)[0];
    const years = [1, 2, 3, 4, 5].map((q) => t[`residentYearsQuintile${q}` as keyof Totals]);
    // (to within a resident or two: float32 incomes can tie at a cut)
    for (const y of years) expect(Math.abs(y - r.residents / 5)).toBeLessThanOrEqual(2);
  });
});

describe("on real runs (scale 0.03)", () => {
  const b = baseline();
  const base = simulate(b, { seed: 5, scale: 0.03, years: 2 });
  const yt = yearTotals(base.counters, base.months);

  it("the quintiles', the poverty groups' and the townships' OOP add up to the year's OOP; everyone is judged once a year", () => {
    for (const t of yt) {
      const byQuintile = [1, 2, 3, 4, 5].reduce((a, q) => a + t[`oopQuintile${q}` as keyof Totals], 0);
      expect(byQuintile / t.oop).toBeCloseTo(1, 6);
      expect((t.oopPoor + t.oopNonPoor) / t.oop).toBeCloseTo(1, 6);
      expect(t.protectionResidents).toBe(base.residents);
      expect(t.residentYearsPoor + t.residentYearsNonPoor).toBe(base.residents);
    }
    const towns = yearlyTownshipOop(base);
    expect(towns).toHaveLength(2);
    expect(towns[0]).toHaveLength(12);
    const T = towns[0].length;
    const oopTotal = towns[0].reduce((a, x, i) => a + x.value! * base.townshipResidentYears[11 * T + i], 0);
    expect(oopTotal / yt[0].oop).toBeCloseTo(1, 6);
  });

  it("annual measures have no monthly value; the actual compensation ratio does", () => {
    const monthly = monthlyIndicators(base.counters, base.start, base.months);
    expect(monthly[11].values.catastrophicExpenditure10.value).toBeNull();
    expect(monthly[3].values.oopPerResidentQ1.value).toBeNull();
    expect(monthly[3].values.actualCompensationRatio.value).toBeGreaterThan(0);
    const yearly = yearlyIndicators(base.counters, base.start, base.months);
    // the actual ratio counts out-of-catalogue cost too: below the in-policy share
    expect(yearly[0].values.actualCompensationRatio.value!).toBeLessThan(yearly[0].values.insurerShareInpatient.value!);
    expect(FORGONE_CARE.modelled).toBe(true);
    // forgone care by group from the year's indicators; a run without the outside option has none
    const fc = forgoneCare(yearly[0].values);
    expect(fc.modelled).toBe(true);
    expect(fc.share).toBe(yearly[0].values.forgoneCareShare.value);
    expect(fc.byQuintile).toEqual([1, 2, 3, 4, 5].map((q) => yearly[0].values[`forgoneShareQ${q}`].value));
    expect(fc.bySeverity!.critical).toBe(0);
    expect(forgoneCare({})).toEqual({ ...FORGONE_CARE_OFF });
  });

  it("direction: a poverty OOP cap (医疗救助) lowers the poor's OOP and catastrophic expenditure; higher inpatient rates raise the actual compensation ratio", () => {
    const capped = simulate(withPolicy(b, { "insurance.poverty.annualOopCap": 300 }), { seed: 5, scale: 0.03, years: 2 });
    const ct = yearTotals(capped.counters, capped.months);
    expect(value("oopPerResidentPoor", ct[1])!).toBeLessThan(value("oopPerResidentPoor", yt[1])!);
    expect(ct[1].catastrophic10).toBeLessThan(yt[1].catastrophic10);
    expect(ct[1].catastrophic25).toBeLessThanOrEqual(yt[1].catastrophic25);
    const generous = simulate(withPolicy(b, { "insurance.resident.inpatient.rate.county": 0.9, "insurance.resident.inpatient.rate.outOfCounty": 0.8 }), { seed: 5, scale: 0.03, years: 2 });
    const gt = yearTotals(generous.counters, generous.months);
    expect(value("actualCompensationRatio", gt[1])!).toBeGreaterThan(value("actualCompensationRatio", yt[1])! + 0.05);
    // with the outside option, cheaper admissions bring deferred ones back (sim/care-seeking.ts) —
    // their OOP can raise catastrophic expenditure, which counts no forgone care; the price
    // effect alone (every episode treated, careSeeking off) lowers it
    expect(gt[1].forgoneInpatient).toBeLessThan(yt[1].forgoneInpatient);
    const off = (p: ReturnType<typeof baseline>) => withParameters(p, { "careSeeking.enabled": false });
    const offBase = yearTotals(simulate(off(b), { seed: 5, scale: 0.03, years: 2 }).counters, 24);
    const offGenerous = yearTotals(simulate(off(withPolicy(b, { "insurance.resident.inpatient.rate.county": 0.9, "insurance.resident.inpatient.rate.outOfCounty": 0.8 })), { seed: 5, scale: 0.03, years: 2 }).counters, 24);
    expect(value("catastrophicExpenditure10", offGenerous[1])!).toBeLessThan(value("catastrophicExpenditure10", offBase[1])!);
  });
});
