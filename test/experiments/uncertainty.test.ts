import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { drawFrom, parseDistribution } from "../../sim/distributions";
import { loadParameters, loadScenario } from "../../sim/scenario/load";
import { InputError } from "../../sim/scenario/errors";
import { drawOverrides, loadUncertaintyFile, scenarioUncertainty } from "../../sim/experiments/uncertainty";
import { BASELINE_SCENARIO, PARAMETERS_FILE, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-uncertainty-");
afterAll(() => tmp.cleanup());

/** data/parameters.yaml with choice.quality and choice.habit made uncertain. */
function uncertainParameterFile(habitDistribution = '"uniform(0.4, 1.0)"'): string {
  const text = readFileSync(PARAMETERS_FILE, "utf8")
    .replace(/(\n  quality:\n    value: [\d.]+\n)/, '$1    distribution: "normal(4.502, 0.45)"\n')
    .replace(/\n  habit:\n    value: [\d.]+\n/, `\n  habit:\n    distribution: ${habitDistribution}\n`);
  return tmp.write("parameters.yaml", text);
}

describe("distributions", () => {
  it("parses normal and uniform and rejects anything else, saying what is allowed", () => {
    expect(parseDistribution("normal(4.5, 0.4)")).toEqual({ kind: "normal", mean: 4.5, sd: 0.4 });
    expect(parseDistribution(" uniform( -1 ,2e-1 ) ")).toEqual({ kind: "uniform", lo: -1, hi: 0.2 });
    for (const bad of ["normal(1)", "gamma(1, 2)", "normal(1, -1)", "uniform(2, 1)", "normal(a, 1)", 3]) {
      expect(() => parseDistribution(bad)).toThrow(/normal\(mean, sd\)|uniform\(lo, hi\)/);
    }
  });
  it("draws with the right mean and spread", () => {
    const n = parseDistribution("normal(10, 2)");
    expect(drawFrom(n, 0.5, 0.25)).toBeCloseTo(10, 12); // cos(π/2) = 0
    expect(drawFrom(parseDistribution("uniform(2, 4)"), 0.25, 0.9)).toBe(2.5);
  });
});

describe("uncertain parameters in parameter files", () => {
  it("loads a leaf with a distribution (value = its mean when omitted) and lists it", () => {
    const file = uncertainParameterFile();
    const p = loadParameters(file);
    expect(p.choice.quality).toBe(4.502);
    expect(p.choice.habit).toBeCloseTo(0.7, 12);
    const scenario = tmp.write("s.yaml", `extends: ${BASELINE_SCENARIO}\nparameterFile: ${file}\n`);
    const u = scenarioUncertainty(loadScenario(scenario));
    expect(u.map((x) => [x.path, x.text])).toEqual([["choice.habit", "uniform(0.4, 1.0)"], ["choice.quality", "normal(4.502, 0.45)"]]);
    // a scenario that fixes a parameter takes it out of the draws
    const fixed = tmp.write("fixed.yaml", `extends: ${scenario}\nparameters:\n  choice.habit: 0.9\n`);
    expect(scenarioUncertainty(loadScenario(fixed)).map((x) => x.path)).toEqual(["choice.quality"]);
  });

  it("names the file and field of a bad distribution", () => {
    const file = uncertainParameterFile('"triangle(0, 1)"');
    const err = (() => {
      try {
        loadParameters(file);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.problems.join("\n")).toMatch(/parameters\.yaml: choice\.habit\.distribution = "triangle\(0, 1\)": must be "normal\(mean, sd\)"/);
  });

  it("reads the shipped uncertainty file, and draws reproducibly per (seed, draw)", () => {
    const u = loadUncertaintyFile(`${REPO_ROOT}data/parameter-uncertainty.yaml`);
    expect(u.length).toBeGreaterThan(0);
    for (const x of u) expect(x.source.length).toBeGreaterThan(10);
    const a = drawOverrides(u, 1, 0);
    expect(drawOverrides(u, 1, 0)).toEqual(a);
    expect(drawOverrides(u, 1, 1)).not.toEqual(a);
    expect(drawOverrides(u, 2, 0)).not.toEqual(a);
    // adding a parameter does not change the others' draws
    expect(drawOverrides(u.slice(0, 1), 1, 0)[u[0].path]).toBe(a[u[0].path]);
    // sample moments of many draws match the distribution
    const q = u.find((x) => x.distribution.kind === "normal")!;
    const vals = Array.from({ length: 4000 }, (_, d) => drawOverrides([q], 7, d)[q.path]);
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1));
    const d = q.distribution as { mean: number; sd: number };
    expect(Math.abs(mean - d.mean)).toBeLessThan((4 * d.sd) / Math.sqrt(4000));
    expect(sd / d.sd).toBeGreaterThan(0.95);
    expect(sd / d.sd).toBeLessThan(1.05);
  });

  it("rejects an uncertainty file with an unknown path or bad syntax", () => {
    const f = tmp.write("u.yaml", 'choice.qualiti:\n  distribution: "normal(1, 1)"\n  unit: x\n  source: y\nchoice.habit:\n  distribution: "normal(1)"\n  unit: x\n  source: y\nchoice.crowding:\n  distribution: "uniform(-1, 2)"\n  unit: x\n  source: y\n');
    const err = (() => {
      try {
        loadUncertaintyFile(f);
      } catch (e) {
        return e as InputError;
      }
    })()!;
    const text = err.problems.join("\n");
    expect(text).toMatch(/u\.yaml: choice\.qualiti: unknown field; allowed here: quality/);
    expect(text).toMatch(/u\.yaml: choice\.habit\.distribution = "normal\(1\)"/);
    expect(text).toMatch(/u\.yaml: choice\.crowding\.distribution uniform\(-1, 2\): choice\.crowding = 2: must be a number between -50 and 0/);
  });

  it("a policy lever may be uncertain too (e.g. how far a rate is implemented): drawn in its range, applied as an override", () => {
    const lever = "policy.insurance.resident.inpatient.rate.township";
    const f = tmp.write("lever.yaml", `${lever}:\n  distribution: "uniform(0.8, 0.95)"\n  unit: share\n  source: assumption\n`);
    const extra = loadUncertaintyFile(f);
    const list = scenarioUncertainty(loadScenario(BASELINE_SCENARIO), extra);
    expect(list.map((u) => u.path)).toContain(lever);
    for (let d = 0; d < 5; d++) {
      const v = drawOverrides(list, 7, d)[lever];
      expect(v).toBeGreaterThanOrEqual(0.8);
      expect(v).toBeLessThanOrEqual(0.95);
    }
    const bad = tmp.write("lever-bad.yaml", `${lever}:\n  distribution: "uniform(0.8, 1.2)"\n  unit: share\n  source: assumption\n`);
    expect(() => loadUncertaintyFile(bad)).toThrow(/policy\.insurance\.resident\.inpatient\.rate\.township = 1\.2: must be a number between 0 and 1/);
  });
});
