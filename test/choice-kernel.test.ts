/**
 * One choice model (sim/choice.ts): the episode kernel adds the per-episode terms by hand
 * to the static option table, so these tests hold it to the reference `utility()`, the
 * fold over CHOICE_TERMS, to the bit — for sampled residents, episodes and months of real
 * runs (annual states that bind, habits, contracts, crowding, the lead hospital's
 * steering) — and hold the table to data/parameters.yaml: every `choice` parameter is read
 * by exactly one term, and every term is documented.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CHOICE_TERMS, choiceCoefficients, staticUtility, termValues, utility, type ChoiceParameters, type OptionFacts,
} from "../sim/choice";
import { capabilityIndex } from "../sim/parameters";
import { loadScenario, type Scenario } from "../sim/scenario/load";
import { simulate } from "../sim/simulate";
import type { EngineContext, EngineState } from "../sim/engine/state";
import { OPTION_STRIDE } from "../sim/engine/options";
import { COUNTY, INPATIENT, N_SEVERITIES, OUTPATIENT, OUT_OF_COUNTY, SEVERITIES, TIERS } from "../sim/tier";
import { REPO_ROOT } from "./helpers/paths";
import { withPolicy } from "./helpers/scenarios";

const SCALE = 0.02;

/**
 * The "1+1+1" bundle hospitals of village v, derived here from the county (002 §7: the
 * county hospital leading its community, else the nearest; the nearest city hospital).
 */
function bundleOf(c: EngineContext, v: number): { county: number; city: number } {
  const county = c.county;
  const community = county.townships[county.villages[v].township].community;
  const options = Array.from({ length: county.optionStart[v + 1] - county.optionStart[v] }, (_, j) => county.optionStart[v] + j);
  const nearest = (tier: number) => {
    const ks = options.filter((k) => county.facilities[county.optionFacility[k]].tier === tier);
    return ks.length === 0 ? -1 : county.optionFacility[ks.reduce((a, b) => (county.optionMinutes[b] < county.optionMinutes[a] ? b : a))];
  };
  return { county: community >= 0 ? county.communities[community].lead : nearest(COUNTY), city: nearest(OUT_OF_COUNTY) };
}

/** The facts of option k for an episode, derived here from the county and the engine's state (not by VillageOptions.optionFacts). */
function factsFromState(s: EngineState, c: EngineContext, i: number, g: number, k: number, care: number, sev: number): OptionFacts {
  const county = c.county;
  const R = county.residents;
  const v = R.village[i];
  const f = county.optionFacility[k];
  const dest = c.tables.refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
  const fac = county.facilities;
  const community = county.townships[county.villages[v].township].community;
  const townshipCan = capabilityIndex((care === OUTPATIENT ? c.P.capability.outpatient : c.P.capability.inpatient).township);
  const crowd = care === OUTPATIENT ? s.load.opCrowd : s.load.ipCrowd;
  const res = s.residents;
  const yearIndex = Math.floor(s.step / 12);
  const incomeIndex = Math.pow(1 + county.description.demographics.income.annualGrowth, Math.max(0, yearIndex));
  const bundle = bundleOf(c, v);
  // the resident's own bundle prices their OOP (the bypass penalty spares it under 1+1+1); the pricer is left as it was
  const was = [s.pricer.bundleCounty, s.pricer.bundleCity];
  s.pricer.bundleCounty = bundle.county;
  s.pricer.bundleCity = bundle.city;
  const oopYuan = s.pricer.optionOop(g, f, care, sev, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i]);
  [s.pricer.bundleCounty, s.pricer.bundleCity] = was;
  return {
    care,
    severity: sev,
    primaryTreatable: sev <= townshipCan,
    tier: fac[f].tier,
    minutes: county.optionMinutes[k],
    isOwnTownshipCentre: f === county.townships[county.villages[v].township].centre,
    isOwnClinicOrCentre: f === county.villages[v].clinic || f === county.townships[county.villages[v].township].centre,
    isOwnCommunityCountyHospital: community >= 0 && fac[f].tier === COUNTY && fac[f].community === community,
    communityOpenness: community >= 0 ? s.supply.openness[community] : 0,
    isBundleHospital: f === bundle.county || f === bundle.city,
    oneOneOne: s.policy.familyDoctor.model === "1+1+1",
    mustRefer: dest !== f,
    treatedTier: fac[dest].tier,
    treatedQualityOffset: fac[dest].qualityOffset,
    treatedQualityShift: s.supply.qualityShift[dest],
    onwardMinutes: dest !== f ? county.travelMinutes[v * c.F + dest] : 0,
    crowding: dest === f ? crowd[f] : s.kernel.greenChannel ? 0 : crowd[dest],
    oopYuan,
    monthlyIncome: R.monthlyIncome[i] * incomeIndex,
    isLastFacility: res.lastFacility[i] === f,
    isContracted: (g & 1) === 1,
  };
}

const scenario = (name: string) => loadScenario(join(REPO_ROOT, "scenarios", `${name}.yaml`));

describe("the kernel's choice utilities are the reference utility(), term by term", () => {
  // baseline (fee-for-service: the lead hospital draws primary-treatable patients once it has a year's signal),
  // the capitation package (it steers them down), the full package (green channel, shared diagnostics, deductible
  // rules, upstream tests at the township's rate), the "1+1+1" bundle (from 2019) without and with the bypass
  // penalty (with it a contracted resident's OOP depends on their bundle: priced per resident, never the month's
  // table), and a required first contact (from 2020: the choice is made before the gate)
  const SCENARIOS: Record<string, () => Scenario> = {
    "baseline-2018": () => scenario("baseline-2018"),
    "capitation-package": () => scenario("capitation-package"),
    "full-package-qujing": () => scenario("full-package-qujing"),
    "family-doctor-contracting": () => scenario("family-doctor-contracting"),
    "family-doctor-contracting, bypass penalty on": () => withPolicy(scenario("family-doctor-contracting"), { "insurance.bypass.enabled": true }),
    "strict-first-contact": () => scenario("strict-first-contact"),
  };
  const NAMES = Object.keys(SCENARIOS);
  const nonZero = new Map<string, number>(CHOICE_TERMS.map((t) => [t.id, 0]));
  let checked = 0;
  let stale = 0;
  let bundlePriced = 0;

  it.each(NAMES)("%s: sampled residents × episodes in months of the burn-in and of three recorded years", (name) => {
    const s: Scenario = SCENARIOS[name]();
    const failures: string[] = [];
    const check = (st: EngineState, c: EngineContext, seed: number) => {
      const R = c.county.residents;
      const coefficients = choiceCoefficients(c.P);
      const options = st.kernel.options;
      fc.assert(
        fc.property(fc.nat(R.count - 1), fc.constantFrom(OUTPATIENT, INPATIENT), fc.nat(N_SEVERITIES - 1), fc.boolean(), (i, care, sev, contracted) => {
          const g = R.scheme[i] * 4 + R.poor[i] * 2 + (contracted ? 1 : 0);
          const v = R.village[i];
          const o0 = c.county.optionStart[v];
          const row = (g * 2 + care) * N_SEVERITIES + sev;
          const res = st.residents;
          if (!st.pricer.isFresh(g, row, res.opDeductiblePaid[i], res.opReimbursed[i], res.ipReimbursed[i], res.oopThisYear[i])) stale++;
          if (contracted && st.pricer.pricesBundle) bundlePriced++;
          const kernel = Array.from(st.kernel.choiceUtilities(i, g, care, sev));
          expect(kernel.length).toBe(c.county.optionStart[v + 1] - o0);
          kernel.forEach((u, j) => {
            const k = o0 + j;
            const x = factsFromState(st, c, i, g, k, care, sev);
            // the engine's option facts are these, and its static table is their static fold
            const engineFacts = options.optionFacts(v, k, care, sev, { ...x, oopYuan: NaN });
            expect({ ...engineFacts, oopYuan: x.oopYuan }).toEqual(x);
            expect(options.utilityStatic[k * OPTION_STRIDE + care * N_SEVERITIES + sev]).toBe(staticUtility(x, coefficients));
            const terms = termValues(x, coefficients);
            for (const t of CHOICE_TERMS) if (terms[t.id] !== 0) nonZero.set(t.id, nonZero.get(t.id)! + 1);
            checked++;
            // the first-contact rule's "goes anyway" weighs OOP by the kernel's price weight: the oop term's, to the bit
            const perYuan = st.kernel["oopWeight"](i, care);
            if (!Object.is(perYuan * x.oopYuan, terms.oop)) failures.push(`${name} step ${st.step} resident ${i}: kernel price weight ${perYuan} × ${x.oopYuan} ≠ oop term ${terms.oop}`);
            if (!Object.is(u, utility(x, coefficients)))
              failures.push(`${name} step ${st.step} resident ${i} option ${j} care ${care} severity ${SEVERITIES[sev]}: kernel ${u}, reference ${utility(x, coefficients)}; terms ${JSON.stringify(terms)}`);
          });
        }),
        { seed, numRuns: 150 },
      );
    };
    const steps = new Set([-1, 4, 13, 22, 29]);
    simulate(s, {
      scale: SCALE,
      years: 3,
      seed: 5,
      plan: (p) => p.insert({ label: "choice check", module: "test/choice-kernel.test.ts", doc: "kernel utilities vs utility()", run: (st, c) => {
        if (steps.has(st.step)) check(st, c, 1000 + st.step);
      } }, { after: "residents" }),
    });
    expect(failures.slice(0, 5)).toEqual([]);
  }, 120_000);

  it("the samples switched every term on somewhere and met annual states that bind (the per-resident OOP path)", () => {
    expect(checked).toBeGreaterThan(10_000);
    expect(stale).toBeGreaterThan(0);
    expect(bundlePriced, "contracted residents whose OOP depends on their 1+1+1 bundle").toBeGreaterThan(0);
    for (const [id, n] of nonZero) expect(n, `term ${id} was never non-zero in the samples`).toBeGreaterThan(0);
  });
});

describe("CHOICE_TERMS against data/parameters.yaml", () => {
  const yaml = parse(readFileSync(join(REPO_ROOT, "data/parameters.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
  const P = scenario("baseline-2018").parameters;

  it("every coefficient under choice is read by exactly one term; every path a term names exists", () => {
    const named = CHOICE_TERMS.flatMap((t) => t.coefficients);
    expect(new Set(named).size, "a parameter named by two terms").toBe(named.length);
    const choicePaths = Object.keys(yaml.choice).map((k) => `choice.${k}`).sort();
    expect(named.filter((p) => p.startsWith("choice.")).sort()).toEqual(choicePaths);
    expect(Object.keys(P.choice).map((k) => `choice.${k}`).sort()).toEqual(choicePaths);
    for (const path of named) {
      const [root, key] = path.split(".");
      expect(yaml[root]?.[key], `${path} in data/parameters.yaml`).toBeDefined();
    }
  });

  it("every term is documented: a unique id, its formula, doc lines in English and Chinese, its stage", () => {
    expect(new Set(CHOICE_TERMS.map((t) => t.id)).size).toBe(CHOICE_TERMS.length);
    for (const t of CHOICE_TERMS) {
      expect(t.formula.length, t.id).toBeGreaterThan(10);
      expect(t.doc.en.length, t.id).toBeGreaterThan(10);
      expect(t.doc.zh.length, t.id).toBeGreaterThan(3);
      expect(["static", "episode"]).toContain(t.stage);
      expect(t.coefficients.length, t.id).toBeGreaterThan(0);
    }
  });

  // Random facts of one option (property-based): tiers, severities, flags, amounts.
  const facts = fc.record({
    care: fc.constantFrom(OUTPATIENT, INPATIENT),
    severity: fc.nat(N_SEVERITIES - 1),
    primaryTreatable: fc.boolean(),
    tier: fc.nat(TIERS.length - 1),
    minutes: fc.double({ min: 0, max: 240, noNaN: true }),
    isOwnTownshipCentre: fc.boolean(),
    isOwnClinicOrCentre: fc.boolean(),
    isOwnCommunityCountyHospital: fc.boolean(),
    communityOpenness: fc.double({ min: -2, max: 2, noNaN: true }),
    isBundleHospital: fc.boolean(),
    oneOneOne: fc.boolean(),
    mustRefer: fc.boolean(),
    treatedTier: fc.nat(TIERS.length - 1),
    treatedQualityOffset: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    treatedQualityShift: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    onwardMinutes: fc.double({ min: 0, max: 240, noNaN: true }),
    crowding: fc.double({ min: 0, max: 3, noNaN: true }),
    oopYuan: fc.double({ min: 0, max: 50_000, noNaN: true }),
    monthlyIncome: fc.double({ min: 100, max: 50_000, noNaN: true }),
    isLastFacility: fc.boolean(),
    isContracted: fc.boolean(),
  }) satisfies fc.Arbitrary<OptionFacts>;

  /** The parameters with every leaf of one path scaled and shifted. */
  function perturbed(path: string): ChoiceParameters {
    const copy = structuredClone({ choice: P.choice, leadHospital: { opennessUtility: P.leadHospital.opennessUtility } }) as ChoiceParameters;
    const [root, key] = path.split(".") as [keyof ChoiceParameters, string];
    const bump = (x: unknown): unknown => (typeof x === "number" ? x * 1.37 + 0.11 : Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, bump(v)])));
    (copy[root] as Record<string, unknown>)[key] = bump((copy[root] as Record<string, unknown>)[key]);
    return copy;
  }

  it.each(CHOICE_TERMS.flatMap((t) => t.coefficients.map((c) => [c, t.id] as const)))("%s moves term %s and no other", (path, id) => {
    const base = choiceCoefficients(P);
    const moved = choiceCoefficients(perturbed(path));
    let changed = 0;
    fc.assert(
      fc.property(facts, (x) => {
        const a = termValues(x, base);
        const b = termValues(x, moved);
        for (const t of CHOICE_TERMS) if (t.id !== id) expect(b[t.id], `${path} moved term ${t.id}`).toBe(a[t.id]);
        if (b[id] !== a[id]) changed++;
      }),
      { seed: 42, numRuns: 400 },
    );
    expect(changed, `${path} never moved term ${id}`).toBeGreaterThan(0);
  });

  it("the utility is the sum of its terms, and the static fold is the option table's entry, for random facts", () => {
    const c = choiceCoefficients(P);
    fc.assert(
      fc.property(facts, (x) => {
        const terms = CHOICE_TERMS.map((t) => t.value(x, c));
        const sum = terms.reduce((a, b) => a + b, 0);
        expect(utility(x, c)).toBeCloseTo(sum, 9);
        expect(staticUtility(x, c) + CHOICE_TERMS.filter((t) => t.stage === "episode").reduce((a, t) => a + t.value(x, c), 0)).toBeCloseTo(utility(x, c), 9);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
