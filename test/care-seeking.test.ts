import { describe, expect, it } from "vitest";
import { incomeQuintiles, inclusiveValueAndExpectedOop, seekLogOdds, seekProbability, seeksAt, type SeekTerms } from "../sim/care-seeking";
import { OPTION_STRIDE } from "../sim/engine/options";
import { priceElasticity, withPriceFactor } from "../sim/experiments/elasticity";
import { INDICATORS, newCounters, totals, yearlyIndicators, type Counters } from "../sim/indicators";
import { N_GROUPS } from "../sim/insurance/claims";
import { setPath } from "../sim/scenario/schema";
import { simulate, type SimulationResult } from "../sim/simulate";
import { COMMON, CRITICAL, INPATIENT, N_SEVERITIES, OUTPATIENT, SERIOUS } from "../sim/tier";
import type { CareSeeking } from "../sim/care-seeking";
import { uniformFromPrefix } from "../sim/random";
import { baseline, differingOutputs, sum, withParameters } from "./helpers/scenarios";
import { HOMOGENEOUS_INCOME, homogeneousScenario } from "./fixtures/homogeneous-county";

const SMALL = { scale: 0.02, years: 1 } as const;

/** Round coefficients for hand-worked cases (the reference income is choice.referenceMonthlyIncome = 4000). */
const handParameters = () => {
  let p = baseline().parameters;
  const set = (path: string, v: unknown) => (p = setPath(p, path, v));
  set("choice.referenceMonthlyIncome", 4000);
  set("careSeeking.intercept", { outpatient: { minor: 0.5, common: 1.0, serious: 1.5 }, inpatient: { minor: 2, common: 2, serious: 3 } });
  set("careSeeking.chronicFollowUp", 2.0);
  set("careSeeking.alwaysSeek", { outpatient: "critical", inpatient: "critical" });
  set("careSeeking.price", { outpatient: -2.0, inpatient: -3.0 });
  set("careSeeking.referenceOop", { outpatient: 100, inpatient: 2000 });
  set("careSeeking.inclusiveValue", 0.3);
  set("careSeeking.referenceInclusiveValue", { outpatient: 5.0, inpatient: 4.0 });
  set("careSeeking.income", 0.2);
  set("careSeeking.age", { "0-14": 0.3, "15-44": 0, "45-64": 0.1, "65+": 0.2 });
  set("careSeeking.chronic", 0.3);
  set("careSeeking.familyDoctorContract", 0.3);
  return p;
};

describe("care-seeking — part 1 by hand", () => {
  const P = handParameters();
  const episode: SeekTerms = {
    care: OUTPATIENT, severity: COMMON, chronicFollowUp: false, income: 2000, ageBand: 3, chronic: true, contracted: true,
    inclusiveValue: 6.0, expectedOop: 200, incomeIndex: 1,
  };

  it("an acute episode: z = intercept + chronic + income + age + contract + IV term + price term", () => {
    // 1.0 + 0.3 + 0.2·ln(2000/4000) + 0.2 + 0.3 + 0.3·(6 − 5) − 2.0·ln(200/100) = 0.575076; logistic = 0.639934
    expect(seekLogOdds(episode, P)).toBeCloseTo(0.575076, 6);
    expect(seekProbability(seekLogOdds(episode, P))).toBeCloseTo(0.639934, 6);
  });

  it("a chronic follow-up has its own intercept and no chronic shift", () => {
    // 2.0 + 0.2·ln(0.5) + 0.2 + 0.3 + 0.3 − 2.0·ln 2 = 1.275076; logistic = 0.781610
    const z = seekLogOdds({ ...episode, chronicFollowUp: true, severity: 0 }, P);
    expect(z).toBeCloseTo(1.275076, 6);
    expect(seekProbability(z)).toBeCloseTo(0.78161, 6);
  });

  it("income growth raises income and deflates the price", () => {
    // 1.0 + 0.3 + 0.2·ln(2000·1.08/4000) + 0.2 + 0.3 + 0.3 − 2.0·ln(200/1.08/100) = 0.744390; logistic = 0.677955
    const z = seekLogOdds({ ...episode, incomeIndex: 1.08 }, P);
    expect(z).toBeCloseTo(0.74439, 6);
    expect(seekProbability(z)).toBeCloseTo(0.677955, 6);
  });

  it("an expected OOP below 1 yuan counts as 1 yuan", () => {
    // … − 2.0·ln(1/100) = 11.171711
    expect(seekLogOdds({ ...episode, expectedOop: 0 }, P)).toBeCloseTo(11.171711, 6);
    expect(seekLogOdds({ ...episode, expectedOop: 0.5 }, P)).toBe(seekLogOdds({ ...episode, expectedOop: 1 }, P));
  });

  it("the price elasticity of P(seek) is price × (1 − P)", () => {
    const p = (oop: number) => seekProbability(seekLogOdds({ ...episode, expectedOop: oop }, P));
    const h = 1e-5;
    const elasticity = (Math.log(p(200 * (1 + h))) - Math.log(p(200 * (1 - h)))) / (Math.log(1 + h) - Math.log(1 - h));
    expect(elasticity).toBeCloseTo(-2.0 * (1 - p(200)), 6);
  });

  it("critical episodes always seek care; alwaysSeek lowers the threshold, never above critical", () => {
    expect(seekLogOdds({ ...episode, severity: CRITICAL }, P)).toBe(Infinity);
    expect(seekLogOdds({ ...episode, care: INPATIENT, severity: CRITICAL }, P)).toBe(Infinity);
    expect(seekLogOdds({ ...episode, care: INPATIENT, severity: SERIOUS }, P)).toBeLessThan(Infinity);
    const Q = setPath(P, "careSeeking.alwaysSeek.inpatient", "serious");
    expect(seekLogOdds({ ...episode, care: INPATIENT, severity: SERIOUS }, Q)).toBe(Infinity);
    expect(seekLogOdds({ ...episode, care: INPATIENT, severity: COMMON }, Q)).toBeLessThan(Infinity);
  });

  it("more expected OOP lowers the probability; more income and a better inclusive value raise it", () => {
    const p = (t: Partial<SeekTerms>) => seekProbability(seekLogOdds({ ...episode, ...t }, P));
    expect(p({ expectedOop: 300 })).toBeLessThan(p({}));
    expect(p({ income: 4000 })).toBeGreaterThan(p({}));
    expect(p({ inclusiveValue: 7 })).toBeGreaterThan(p({}));
  });

  it("inclusive value and expected OOP of a choice set", () => {
    // V = (0, ln 3): IV = ln 4, shares 1/4 and 3/4; OOP 10 and 50 → 2.5 + 37.5 = 40
    const r = inclusiveValueAndExpectedOop([0, Math.log(3)], [10, 50]);
    expect(r.inclusiveValue).toBeCloseTo(Math.log(4), 12);
    expect(r.expectedOop).toBeCloseTo(40, 12);
    // shifting every utility shifts IV and leaves the shares
    const s = inclusiveValueAndExpectedOop([700, 700 + Math.log(3)], [10, 50]);
    expect(s.inclusiveValue).toBeCloseTo(700 + Math.log(4), 9);
    expect(s.expectedOop).toBeCloseTo(40, 9);
  });

  it("income quintiles split the residents in fifths, poorest first", () => {
    const q = incomeQuintiles(Float32Array.from([50, 10, 40, 20, 30, 100, 90, 60, 80, 70]));
    expect(Array.from(q)).toEqual([2, 0, 1, 0, 1, 4, 4, 2, 3, 3]);
  });
});

describe("care-seeking — the kernel's tables and log-odds are the documented ones", () => {
  it("IV and E[OOP] from the village's options; z as seekLogOdds gives it", () => {
    const s = withParameters(baseline(), { careSeeking: handParameters().careSeeking, "careSeeking.enabled": true });
    let seeking: CareSeeking | undefined;
    let checked = 0;
    simulate(s, {
      ...SMALL,
      seed: 2,
      plan: (plan) =>
        plan.insert(
          {
            label: "check care-seeking",
            module: "test",
            doc: "",
            run: (st, ctx) => {
              if (st.step !== 3) return;
              seeking = st.kernel.seeking;
              const o = st.kernel.options;
              const ch = ctx.P.choice;
              const R = ctx.county.residents;
              for (let i = 0; i < R.count; i += 397) {
                const v = R.village[i];
                const g = R.scheme[i] * 4 + R.poor[i] * 2 + (i % 2);
                for (const [care, sev] of [[OUTPATIENT, 0], [OUTPATIENT, SERIOUS], [INPATIENT, COMMON]] as const) {
                  const cs = care * N_SEVERITIES + sev;
                  const row = ((g * 2 + care) * N_SEVERITIES + sev) * o.count;
                  // the mean income of the village's residents of that scheme, this year
                  let inc = 0;
                  let n = 0;
                  for (let r = 0; r < R.count; r++) if (R.village[r] === v && R.scheme[r] === R.scheme[i]) (inc += R.monthlyIncome[r]), n++;
                  const incomeIndex = Math.pow(1 + ctx.county.description.demographics.income.annualGrowth, Math.max(0, Math.floor(st.step / 12)));
                  const w = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan * ch.referenceMonthlyIncome) / (100 * (inc / n) * incomeIndex);
                  // E[OOP] is weighted by the shares at the reference income (grown with the county's)
                  const wRef = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan) / (100 * incomeIndex);
                  const V: number[] = [];
                  const Vref: number[] = [];
                  const oop: number[] = [];
                  for (let k = ctx.county.optionStart[v]; k < ctx.county.optionStart[v + 1]; k++) {
                    const x = o.oopFresh[row + k];
                    const u = o.utilityStatic[k * OPTION_STRIDE + cs] + ch.crowding * o.crowd[k * OPTION_STRIDE + cs] + ((g & 1) === 1 && k - ctx.county.optionStart[v] < 2 ? ch.familyDoctorContract : 0);
                    oop.push(x);
                    V.push(u + w * x);
                    Vref.push(u + wRef * x);
                  }
                  const want = { inclusiveValue: inclusiveValueAndExpectedOop(V, oop).inclusiveValue, expectedOop: inclusiveValueAndExpectedOop(Vref, oop).expectedOop };
                  const at = (v * N_GROUPS + g) * OPTION_STRIDE + cs;
                  expect(seeking.inclusive[at]).toBeCloseTo(want.inclusiveValue, 9);
                  expect(seeking.expectedOop[at]).toBeCloseTo(want.expectedOop, 9);
                  const z = seekLogOdds(
                    {
                      care, severity: sev, chronicFollowUp: false, income: R.monthlyIncome[i], ageBand: R.ageBand[i], chronic: R.chronic[i] !== 0, contracted: (g & 1) === 1,
                      inclusiveValue: want.inclusiveValue, expectedOop: want.expectedOop, incomeIndex,
                    },
                    ctx.P,
                  );
                  expect(seeking.logOdds(i, g, care, sev, false)).toBeCloseTo(z, 9);
                  checked++;
                }
              }
            },
          },
          { after: "care-seeking" },
        ),
    });
    expect(seeking).toBeDefined();
    expect(checked).toBeGreaterThan(50);
  });
});

describe("care-seeking — simulated shares match the hand-worked probabilities", () => {
  it("on a homogeneous county, the forgone share of each severity is 1 − logistic(z) within 4 standard errors", () => {
    const hand = handParameters();
    const s = withParameters(homogeneousScenario(baseline(), { careSeeking: true }), { careSeeking: { ...hand.careSeeking, enabled: true } });
    let seeking: CareSeeking | undefined;
    const r = simulate(s, { scale: 0.02, years: 1, seed: 7, plan: (plan) => plan.insert({ label: "capture", module: "test", doc: "", run: (st) => void ((seeking = st.kernel.seeking).collectDiagnostics = true) }, { before: "residents" }) });
    const d = seeking!.diagnostics;
    let tested = 0;
    for (const sev of [0, COMMON, SERIOUS]) {
      // one village, group 0 (resident scheme, not poor, not contracted), every resident alike
      const at = sev; // (village 0 · N_GROUPS + group 0) · OPTION_STRIDE + outpatient · N_SEVERITIES + sev
      const z = seekLogOdds(
        { care: OUTPATIENT, severity: sev, chronicFollowUp: false, income: HOMOGENEOUS_INCOME, ageBand: 1, chronic: false, contracted: false, inclusiveValue: seeking!.inclusive[at], expectedOop: seeking!.expectedOop[at], incomeIndex: 1 },
        s.parameters,
      );
      const p = 1 - seekProbability(z);
      const n = d.episodes[sev];
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(n).toBeGreaterThan(5_000);
      expect(Math.abs(d.forgone[sev] / n - p), `severity ${sev}: simulated ${d.forgone[sev] / n}, formula ${p}`).toBeLessThan(4 * se);
      tested++;
    }
    expect(tested).toBe(3);
    expect(sum(r.counters.forgoneOutpatient)).toBe(d.forgone[0] + d.forgone[1] + d.forgone[2]);
  });
});

const forgoneShare = (r: SimulationResult, id: string) => yearlyIndicators(r.counters, r.start, r.months)[0].values[id].value!;

describe("care-seeking — directions (paired runs, common random numbers)", () => {
  const s = baseline();
  const base = simulate(s, { ...SMALL, seed: 1 });

  it("forgone care is counted, and every episode is either treated or forgone", () => {
    const c = base.counters;
    const episodes = sum(c.episodesOutpatient) + sum(c.episodesChronic) + sum(c.episodesInpatient);
    const forgone = sum(c.forgoneOutpatient) + sum(c.forgoneChronic) + sum(c.forgoneInpatient);
    expect(forgone).toBeGreaterThan(0.05 * episodes);
    expect(sum(c.episodesMinor) + sum(c.episodesCommon) + sum(c.episodesSerious) + sum(c.episodesCritical)).toBe(episodes);
    expect(sum(c.forgoneMinor) + sum(c.forgoneCommon) + sum(c.forgoneSerious) + sum(c.forgoneCritical)).toBe(forgone);
    const byQuintile = (k: "episodes" | "forgone") => [1, 2, 3, 4, 5].reduce((a, q) => a + sum(c[`${k}Q${q}` as keyof Counters]), 0);
    expect(byQuintile("episodes")).toBe(episodes);
    expect(byQuintile("forgone")).toBe(forgone);
  });

  it("outside option share falls with price: cheaper care, fewer episodes forgone and more visits; dearer, more forgone", () => {
    const cheaper = simulate(withPriceFactor(s, "outpatient", 0.8), { ...SMALL, seed: 1 });
    const dearer = simulate(withPriceFactor(s, "outpatient", 1.25), { ...SMALL, seed: 1 });
    const [lo, mid, hi] = [cheaper, base, dearer].map((r) => forgoneShare(r, "forgoneOutpatientShare"));
    expect(lo).toBeLessThan(mid);
    expect(mid).toBeLessThan(hi);
    // the same illnesses (common random numbers): only whether they reach a facility changes
    expect(sum(cheaper.counters.episodesOutpatient)).toBe(sum(base.counters.episodesOutpatient));
    const visits = (r: SimulationResult) => sum(r.counters.visitsVillage) + sum(r.counters.visitsTownship) + sum(r.counters.visitsCounty) + sum(r.counters.visitsOutOfCounty);
    expect(visits(cheaper)).toBeGreaterThan(visits(base));
    expect(visits(dearer)).toBeLessThan(visits(base));
  });

  it("forgone share rises with OOP", () => {
    const dearer = simulate(withPriceFactor(s, "outpatient", 1.5), { ...SMALL, seed: 1 });
    expect(forgoneShare(dearer, "forgoneOutpatientShare")).toBeGreaterThan(forgoneShare(base, "forgoneOutpatientShare") + 0.01);
    expect(forgoneShare(dearer, "forgoneChronicFollowUpShare")).toBeGreaterThan(forgoneShare(base, "forgoneChronicFollowUpShare"));
    const dearerStays = simulate(withPriceFactor(s, "inpatient", 1.5), { ...SMALL, seed: 1 });
    expect(forgoneShare(dearerStays, "forgoneAdmissionShare")).toBeGreaterThan(forgoneShare(base, "forgoneAdmissionShare"));
  });

  it("forgone share falls with income: across quintiles, and when every income doubles", () => {
    const q = [1, 2, 3, 4, 5].map((k) => forgoneShare(base, `forgoneShareQ${k}`));
    expect(q[0]).toBeGreaterThan(q[4]);
    const inc = s.county.demographics.income;
    const richer = simulate({ ...s, county: { ...s.county, demographics: { ...s.county.demographics, income: { ...inc, residentMedianMonthly: 2 * inc.residentMedianMonthly, employeeMedianMonthly: 2 * inc.employeeMedianMonthly } } } }, { ...SMALL, seed: 1 });
    expect(richer.residents).toBe(base.residents);
    expect(forgoneShare(richer, "forgoneCareShare")).toBeLessThan(forgoneShare(base, "forgoneCareShare"));
  });

  it("critical episodes are never forgone, even when everything else is", () => {
    const never = withParameters(s, {
      "careSeeking.intercept": { outpatient: { minor: -30, common: -30, serious: -30 }, inpatient: { minor: -30, common: -30, serious: -30 } },
      "careSeeking.chronicFollowUp": -30,
    });
    const r = simulate(never, { ...SMALL, seed: 1 });
    const c = r.counters;
    expect(sum(c.episodesCritical)).toBeGreaterThan(0);
    expect(sum(c.forgoneCritical)).toBe(0);
    expect(sum(c.forgoneMinor)).toBe(sum(c.episodesMinor));
    expect(sum(c.forgoneSerious)).toBe(sum(c.episodesSerious));
    // what is left: critical admissions (plus their gateway stays and transfers)
    const admissions = sum(c.admissionsTownship) + sum(c.admissionsCounty) + sum(c.admissionsOutOfCounty);
    expect(admissions).toBeGreaterThanOrEqual(sum(c.episodesCritical));
    // no visit but the gateway stop of a critical patient who went first to a village clinic (no beds)
    expect(sum(c.visitsVillage) + sum(c.visitsTownship) + sum(c.visitsCounty) + sum(c.visitsOutOfCounty)).toBeLessThanOrEqual(sum(c.upwardReferrals));
    // alwaysSeek from serious: serious episodes too are never forgone
    const seriousToo = simulate(withParameters(never, { "careSeeking.alwaysSeek": { outpatient: "serious", inpatient: "serious" } }), { ...SMALL, seed: 1 });
    expect(sum(seriousToo.counters.forgoneSerious)).toBe(0);
  });
});

describe("care-seeking — switched off", () => {
  const s = baseline();
  const base = simulate(s, { ...SMALL, seed: 4 });

  it("enabled: false forgoes nothing", () => {
    const off = simulate(withParameters(s, { "careSeeking.enabled": false }), { ...SMALL, seed: 4 });
    const c = off.counters;
    expect(sum(c.forgoneOutpatient) + sum(c.forgoneChronic) + sum(c.forgoneInpatient)).toBe(0);
    // an optional module (sim/indicators.ts OPTIONAL_MODULES): a run that forgoes nothing has no care-seeking indicators
    expect(yearlyIndicators(off.counters, off.start, off.months)[0].values.forgoneCareShare).toBeUndefined();
    expect(yearlyIndicators(base.counters, base.start, base.months)[0].values.forgoneCareShare.value).toBeGreaterThan(0);
  });

  it("is bit-identical to drawing part 1 and always seeking: the care-seeking stream disturbs no other draw", () => {
    // z = 30 for every episode: u · (1 + e^−30) < 1 for every u < 1 − 2^−33
    const always = withParameters(s, {
      "careSeeking.enabled": true,
      "careSeeking.intercept": { outpatient: { minor: 30, common: 30, serious: 30 }, inpatient: { minor: 30, common: 30, serious: 30 } },
      "careSeeking.chronicFollowUp": 30,
      "careSeeking.price": { outpatient: 0, inpatient: 0 },
      "careSeeking.inclusiveValue": 0,
      "careSeeking.income": 0,
      "careSeeking.age": { "0-14": 0, "15-44": 0, "45-64": 0, "65+": 0 },
      "careSeeking.chronic": 0,
      "careSeeking.familyDoctorContract": 0,
    });
    const off = withParameters(s, { "careSeeking.enabled": false });
    const a = simulate(always, { ...SMALL, years: 2, seed: 5, traceResidents: true });
    const b = simulate(off, { ...SMALL, years: 2, seed: 5, traceResidents: true });
    expect(differingOutputs(a, b)).toEqual([]);
  });
});

describe("care-seeking — own-price elasticity on a small county", () => {
  // The calibration (scripts/calibrate-care-seeking.ts, scale 0.1) sets it to −0.519 for visits and
  // −0.372 for admissions; on this 12,000-resident county with two seeds the estimate must lie
  // inside the published 95% confidence intervals (Health Policy 2011;103:255).
  const s = baseline();
  it("visits: within −0.703 … −0.336", () => {
    const r = priceElasticity(s, { care: "outpatient", seeds: [1, 2], scale: 0.02, years: 1 });
    expect(r.mean).toBeGreaterThan(-0.703);
    expect(r.mean).toBeLessThan(-0.336);
  });
  it("admissions: within −0.517 … −0.226", () => {
    const r = priceElasticity(s, { care: "inpatient", seeds: [1, 2], scale: 0.02, years: 1 });
    expect(r.mean).toBeGreaterThan(-0.517);
    expect(r.mean).toBeLessThan(-0.226);
  });
  it("with the outside option off, visits barely respond to price (as before care-seeking)", () => {
    const r = priceElasticity(withParameters(s, { "careSeeking.enabled": false }), { care: "outpatient", seeds: [1], scale: 0.02, years: 1 });
    expect(Math.abs(r.mean)).toBeLessThan(0.02);
  });
});

describe("care-seeking — indicators", () => {
  const def = (id: string) => INDICATORS.find((d) => d.id === id)!;
  const t = (over: Partial<Record<keyof Counters, number>>) => {
    const c = newCounters(1);
    for (const [k, v] of Object.entries(over)) c[k as keyof Counters][0] = v as number;
    return totals(c, 0, 1);
  };
  it("forgone shares by kind, severity, quintile and poverty", () => {
    const x = t({
      episodesOutpatient: 80, episodesChronic: 10, episodesInpatient: 10, forgoneOutpatient: 20, forgoneChronic: 1, forgoneInpatient: 1,
      episodesMinor: 60, forgoneMinor: 15, episodesCritical: 2, forgoneCritical: 0, episodesQ1: 20, forgoneQ1: 8, episodesPoor: 25, forgonePoor: 10,
      inducedReturnVisits: 3, visitsCounty: 60,
    });
    expect(def("forgoneCareShare").compute(x, undefined)).toBeCloseTo(22 / 100, 12);
    expect(def("forgoneOutpatientShare").compute(x, undefined)).toBeCloseTo(0.25, 12);
    expect(def("forgoneChronicFollowUpShare").compute(x, undefined)).toBeCloseTo(0.1, 12);
    expect(def("forgoneAdmissionShare").compute(x, undefined)).toBeCloseTo(0.1, 12);
    expect(def("forgoneShareMinor").compute(x, undefined)).toBeCloseTo(0.25, 12);
    expect(def("forgoneShareCritical").compute(x, undefined)).toBe(0);
    expect(def("forgoneShareQ1").compute(x, undefined)).toBeCloseTo(0.4, 12);
    expect(def("forgoneSharePoor").compute(x, undefined)).toBeCloseTo(0.4, 12);
    expect(def("forgoneShareNonPoor").compute(x, undefined)).toBeCloseTo(12 / 75, 12);
    expect(def("inducedReturnVisitShare").compute(x, undefined)).toBeCloseTo(0.05, 12);
    expect(def("forgoneShareQ2").compute(x, undefined)).toBeNull();
  });
});

describe("care-seeking — supplier-induced return visits", () => {
  const s = baseline();
  it("none by default; under fee-for-service one per outpatient episode at a tier paid per item", () => {
    const base = simulate(s, { ...SMALL, seed: 1 });
    expect(sum(base.counters.inducedReturnVisits)).toBe(0);
    const induced = simulate(withParameters(s, { "careSeeking.inducedReturnVisits.county": 1 }), { ...SMALL, seed: 1 });
    const c = induced.counters;
    // every outpatient treatment at a county hospital brings one more visit there: half its visits
    // are then induced, less the gateway visits of patients referred on from it
    expect(sum(c.inducedReturnVisits)).toBeGreaterThan(0.4 * sum(c.visitsCounty));
    expect(sum(c.inducedReturnVisits)).toBeLessThanOrEqual(0.5 * sum(c.visitsCounty));
    // the same episodes otherwise (the draws come from the care-seeking stream's own slots)
    expect(sum(c.episodesOutpatient)).toBe(sum(base.counters.episodesOutpatient));
  });

  it("a capitation package stops them at its own community's facilities", () => {
    const ffs = withParameters(s, { "careSeeking.inducedReturnVisits.county": 0.2 });
    const cap = { ...ffs, basePolicy: setPath(setPath(ffs.basePolicy, "payment.regime", "capitation"), "payment.capitation.communities", "all") };
    const a = simulate(ffs, { ...SMALL, seed: 1 });
    const b = simulate(cap, { ...SMALL, seed: 1 });
    expect(sum(a.counters.inducedReturnVisits)).toBeGreaterThan(0);
    // every township belongs to a community whose county hospital is its lead: only the
    // other community's hospital still bills per item
    expect(sum(b.counters.inducedReturnVisits)).toBeLessThan(0.7 * sum(a.counters.inducedReturnVisits));
  });
});

describe("seeksAt — the part-1 draw decided from a table of e^−z brackets, as the exact expression decides it", () => {
  const exact = (u: number, z: number) => u * (1 + Math.exp(-z)) < 1;
  it("agrees with u × (1 + e^−z) < 1 on random draws, on draws a few ulps from the threshold and outside the table", () => {
    let n = 0;
    let near = 0;
    const check = (u: number, z: number) => {
      expect(seeksAt(u, z), `u ${u}, z ${z}`).toBe(exact(u, z));
      n++;
    };
    for (let i = 0; i < 40_000; i++) {
      const z = -20 + 40 * uniformFromPrefix(7, i);
      const u = (Math.floor(uniformFromPrefix(11, i) * 2 ** 32) + 0.5) / 2 ** 32;
      check(u, z);
      // the threshold itself and its neighbours on the 2^-32 grid the kernel's uniforms lie on
      const t = 1 / (1 + Math.exp(-z));
      const h = Math.floor(t * 2 ** 32);
      for (let d = -2; d <= 2; d++) if (h + d >= 0 && h + d < 2 ** 32) {
        check((h + d + 0.5) / 2 ** 32, z);
        near++;
      }
    }
    // the table's cell edges, and z beyond it
    for (let c = -130; c <= 130; c++) for (const dz of [-1e-15, 0, 1e-15]) for (const u of [0.01, 0.5, 0.99]) check(u, c / 8 + dz);
    for (const z of [-Infinity, -1e6, -16.0000001, 16, 1e6, Infinity, NaN]) check(0.3, z);
    expect(n).toBeGreaterThan(200_000);
    expect(near).toBeGreaterThan(180_000);
  });
});
