/**
 * The JSON Schemas under schema/ are what sim/scenario/json-schema.ts generates from the
 * loader's specs; every shipped input file names its schema on its first line and passes
 * it; bad files fail it — and fail the loader too, so the editor and the loader agree.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaText } from "../../scripts/build/schema";
import { jsonSchemaFiles } from "../../sim/scenario/json-schema";
import { loadCounty, loadParameters, loadScenario } from "../../sim/scenario/load";
import { inputProblems } from "../helpers/input-error";
import { BASELINE_SCENARIO, PARAMETERS_FILE, QUJING_COUNTY, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-json-schema-");
afterAll(() => tmp.cleanup());

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowMatchingProperties: true });
const validators: Record<string, ValidateFunction> = {};
const validator = (kind: "scenario" | "county" | "parameters") =>
  (validators[kind] ??= ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, `schema/${kind}.schema.json`), "utf8"))));

const yamlFiles = (dir: string) => readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith(".yaml")).map((f) => join(REPO_ROOT, dir, f));
const SHIPPED: ["scenario" | "county" | "parameters", string][] = [
  ...yamlFiles("scenarios").map((f) => ["scenario", f] as ["scenario", string]),
  ...yamlFiles("data/counties").map((f) => ["county", f] as ["county", string]),
  ["parameters", PARAMETERS_FILE],
];

/** The schema's verdict: [] when valid, else "path message" lines. */
const schemaErrors = (kind: "scenario" | "county" | "parameters", value: unknown): string[] => {
  const v = validator(kind);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

describe("JSON Schemas of the input files", () => {
  it("schema/*.json are up to date with the loader's specs (npm run schema)", () => {
    for (const [name, schema] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(join(REPO_ROOT, "schema", name), "utf8"), `schema/${name} is stale: run npm run schema`).toBe(schemaText(schema));
    }
  });

  it.each(SHIPPED.map(([k, f]) => [relative(REPO_ROOT, f), k, f]))("%s names its schema on its first line and passes it", (_name, kind, file) => {
    const text = readFileSync(file, "utf8");
    const first = text.split("\n")[0];
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m, `first line of ${file}`).not.toBeNull();
    expect(resolve(dirname(file), m![1])).toBe(join(REPO_ROOT, `schema/${kind}.schema.json`));
    expect(schemaErrors(kind as "scenario", parse(text))).toEqual([]);
  });

  const baseline = parse(readFileSync(BASELINE_SCENARIO, "utf8")) as Record<string, unknown>;
  const child = (body: Record<string, unknown>) => ({ extends: BASELINE_SCENARIO, ...body });
  const BAD_SCENARIOS: [string, Record<string, unknown>][] = [
    ["an unknown top-level key", child({ colour: "red" })],
    ["a start that is not YYYY-MM", child({ start: "2019-13" })],
    ["years out of range", child({ years: 80 })],
    ["a timeline entry without source", child({ timeline: [{ from: "2019-01", set: { "payment.regime": "capitation" } }] })],
    ["a timeline value not allowed", child({ timeline: [{ from: "2019-01", source: "s", set: { "payment.regime": "cash" } }] })],
    ["a timeline that sets a parameter", child({ timeline: [{ from: "2019-01", source: "s", set: { "parameters.choice.habit": 0.5 } }] })],
    ["an unknown parameter path", child({ parameters: { "choice.qualiti": 1 } })],
    ["a parameter out of range", child({ parameters: { "policy.insurance.resident.inpatient.rate.township": 1.4 } })],
    ["a lever set without source", child({ policy: { payment: { regime: "capitation" } } })],
    ["a root scenario with an incomplete policy", { ...baseline, policy: { payment: (baseline.policy as Record<string, unknown>).payment } }],
  ];
  it.each(BAD_SCENARIOS)("a scenario with %s fails the schema and the loader", (_what, raw) => {
    expect(schemaErrors("scenario", raw).length).toBeGreaterThan(0);
    const f = tmp.write(`bad-${Math.random().toString(36).slice(2)}.yaml`, JSON.stringify(raw));
    expect(inputProblems(() => loadScenario(f)).length).toBeGreaterThan(0);
  });

  it("a parameter leaf without unit or source, or a bare value, fails the schema and the loader", () => {
    const params = parse(readFileSync(PARAMETERS_FILE, "utf8")) as { choice: Record<string, Record<string, unknown>> };
    for (const broken of [
      { ...params, choice: { ...params.choice, habit: { value: 0.7, unit: "utility" } } },
      { ...params, choice: { ...params.choice, habit: { value: 0.7, source: "assumption" } } },
      { ...params, choice: { ...params.choice, habit: 0.7 } },
      { ...params, choice: { ...params.choice, habit: { value: "high", unit: "u", source: "s" } } },
    ]) {
      expect(schemaErrors("parameters", broken).length).toBeGreaterThan(0);
      const f = tmp.write(`bad-params-${Math.random().toString(36).slice(2)}.yaml`, JSON.stringify(broken));
      expect(inputProblems(() => loadParameters(f)).length).toBeGreaterThan(0);
    }
  });

  it("a county with a missing field or a demographic leaf without source fails the schema and the loader", () => {
    const county = parse(readFileSync(QUJING_COUNTY, "utf8")) as Record<string, Record<string, Record<string, unknown>>>;
    const { communities: _c, ...withoutCommunities } = county;
    const femaleShare = { ...county.demographics.femaleShare, source: undefined };
    for (const broken of [withoutCommunities, { ...county, demographics: { ...county.demographics, femaleShare: JSON.parse(JSON.stringify(femaleShare)) } }]) {
      expect(schemaErrors("county", broken).length).toBeGreaterThan(0);
      const f = tmp.write(`bad-county-${Math.random().toString(36).slice(2)}.yaml`, JSON.stringify(broken));
      expect(inputProblems(() => loadCounty(f)).length).toBeGreaterThan(0);
    }
  });
});
