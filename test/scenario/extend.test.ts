/**
 * extend(parent, changes): a scenario built in code goes through the loader's checks and
 * is hashed afresh — the same scenario as the file that writes the same changes.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { extend, loadedFromFile, loadScenario } from "../../sim/scenario/load";
import { runStudy } from "../../sim/study/study";
import { join } from "node:path";
import { BASELINE_SCENARIO, REPO_ROOT } from "../helpers/paths";
import { inputProblems } from "../helpers/input-error";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-extend-");
afterAll(() => tmp.cleanup());

const fromRoot = (p: string) => join(REPO_ROOT, p);

const EARLIER = {
  name: "earlier-package",
  timeline: [{ from: "2019-01", source: "assumption — a package from January 2019", set: { "payment.regime": "capitation" } }],
};

describe("extend", () => {
  it("equals the file with the same changes: same policy by month, same hash", () => {
    const base = loadScenario(BASELINE_SCENARIO);
    const inCode = extend(base, EARLIER);
    const file = tmp.write(
      "earlier-package.yaml",
      `name: earlier-package\nextends: ${JSON.stringify(BASELINE_SCENARIO)}\ntimeline:\n  - from: 2019-01\n    source: assumption — a package from January 2019\n    set:\n      payment.regime: capitation\n`,
    );
    const fromFile = loadScenario(file);
    expect(inCode.hash).toBe(fromFile.hash);
    expect(inCode.hash).not.toBe(base.hash);
    expect(inCode.timeline.map((t) => t.set)).toEqual(fromFile.timeline.map((t) => t.set));
    expect(inCode.name).toBe("earlier-package");
    expect(inCode.file).toBe(`extend(${base.file})`);
    expect(inCode.chain.at(-1)).toBe(inCode.file);
  });

  it("takes YAML text, and a file path as the parent", () => {
    const yaml = `name: earlier-package\ntimeline:\n  - from: 2019-01\n    source: assumption — a package from January 2019\n    set: {payment.regime: capitation}\n`;
    expect(extend(BASELINE_SCENARIO, yaml).hash).toBe(extend(loadScenario(BASELINE_SCENARIO), EARLIER).hash);
  });

  it("adds to the parent's timeline and parameters, and chains", () => {
    const pkg = loadScenario(fromRoot("scenarios/capitation-package.yaml"));
    const more = extend(pkg, { parameters: { "choice.habit": 0.5 } });
    expect(more.timeline.length).toBe(pkg.timeline.length);
    expect(more.parameters.choice.habit).toBe(0.5);
    expect(more.name).toBe("capitation-package-extended");
    const twice = extend(more, { parameters: { "choice.habit": 0.6 } }, { label: "habit 0.6" });
    expect(twice.parameters.choice.habit).toBe(0.6);
    expect(twice.chain.slice(-2)).toEqual([more.file, "habit 0.6"]);
    expect(twice.hash).not.toBe(more.hash);
  });

  it("reports problems as a file's, naming the changes, the field path and what is allowed", () => {
    const base = loadScenario(BASELINE_SCENARIO);
    const problems = inputProblems(() =>
      extend(base, { timeline: [{ from: "2019-13", set: { "payment.regime": "cash" } }], parameters: { "choice.qualiti": 1 } }, { label: "my cell" }),
    );
    expect(problems).toContain('my cell: timeline[0].from = "2019-13": must be a month written YYYY-MM');
    expect(problems.some((p) => p.startsWith("my cell: timeline[0].source: missing"))).toBe(true);
    expect(problems.some((p) => p.startsWith("my cell: timeline[0].set.payment.regime") && p.includes("must be one of"))).toBe(true);
    expect(problems.some((p) => p.startsWith("my cell: parameters.choice.qualiti: unknown"))).toBe(true);
    expect(inputProblems(() => extend(base, { extends: "x.yaml" }, { label: "c" }))).toContain("c: extends: not allowed here; the parent is extend's first argument");
    expect(inputProblems(() => extend(base, { colour: 1 }, { label: "c" }))[0]).toMatch(/^c: colour: unknown key; allowed: name, /);
    expect(inputProblems(() => extend(base, "timeline: [", { label: "c" }))[0]).toMatch(/^c:\d+:\d+ YAML syntax error/);
  });

  it("refuses a spread copy of a scenario (unchecked, with the old hash)", () => {
    const base = loadScenario(BASELINE_SCENARIO);
    const copy = { ...base, timeline: [] };
    expect(inputProblems(() => extend(copy, {}))[0]).toMatch(/was not returned by loadScenario or extend/);
  });

  it("runs on worker threads as in this thread (the scenario goes to the worker whole: no file holds it)", async () => {
    const base = loadScenario(BASELINE_SCENARIO);
    const reform = extend(base, EARLIER);
    expect([loadedFromFile(base), loadedFromFile(reform), loadedFromFile({ ...base })]).toEqual([true, false, false]);
    const spec = { scenarios: [base, reform], seeds: [1], scale: 0.02, years: 2 };
    const [onWorkers, here] = [await runStudy(spec, { workers: 2 }), await runStudy(spec, { executor: "in-thread" })];
    const finals = (st: typeof here) => st.scenarios.flatMap((sc) => sc.runs.map((r) => [r.name, r.settings.seed, r.yearly.at(-1)!.values.primaryVisitShare.value]));
    expect(finals(onWorkers)).toEqual(finals(here));
    expect(finals(here)[1][0]).toBe("earlier-package");
    expect(finals(here)[1][2]).not.toBe(finals(here)[0][2]); // the reform's own timeline ran
  });

  it("resolves relative county and parameter paths from the given folder", () => {
    const base = loadScenario(BASELINE_SCENARIO);
    const s = extend(base, { county: "counties/wuhua-like.yaml" }, { dir: fromRoot("data") });
    expect(s.county.name).toBe("wuhua-like");
    expect(readFileSync(s.countyFile, "utf8").length).toBeGreaterThan(0);
  });
});
