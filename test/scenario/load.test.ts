import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { applyTimeline, loadCounty, loadParameters, loadScenario, parseYearMonth, policyByMonth } from "../../sim/scenario/load";
import { BASELINE_SCENARIO, PARAMETERS_FILE, QUJING_COUNTY, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { inputError, inputProblems } from "../helpers/input-error";

const tmp = tempDir("yigongti-load-");
afterAll(() => tmp.cleanup());

/** A scenario file in the temp dir extending the baseline by its absolute path. */
const child = (name: string, body: string) => tmp.write(name, `extends: ${JSON.stringify(BASELINE_SCENARIO)}\n${body}`);

describe("loadScenario — the baseline", () => {
  it("loads and resolves the county, parameters and policy", () => {
    const s = loadScenario(BASELINE_SCENARIO);
    expect(s.name).toBe("baseline-2018");
    expect(s.start).toEqual({ year: 2018, month: 1 });
    expect(s.county.name).toBe("qujing-like");
    expect(s.basePolicy.insurance.resident.inpatient.rate.township).toBe(0.85);
    expect(s.basePolicy.payment.regime).toBe("feeForService");
    expect(s.parameters.choice.quality).toBeGreaterThan(0);
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a child overrides one lever and inherits the rest; the hash changes with content", () => {
    const f = child(
      "ok-child.yaml",
      `name: ok-child
parameters:
  choice.habit: 0.5
policy:
  insurance:
    resident:
      source: test
      inpatient:
        rate: {township: 0.9}
timeline:
  - from: 2019-07
    source: test clause
    set:
      payment.regime: capitation
`,
    );
    const s = loadScenario(f);
    const b = loadScenario(BASELINE_SCENARIO);
    expect(s.name).toBe("ok-child");
    expect(s.basePolicy.insurance.resident.inpatient.rate.township).toBe(0.9);
    expect(s.basePolicy.insurance.resident.inpatient.rate.county).toBe(b.basePolicy.insurance.resident.inpatient.rate.county);
    expect(s.parameters.choice.habit).toBe(0.5);
    expect(s.chain).toHaveLength(2);
    expect(s.hash).not.toBe(b.hash);
    // the timeline switches the regime from July 2019
    expect(applyTimeline(s.basePolicy, s.timeline, { year: 2019, month: 6 }).payment.regime).toBe("feeForService");
    expect(applyTimeline(s.basePolicy, s.timeline, { year: 2019, month: 7 }).payment.regime).toBe("capitation");
    const months = policyByMonth(s, 24);
    expect(months.findIndex((p) => p.payment.regime === "capitation")).toBe(18);
    // loading twice gives the same hash
    expect(loadScenario(f).hash).toBe(s.hash);
  });

  it("parses YYYY-MM months and rejects others", () => {
    expect(parseYearMonth("2019-07")).toEqual({ year: 2019, month: 7 });
    expect(parseYearMonth("2019-13")).toBeUndefined();
    expect(parseYearMonth("2019-00")).toBeUndefined();
    expect(parseYearMonth("2019-7")).toBeUndefined();
    expect(parseYearMonth(201907)).toBeUndefined();
  });
});

describe("loadScenario — every class of input error is an InputError naming file and field", () => {
  it("value out of range", () => {
    const f = child("range.yaml", "policy:\n  insurance:\n    resident:\n      source: test\n      inpatient:\n        rate: {township: 1.4}\n");
    const err = inputError(() => loadScenario(f));
    expect(err.problems).toContain(`${f}: policy.insurance.resident.inpatient.rate.township = 1.4: must be a number between 0 and 1`);
  });

  it("value out of range inside a timeline set", () => {
    const f = child("tl-range.yaml", "timeline:\n  - from: 2019-01\n    source: test\n    set:\n      insurance.resident.inpatient.rate.township: 1.4\n");
    const err = inputError(() => loadScenario(f));
    expect(err.problems).toHaveLength(1);
    const line = err.problems[0];
    expect(line.startsWith(`${f}: `)).toBe(true);
    expect(line).toContain("timeline[0]");
    expect(line).toContain("insurance.resident.inpatient.rate.township = 1.4: must be a number between 0 and 1");
  });

  it("wrong type (text where a number is expected)", () => {
    const f = child("type.yaml", "policy:\n  insurance:\n    initialReserveMonths: six\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: policy.insurance.initialReserveMonths = "six": must be a number between 0 and 60`);
  });

  it("unknown key at the top level lists the allowed keys", () => {
    const f = child("top-unknown.yaml", "polcy: {}\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: polcy: unknown key; allowed: name, title, description, extends, county, parameterFile, parameters, start, years, population, policy, timeline`);
  });

  it("unknown key inside policy lists the allowed keys", () => {
    const f = child("policy-unknown.yaml", "policy:\n  insurance:\n    reimburse: 1\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: policy.insurance.reimburse: unknown key; allowed: resident, employee, bypass, firstContact, referralRules, poverty, initialReserveMonths`);
  });

  it("unknown key in a timeline set path lists what is allowed there", () => {
    const f = child("tl-unknown.yaml", "timeline:\n  - from: 2019-01\n    source: test\n    set:\n      insurance.resident.inpatient.ratez.township: 0.9\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(f);
    expect(err.message).toContain("insurance.resident.inpatient.ratez.township: unknown field; allowed here: deductible, rate, annualCap");
  });

  it("unknown key in a timeline entry", () => {
    const f = child("tl-key.yaml", "timeline:\n  - from: 2019-01\n    source: test\n    when: now\n    set:\n      insurance.bypass.enabled: true\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: timeline[0].when: unknown key; allowed: from, source, note, set`);
  });

  it("a lever set without its source", () => {
    const f = child("no-lever-source.yaml", "policy:\n  insurance:\n    bypass:\n      enabled: true\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: policy.insurance.bypass.source: missing`);
  });

  it("missing parent (extends to a non-existent file)", () => {
    const f = tmp.write("orphan.yaml", "extends: ./does-not-exist.yaml\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: extends = "./does-not-exist.yaml": parent scenario not found`);
    expect(err.message).toContain("does-not-exist.yaml");
  });

  it("a scenario file that does not exist", () => {
    const err = inputError(() => loadScenario(`${tmp.dir}/nowhere.yaml`));
    expect(err.message).toContain("nowhere.yaml: scenario file not found");
  });

  it("extends cycle (a extends b extends a)", () => {
    const a = tmp.write("cycle-a.yaml", "extends: ./cycle-b.yaml\n");
    const b = tmp.write("cycle-b.yaml", "extends: ./cycle-a.yaml\n");
    const err = inputError(() => loadScenario(a));
    expect(err.message).toContain("extends cycle");
    expect(err.message).toContain(`${a} → ${b} → ${a}`);
  });

  it("YAML syntax error gives file and line", () => {
    // line 1 is `extends:`, line 2 the error (a nested mapping in a compact mapping, column 8)
    const f = child("syntax.yaml", "years: 2: 3\nname: x\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:8 YAML syntax error`));
  });

  it("duplicate keys are a YAML error too", () => {
    const f = child("dup.yaml", "years: 2\nyears: 3\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}:3:`);
    expect(err.message).toContain("YAML syntax error");
  });

  it("missing timeline source", () => {
    const f = child("tl-nosource.yaml", "timeline:\n  - from: 2019-01\n    set:\n      insurance.resident.inpatient.rate.township: 0.9\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: timeline[0].source: missing`);
  });

  it("bad `from` month", () => {
    const f = child("tl-from.yaml", "timeline:\n  - from: 2019-13\n    source: x\n    set:\n      insurance.resident.inpatient.rate.township: 0.9\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: timeline[0].from = "2019-13": must be a month written YYYY-MM`);
  });

  it("bad start month", () => {
    const f = child("start.yaml", "start: 2018/01\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: start = "2018/01": must be a month written YYYY-MM`);
  });

  it("timeline before the scenario start", () => {
    const f = child("tl-before.yaml", "timeline:\n  - from: 2017-06\n    source: x\n    set:\n      insurance.resident.inpatient.rate.township: 0.9\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: timeline[0].from = "2017-06": before the scenario start 2018-01`);
  });

  it("unknown community id in capitation.communities", () => {
    const f = child("community.yaml", "policy:\n  payment:\n    source: x\n    capitation:\n      source: y\n      communities: [renmin, nowhere]\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: policy.payment.capitation.communities: "nowhere" is not a community of`);
    expect(err.message).toContain("(renmin, tcm)");
    expect(err.message).not.toContain('"renmin" is not');
  });

  it("unknown community id introduced by a timeline", () => {
    const f = child("tl-community.yaml", "timeline:\n  - from: 2019-01\n    source: x\n    set:\n      payment.capitation.communities: [nowhere]\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: `);
    expect(err.message).toContain('capitation.communities: "nowhere" is not a community');
  });

  it("parameter override of an unknown path", () => {
    const f = child("par-unknown.yaml", "parameters:\n  choice.habbit: 0.5\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: parameters.choice.habbit: unknown field; allowed here: quality, oopPer100Yuan`);
  });

  it("parameter override out of range", () => {
    const f = child("par-range.yaml", "parameters:\n  choice.habit: 100\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${f}: parameters.choice.habit = 100: must be a number between -20 and 20`);
  });

  it("a parameter override that breaks the severity shares names the scenario that set it", () => {
    // inpatientSeverity minor 0 → 0.5 makes the shares sum to 1.5; the parameter file is
    // fine on its own, so the message must point at the overriding scenario.
    const f = child("par-shares.yaml", "parameters:\n  incidence.inpatientSeverity.minor: 0.5\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain("incidence.inpatientSeverity = 1.5000 in total: shares must sum to 1");
    expect(err.message).toContain(f);
  });

  it("a county file that does not exist", () => {
    const f = child("no-county.yaml", "county: ./no-such-county.yaml\n");
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain("no-such-county.yaml: county description file not found");
  });

  it("a county path that is a directory", () => {
    // e.g. `county: ../data/counties/` — a user mistake that must not end in a stack trace
    const f = child("county-dir.yaml", `county: ${JSON.stringify(tmp.dir)}\n`);
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(tmp.dir);
  });

  it("reports several problems at once", () => {
    const f = child("many.yaml", "polcy: {}\nyears: 0\n");
    const err = inputError(() => loadScenario(f));
    expect(err.problems.length).toBeGreaterThanOrEqual(2);
    expect(err.message).toContain(`${f}: years = 0: must be an integer between 1 and 50`);
  });
});

describe("loadParameters", () => {
  it("loads the default file and applies overrides", () => {
    const p = loadParameters(PARAMETERS_FILE, { "choice.habit": 0.25 });
    expect(p.choice.habit).toBe(0.25);
    expect(p.simulation.burnInMonths).toBeGreaterThanOrEqual(0);
  });

  it("an override of an unknown path is an InputError naming the path", () => {
    const err = inputError(() => loadParameters(PARAMETERS_FILE, { "choice.habbit": 1 }, "my-scenario.yaml"));
    expect(err.message).toContain("choice.habbit: unknown key");
    expect(err.message).toContain("my-scenario.yaml");
  });

  it("an out-of-range override is an InputError naming the path and range", () => {
    const err = inputError(() => loadParameters(PARAMETERS_FILE, { "leadHospital.responsiveness": 1.5 }, "my-scenario.yaml"));
    expect(err.message).toContain("leadHospital.responsiveness = 1.5: must be a number between 0 and 1");
  });

  const paramsWith = (name: string, edit: (tree: Record<string, any>) => void) => {
    const tree = parse(readFileSync(PARAMETERS_FILE, "utf8"));
    edit(tree);
    return tmp.write(name, stringify(tree));
  };

  it("a leaf without a source", () => {
    const f = paramsWith("params-nosource.yaml", (t) => delete t.choice.habit.source);
    const err = inputError(() => loadParameters(f));
    expect(err.message).toContain(`${f}: choice.habit.source: missing; every parameter must cite a source`);
  });

  it("a leaf without a unit", () => {
    const f = paramsWith("params-nounit.yaml", (t) => delete t.choice.habit.unit);
    const err = inputError(() => loadParameters(f));
    expect(err.message).toContain(`${f}: choice.habit.unit: missing`);
  });

  it("a leaf value out of range in the file", () => {
    const f = paramsWith("params-range.yaml", (t) => (t.costs.inPolicyShare.value.county = 1.2));
    const err = inputError(() => loadParameters(f));
    expect(err.message).toContain(`${f}: costs.inPolicyShare.county = 1.2: must be a number between 0 and 1`);
  });

  it("severity shares that do not sum to 1", () => {
    const f = paramsWith("params-shares.yaml", (t) => (t.incidence.inpatientSeverity.value.common = 0.6));
    const err = inputError(() => loadParameters(f));
    expect(err.message).toContain(`${f}: incidence.inpatientSeverity = 1.0800 in total: shares must sum to 1`);
  });
});

describe("loadCounty", () => {
  const countyWith = (name: string, edit: (tree: Record<string, any>) => void) => {
    const tree = parse(readFileSync(QUJING_COUNTY, "utf8"));
    edit(tree);
    return tmp.write(name, stringify(tree));
  };

  it("loads the Qujing-like county", () => {
    const c = loadCounty(QUJING_COUNTY);
    expect(c.townships).toHaveLength(12);
    expect(c.demographics.ageBands["65+"]).toBe(0.14);
  });

  it("duplicate township id", () => {
    const f = countyWith("dup-township.yaml", (t) => (t.townships[1].id = "t01"));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: townships: id "t01" is used twice (townships[0].id, townships[1].id); ids must be unique`);
  });

  it("community referencing an unknown township", () => {
    const f = countyWith("unknown-township.yaml", (t) => (t.communities[0].townships[0] = "t99"));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: communities[0].townships[0] = "t99": no township has this id`);
  });

  it("community led by something that is not a county hospital", () => {
    const f = countyWith("bad-lead.yaml", (t) => (t.communities[1].lead = "city"));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: communities[1].lead = "city": must be the id of a county hospital (renmin, tcm)`);
  });

  it("township in two communities", () => {
    const f = countyWith("two-communities.yaml", (t) => t.communities[1].townships.push("t01"));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain('= "t01": already in community renmin');
  });

  it("age bands not summing to 1", () => {
    const f = countyWith("ages.yaml", (t) => (t.demographics.ageBands.value["65+"] = 0.04));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: demographics.ageBands sum to 0.9000: shares must sum to 1`);
  });

  it("a demographics leaf without a source", () => {
    const f = countyWith("demo-nosource.yaml", (t) => delete t.demographics.femaleShare.source);
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: demographics.femaleShare.source: missing`);
  });

  it("a township field out of range", () => {
    const f = countyWith("township-range.yaml", (t) => (t.townships[2].poorShare = 2));
    const err = inputError(() => loadCounty(f));
    expect(err.message).toContain(`${f}: townships[2].poorShare = 2: must be a number between 0 and 1`);
  });

  it("a county error reached through a scenario names the county file", () => {
    const county = countyWith("bad-county-for-scenario.yaml", (t) => (t.townships[1].id = "t01"));
    const f = child("uses-bad-county.yaml", `county: ${JSON.stringify(county)}\n`);
    const err = inputError(() => loadScenario(f));
    expect(err.message).toContain(`${county}: townships: id "t01" is used twice`);
  });
});

describe("errors that say where (issue 14)", () => {
  const t = tempDir("yigongti-where-");
  afterAll(() => t.cleanup());
  const problemsOf = (f: string) => inputProblems(() => loadScenario(f));
  it("a county: that points at a scenario file says so once, after the scenario field that named it", () => {
    const target = `${REPO_ROOT}scenarios/capitation-package.yaml`;
    const f = t.write("county-is-scenario.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ncounty: ${JSON.stringify(target)}\n`);
    const p = problemsOf(f);
    expect(p[0]).toBe(`${f}: county = ${JSON.stringify(target)}: the file it names has problems (below)`);
    expect(p[1]).toMatch(/capitation-package\.yaml: this is a county scenario, not a county description \(it has extends, timeline;/);
    expect(p).toHaveLength(2);
  });
  it("a parameterFile: with a bad value names the scenario field first", () => {
    const params = t.write("bad-params.yaml", readFileSync(PARAMETERS_FILE, "utf8").replace(/habit:\n    value: [\d.]+/, "habit:\n    value: 99"));
    const f = t.write("uses-bad-params.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameterFile: ${JSON.stringify(params)}\n`);
    const p = problemsOf(f);
    expect(p[0]).toBe(`${f}: parameterFile = ${JSON.stringify(params)}: the file it names has problems (below)`);
    expect(p.slice(1).join("\n")).toMatch(/bad-params\.yaml: choice\.habit = 99/);
  });
  // a file of another kind where one is expected: one line saying what it is, after the field that named it
  const PREFECTURE = `${REPO_ROOT}data/prefectures/qujing-like.yaml`;
  const ROLLOUT = `${REPO_ROOT}scenarios/prefecture/qujing-rollout.yaml`;
  const named = (name: string, field: string, target: string) => t.write(name, `extends: ${JSON.stringify(BASELINE_SCENARIO)}\n${field}: ${JSON.stringify(target)}\n`);
  it.each([
    ["a prefecture description", PREFECTURE, /qujing-like\.yaml: this is a prefecture description, not a county description \(it has hospitals, counties; .*\); name one of the county description files it lists under counties\[\]\.file instead$/],
    ["a parameter file", PARAMETERS_FILE, /parameters\.yaml: this is a parameter file, not a county description \(it has choice, .*; a scenario names it as parameterFile:, not county:$/],
    ["a prefecture scenario", ROLLOUT, /qujing-rollout\.yaml: this is a prefecture scenario, not a county description .*; run it with yigongti prefecture scenarios\/prefecture\/qujing-rollout\.yaml$/],
  ])("county: naming %s says what it is in one line", (_what, target, line) => {
    const f = named(`county-${_what.replace(/ /g, "-")}.yaml`, "county", target);
    const p = problemsOf(f);
    expect(p).toEqual([`${f}: county = ${JSON.stringify(target)}: the file it names has problems (below)`, expect.stringMatching(line)]);
  });
  it.each([
    ["a scenario", BASELINE_SCENARIO, /baseline-2018\.yaml: this is a county scenario, not a parameter file \(it has county, parameterFile, .*; its own parameterFile: is "\.\.\/data\/parameters\.yaml"/],
    ["a county description", QUJING_COUNTY, /qujing-like\.yaml: this is a county description, not a parameter file \(it has seed, demographics, .*; a scenario names it as county:, not parameterFile:$/],
  ])("parameterFile: naming %s says what it is in one line, not a page of unknown keys", (_what, target, line) => {
    const f = named(`params-${_what.replace(/ /g, "-")}.yaml`, "parameterFile", target);
    expect(problemsOf(f)).toEqual([`${f}: parameterFile = ${JSON.stringify(target)}: the file it names has problems (below)`, expect.stringMatching(line)]);
  });
  it("a county description or parameter file given to run says what it is and how to use it", () => {
    expect(inputProblems(() => loadScenario(QUJING_COUNTY))).toEqual([expect.stringMatching(/qujing-like\.yaml: this is a county description, not a county scenario \(.*\); to simulate it, name it as county: in a scenario file/)]);
    expect(inputProblems(() => loadScenario(PARAMETERS_FILE))).toEqual([expect.stringMatching(/parameters\.yaml: this is a parameter file, not a county scenario \(.*\); a scenario names it as parameterFile:/)]);
  });
  it("a parameter file is checked as before when it has nothing of another kind", () => {
    const f = t.write("params-scrap.yaml", "name: x\n");
    expect(inputProblems(() => loadParameters(f)).join("\n")).not.toMatch(/this is a/);
  });
  it('extends: "" and extends: /dev/null say what is wrong, not "a directory"', () => {
    const e = t.write("empty-extends.yaml", 'extends: ""\n');
    expect(problemsOf(e)).toEqual([`${e}: extends = "": must name the parent scenario file, e.g. baseline-2018.yaml (or leave extends out)`]);
    const n = t.write("devnull-extends.yaml", "extends: /dev/null\n");
    expect(problemsOf(n)).toEqual([`${n}: extends = "/dev/null": the file it names has problems (below)`, "/dev/null: parent scenario file expected, but this is a device"]);
  });
  it('county: "" and parameterFile: "" say what they must name, as extends: "" does', () => {
    const c = t.write("empty-county.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ncounty: ""\n`);
    expect(problemsOf(c)).toEqual([`${c}: county = "": must name a county description file, e.g. ../data/counties/qujing-like.yaml (or leave county out to inherit it)`]);
    const p = t.write("empty-params.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nparameterFile: "  "\n`);
    expect(problemsOf(p)).toEqual([`${p}: parameterFile = "  ": must name a parameter file, e.g. ../data/parameters.yaml (or leave parameterFile out to inherit it)`]);
  });
  describe("a parent's problems follow the child's extends: that named it", () => {
    const via = (name: string, parent: string) => t.write(name, `extends: ${JSON.stringify(parent)}\n`);
    const header = (child: string, parent: string) => `${child}: extends = ${JSON.stringify(parent)}: the file it names has problems (below)`;
    it("a county description or parameter file as the parent: one line after the child's field", () => {
      const c = via("extends-county.yaml", QUJING_COUNTY);
      expect(problemsOf(c)).toEqual([header(c, QUJING_COUNTY), expect.stringMatching(/qujing-like\.yaml: this is a county description, not a county scenario \(.*\); to simulate it, name it as county: in a scenario file/)]);
      const p = via("extends-params.yaml", PARAMETERS_FILE);
      expect(problemsOf(p)).toEqual([header(p, PARAMETERS_FILE), expect.stringMatching(/parameters\.yaml: this is a parameter file, not a county scenario/)]);
    });
    it("a parent that is not UTF-8, not a mapping, or has unknown keys", () => {
      // "name: 测试" saved as GBK
      const gbk = t.write("gbk-parent.yaml", "");
      writeFileSync(gbk, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xb2, 0xe2, 0xca, 0xd4, 0x0a]));
      const g = via("extends-gbk.yaml", gbk);
      expect(problemsOf(g)).toEqual([header(g, gbk), expect.stringMatching(new RegExp(`^${gbk}: not UTF-8 text; it looks like GB18030`))]);
      const list = t.write("list-parent.yaml", "- a\n");
      const l = via("extends-list.yaml", list);
      expect(problemsOf(l)).toEqual([header(l, list), `${list}: must be a YAML mapping of scenario keys`]);
      const typo = t.write("typo-parent.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\npolcy: {}\n`);
      const y = via("extends-typo.yaml", typo);
      expect(problemsOf(y)).toEqual([header(y, typo), expect.stringMatching(new RegExp(`^${typo}: polcy: unknown key`))]);
    });
    it("a grandparent's problem is named by the parent's extends:, and the child's own problems still come first", () => {
      const parent = t.write("parent-of-null.yaml", "extends: /dev/null\n");
      const c = t.write("grandchild.yaml", `extends: ${JSON.stringify(parent)}\nyears: 0\n`);
      expect(problemsOf(c)).toEqual([`${c}: years = 0: must be an integer between 1 and 50`, header(parent, "/dev/null"), "/dev/null: parent scenario file expected, but this is a device"]);
    });
    it("a missing parent keeps its one line naming the child", () => {
      const c = via("extends-missing.yaml", "nowhere.yaml");
      expect(problemsOf(c)).toEqual([expect.stringMatching(new RegExp(`^${c}: extends = "nowhere\\.yaml": parent scenario not found \\(looked for `))]);
    });
  });
  describe("timeline entries before a start set in another file", () => {
    it("a child's late start over a parent's whole timeline: one line for the parent's file, naming the child that set start", () => {
      const c = t.write("late-start.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nstart: 2100-01\n`);
      expect(problemsOf(c)).toEqual([`scenarios/baseline-2018.yaml: timeline: both entries (2019-01 and 2020-01) are before the scenario start 2100-01 (start, set in ${c}); start the scenario no later than 2019-01`]);
    });
    it("one entry of a file: its own line, with where start was set", () => {
      const c = t.write("mid-start.yaml", `extends: ${JSON.stringify(`${REPO_ROOT}scenarios/capitation-package.yaml`)}\nstart: 2019-06\n`);
      expect(problemsOf(c)).toEqual([
        `scenarios/baseline-2018.yaml: timeline[0].from = "2019-01": before the scenario start 2019-06 (start, set in ${c})`,
        `scenarios/capitation-package.yaml: timeline[0].from = "2019-03": before the scenario start 2019-06 (start, set in ${c})`,
      ]);
    });
    it("some of a file's entries: counted, with their dates", () => {
      const entry = (from: string) => `  - from: ${from}\n    source: test\n    set:\n      insurance.bypass.enabled: true\n`;
      const c = t.write("some-early.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\ntimeline:\n${entry("2017-03")}${entry("2017-09")}${entry("2017-05")}${entry("2018-06")}`);
      expect(problemsOf(c)).toEqual([`${c}: timeline: 3 of its 4 entries (from 2017-03 to 2017-09) are before the scenario start 2018-01 (start, set in scenarios/baseline-2018.yaml); start the scenario no later than 2017-03`]);
    });
    it("start and the entry in the same file: no note of where start was set", () => {
      const c = t.write("own-start.yaml", `extends: ${JSON.stringify(BASELINE_SCENARIO)}\nstart: 2019-06\ntimeline:\n  - from: 2019-05\n    source: test\n    set:\n      insurance.bypass.enabled: true\n`);
      expect(problemsOf(c)).toContain(`${c}: timeline[0].from = "2019-05": before the scenario start 2019-06`);
    });
  });
});
