/**
 * Recognising the project's five YAML file kinds from their top-level keys
 * (sim/scenario/file-kind.ts): each shipped file is recognised as its own kind wherever
 * another is expected, and recognition is conservative — a damaged file of the expected
 * kind is not called another kind.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { characteristicKeys, otherKind, wrongKindProblem, type FileKind } from "../../sim/scenario/file-kind";
import { REPO_ROOT } from "../helpers/paths";

const SHIPPED: Record<FileKind, string> = {
  scenario: "scenarios/baseline-2018.yaml",
  county: "data/counties/qujing-like.yaml",
  parameters: "data/parameters.yaml",
  prefecture: "data/prefectures/qujing-like.yaml",
  prefectureScenario: "scenarios/prefecture/qujing-rollout.yaml",
};
const KINDS = Object.keys(SHIPPED) as FileKind[];
const rawOf = (f: string): Record<string, unknown> => parse(readFileSync(`${REPO_ROOT}${f}`, "utf8"));

describe("file kinds", () => {
  it("each shipped file is recognised as its own kind wherever another kind is expected, and never where its own is", () => {
    for (const kind of KINDS) {
      const raw = rawOf(SHIPPED[kind]);
      expect(otherKind(raw, kind), `${kind} as itself`).toBeNull();
      for (const expected of KINDS.filter((k) => k !== kind)) expect(otherKind(raw, expected), `${kind} as ${expected}`).toBe(kind);
    }
  });

  it("a child scenario with only extends and timeline is a county scenario", () => {
    expect(otherKind(rawOf("scenarios/capitation-package.yaml"), "county")).toBe("scenario");
  });

  it("one characteristic key is enough when every key is that kind's (a child of extends, name, title)", () => {
    expect(otherKind({ extends: "baseline-2018.yaml", name: "x", title: "y" }, "county")).toBe("scenario");
    // …but not with a key of no kind beside it
    expect(otherKind({ extends: "baseline-2018.yaml", name: "x", stray: 1 }, "county")).toBeNull();
  });

  it("the field that named the file may say what belongs there instead", () => {
    expect(wrongKindProblem(rawOf(SHIPPED.prefecture), "scenario", "q.yaml", "baseline: must name a county scenario, such as scenarios/baseline-2018.yaml")).toMatch(/^q\.yaml: this is a prefecture description, not a county scenario \(.*\); baseline: must name a county scenario, such as scenarios\/baseline-2018\.yaml$/);
  });

  it("characteristic keys belong to one kind only; shared keys (name, title, population) to none", () => {
    const all = KINDS.flatMap((k) => characteristicKeys(k));
    expect(new Set(all).size).toBe(all.length);
    for (const shared of ["name", "title", "description", "source", "population"]) expect(all).not.toContain(shared);
    expect(characteristicKeys("county")).toContain("townships");
    expect(characteristicKeys("prefecture")).toEqual(["hospitals", "counties"]);
  });

  it("is conservative: a damaged file of the expected kind stays that kind", () => {
    // a county file with townships deleted is a county file with a missing field
    const { townships: _t, ...county } = rawOf(SHIPPED.county);
    expect(otherKind(county, "county")).toBeNull();
    // one stray key of another kind is not enough
    expect(otherKind({ name: "x", choice: {} }, "scenario")).toBeNull();
    expect(otherKind({ name: "x", title: "y" }, "county")).toBeNull();
    expect(otherKind({}, "parameters")).toBeNull();
    // mostly unknown keys: not clearly the other kind
    expect(otherKind({ hospitals: [], counties: [], a: 1, b: 2, c: 3 }, "scenario")).toBeNull();
  });

  it("the problem line names the file, both kinds, their keys, and how to use the file", () => {
    expect(wrongKindProblem(rawOf(SHIPPED.prefectureScenario), "scenario", "p.yaml")).toBe(
      "p.yaml: this is a prefecture scenario, not a county scenario (it has prefecture, baseline, reform, rollout, pooling; a county scenario has extends (or county, parameterFile, start), policy, timeline); run it with yigongti prefecture p.yaml",
    );
    expect(wrongKindProblem(rawOf(SHIPPED.prefecture), "county", "q.yaml")).toBe(
      "q.yaml: this is a prefecture description, not a county description (it has hospitals, counties; a county description has townships, countyHospitals, communities, demographics); name one of the county description files it lists under counties[].file instead",
    );
    // a scenario given as a parameter file: the parameter file it names itself
    expect(wrongKindProblem(rawOf(SHIPPED.scenario), "parameters", "s.yaml")).toMatch(/^s\.yaml: this is a county scenario, not a parameter file \(it has county, parameterFile, .*; its own parameterFile: is "\.\.\/data\/parameters\.yaml" \(relative to the folder of s\.yaml\)$/);
    expect(wrongKindProblem(rawOf(SHIPPED.county), "county", "c.yaml")).toBeNull();
  });
});
