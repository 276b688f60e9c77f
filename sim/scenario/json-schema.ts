/**
 * JSON Schemas (draft-07) for the three kinds of input file — scenario, county
 * description, parameter file — generated from the very specs the loader checks
 * (POLICY_SPEC, PARAMETERS_SPEC, COUNTY_SPEC and the scenario keys), so an editor with
 * the YAML language server completes and checks a file as the loader would, without a
 * second, hand-written schema to drift. Shipped files name theirs on their first line:
 *
 *     # yaml-language-server: $schema=../schema/scenario.schema.json
 *
 * The files under schema/ are written by `npm run schema` (scripts/build/schema.ts); a
 * test fails when they differ from what this module generates.
 *
 * The schema is the structural part of the loader's checks: keys, types, ranges, enums,
 * required fields, `{value, unit, source}` provenance leaves, `source:` on every lever
 * set, dated `from:` months. What needs other files or arithmetic stays with the loader
 * alone: the extends chain merged into a complete policy, community ids that must exist
 * in the county, shares that sum to 1, seed clauses that must be in the clause index.
 */
import { PREFECTURE_SPEC } from "../prefecture/description";
import { PREFECTURE_SCENARIO_SPEC } from "../prefecture/scenario";
import { COUNTY_SPEC } from "../county/description";
import { PARAMETERS_SPEC } from "../parameters";
import { POLICY_SPEC } from "../policy";
import type { Spec } from "./schema";

export type JsonSchema = { [key: string]: unknown };

/** How a spec's objects are written in a file. */
interface Mode {
  /** required fields required (a full tree) or none (a partial tree, an override group) */
  required: boolean;
  /** a lever object (policy) must say `source:` wherever it is written */
  leverSource: boolean;
  /** leaves are `{value, unit, source}` (parameter files, a county's demographics) */
  provenance: boolean;
}

const MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$";
const describe = (s: Spec, extra?: string): { description?: string } => {
  const text = [s.doc, s.kind === "number" && s.unit ? `unit: ${s.unit}` : undefined, extra].filter(Boolean).join("; ");
  return text ? { description: text } : {};
};
const isGroup = (s: Spec) => s.kind === "object" || s.kind === "record" || s.kind === "map";

/** The schema of one value as the loader's validate() checks it. */
export function specToJsonSchema(spec: Spec, mode: Mode = { required: true, leverSource: false, provenance: false }): JsonSchema {
  if (mode.provenance) {
    if (!isGroup(spec)) return provenanceLeaf(spec);
    // a group is either a mapping of leaves or one leaf whose value is the whole group
    return { anyOf: [structure(spec, mode), provenanceLeaf(spec)], ...describe(spec) };
  }
  return structure(spec, mode);
}

/** A spec's own shape, its parts in `mode`. */
function structure(spec: Spec, mode: Mode): JsonSchema {
  switch (spec.kind) {
    case "number":
      return {
        type: spec.integer ? "integer" : "number",
        ...(spec.min !== undefined ? { minimum: spec.min } : {}),
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
        ...describe(spec),
      };
    case "boolean":
      return { type: "boolean", ...describe(spec) };
    case "string":
      return { type: "string", minLength: 1, ...describe(spec) };
    case "enum":
      return { enum: [...spec.values], ...describe(spec) };
    case "bilingual":
      return {
        anyOf: [{ type: "string" }, { type: "object", properties: { zh: { type: "string" }, en: { type: "string" } }, required: ["zh", "en"], additionalProperties: false }],
        ...describe(spec, "text, or {zh: …, en: …}"),
      };
    case "idsOrAll":
      return { anyOf: [{ const: "all" }, { type: "array", items: { type: "string" } }], ...describe(spec, '"all" or a list of ids') };
    case "list":
      return { type: "array", items: specToJsonSchema(spec.of, mode), ...(spec.minLength ? { minItems: spec.minLength } : {}), ...describe(spec) };
    case "map":
      return { type: "object", additionalProperties: specToJsonSchema(spec.of, mode), ...describe(spec) };
    case "record":
      return {
        type: "object",
        properties: Object.fromEntries(spec.keys.map((k) => [k, specToJsonSchema(spec.of, mode)])),
        ...(mode.required ? { required: [...spec.keys] } : {}),
        additionalProperties: false,
        ...describe(spec),
      };
    case "object": {
      const required = [
        ...(mode.required ? Object.keys(spec.fields).filter((k) => !spec.optional.includes(k)) : []),
        ...(mode.leverSource && spec.lever ? ["source"] : []),
      ];
      return {
        type: "object",
        properties: Object.fromEntries(Object.entries(spec.fields).map(([k, s]) => [k, specToJsonSchema(s, mode)])),
        ...(required.length ? { required: [...new Set(required)] } : {}),
        additionalProperties: false,
        ...describe(spec, spec.lever ? "a lever: cite its clause or publication under source:" : undefined),
      };
    }
  }
}

/** A `{value, unit, source}` leaf (or `{distribution, …}`: an uncertain parameter whose value defaults to the distribution's mean). */
function provenanceLeaf(spec: Spec): JsonSchema {
  return {
    type: "object",
    properties: {
      value: specToJsonSchema(spec),
      distribution: { type: "string", description: 'e.g. "normal(4.5, 0.45)" or "uniform(0.4, 1.0)"' },
      unit: { type: "string", minLength: 1 },
      source: { type: "string", minLength: 1, description: 'a publication, a seed clause (000_….txt §…), or "assumption"' },
    },
    required: ["unit", "source"],
    anyOf: [{ required: ["value"] }, { required: ["distribution"] }],
    additionalProperties: false,
    ...describe(spec),
  };
}

/** Every path a `{dotted.path: value}` override may name inside a spec, with its value's schema (`*` = a key of the data). */
function overridePaths(spec: Spec, prefix: string, out: [string, Spec][]): [string, Spec][] {
  if (prefix) out.push([prefix, spec]);
  const at = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (spec.kind === "object") for (const [k, s] of Object.entries(spec.fields)) overridePaths(s, at(k), out);
  else if (spec.kind === "record") for (const k of spec.keys) overridePaths(spec.of, at(k), out);
  else if (spec.kind === "map") overridePaths(spec.of, at("*"), out);
  return out;
}

const escape = (s: string) => s.replace(/[.+\-[\]()^$|?\\]/g, "\\$&");

/**
 * `{dotted.path: value}` as the override language takes it (sim/scenario/overrides.ts):
 * each root's paths, bare (the context's default root) or rooted; a group given a mapping
 * of its leaves. `roots` lists [prefix, spec] pairs, "" for the bare form.
 */
function overridesSchema(roots: [string, Spec][], what: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const patternProperties: Record<string, JsonSchema> = {};
  const groupMode: Mode = { required: false, leverSource: false, provenance: false };
  for (const [prefix, spec] of roots) {
    for (const [path, s] of overridePaths(spec, "", [])) {
      const key = prefix ? `${prefix}.${path}` : path;
      const schema = isGroup(s) ? { ...specToJsonSchema(s, groupMode), description: `${s.doc ? `${s.doc}; ` : ""}a group: give a mapping of its leaves` } : specToJsonSchema(s);
      if (key.includes("*")) patternProperties[`^${key.split("*").map(escape).join("[^.]+")}$`] = schema;
      else properties[key] = schema;
    }
  }
  return { type: "object", description: what, properties, patternProperties, additionalProperties: false };
}

const str = { type: "string", minLength: 1 };

/** The scenario file schema (sim/scenario/load.ts). */
export function scenarioJsonSchema(): JsonSchema {
  const fullPolicy = specToJsonSchema(POLICY_SPEC, { required: true, leverSource: true, provenance: false });
  const partialPolicy = specToJsonSchema(POLICY_SPEC, { required: false, leverSource: true, provenance: false });
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://yigongti.invalid/schema/scenario.schema.json",
    title: "yigongti scenario file",
    description: "A scenario: a county, a parameter file, a starting policy and dated policy changes. GENERATED from sim/policy.ts, sim/parameters.ts and sim/scenario/load.ts by npm run schema — do not edit.",
    type: "object",
    properties: {
      name: { ...str, description: "identifier (default: the file name)" },
      title: specToJsonSchema({ kind: "bilingual", doc: "title shown in charts and briefings" }),
      description: { type: "string" },
      extends: { ...str, description: "parent scenario file, relative to this file" },
      county: { ...str, description: "county description file, relative to this file (inherited if omitted)" },
      parameterFile: { ...str, description: "parameter file, relative to this file (inherited if omitted)" },
      parameters: overridesSchema([["", PARAMETERS_SPEC], ["parameters", PARAMETERS_SPEC], ["policy", POLICY_SPEC]], "overrides {dotted.path: value} for the whole run: parameter leaves (bare or parameters.*) and policy levers (policy.*)"),
      start: { type: "string", pattern: MONTH, description: "first simulated month, YYYY-MM" },
      years: { type: "integer", minimum: 1, maximum: 50, description: "default horizon in years" },
      population: { type: "string", enum: ["fixed", "changing"], description: "fixed (default): the county description's residents throughout; changing: births, deaths, migration and ageing (sim/population/, parameters population.*)" },
      policy: { ...partialPolicy, description: "policy tree: complete in a root scenario (no extends), partial overrides in a child" },
      timeline: {
        type: "array",
        description: "dated policy changes",
        items: {
          type: "object",
          properties: {
            from: { type: "string", pattern: MONTH, description: "the month the change takes effect, YYYY-MM" },
            source: { ...str, description: "the clause or publication (e.g. 000_d976d86ac1f892b7.txt §二(二))" },
            note: { type: "string" },
            set: overridesSchema([["", POLICY_SPEC], ["policy", POLICY_SPEC]], "policy levers {dotted.path: value} from this month on (parameters cannot change at a date)"),
          },
          required: ["from", "source", "set"],
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
    // a root scenario (no extends) writes the whole policy
    if: { not: { required: ["extends"] } },
    then: { properties: { policy: fullPolicy } },
  };
}

/** The parameter file schema (every leaf `{value, unit, source}`). */
export function parametersJsonSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://yigongti.invalid/schema/parameters.schema.json",
    title: "yigongti parameter file",
    description: "Behavioural, epidemiological, cost and capacity parameters; every leaf is {value, unit, source}. GENERATED from sim/parameters.ts by npm run schema — do not edit.",
    ...specToJsonSchema(PARAMETERS_SPEC, { required: true, leverSource: false, provenance: true }),
  };
}

/** The county description schema (demographics leaves `{value, unit, source}`). */
export function countyJsonSchema(): JsonSchema {
  const base = specToJsonSchema(COUNTY_SPEC) as { properties: Record<string, JsonSchema> };
  const demographics = COUNTY_SPEC.kind === "object" ? COUNTY_SPEC.fields.demographics : undefined;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://yigongti.invalid/schema/county.schema.json",
    title: "yigongti county description",
    description: "A county: its medical communities, facilities, geography and demographics (leaves {value, unit, source}). GENERATED from sim/county/description.ts by npm run schema — do not edit.",
    ...base,
    properties: { ...base.properties, ...(demographics ? { demographics: specToJsonSchema(demographics, { required: true, leverSource: false, provenance: true }) } : {}) },
  };
}

/** The prefecture description and prefecture scenario files (sim/prefecture/). */
const plainFileSchema = (spec: Spec, id: string, title: string, description: string): JsonSchema => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `https://yigongti.invalid/schema/${id}`,
  title,
  description,
  ...specToJsonSchema(spec),
});

/** The schema files under schema/, by file name (repeated parts shared through `definitions`). */
export function jsonSchemaFiles(): Record<string, JsonSchema> {
  return {
    "scenario.schema.json": shareRepeated(scenarioJsonSchema()),
    "county.schema.json": shareRepeated(countyJsonSchema()),
    "parameters.schema.json": shareRepeated(parametersJsonSchema()),
    "prefecture.schema.json": plainFileSchema(PREFECTURE_SPEC, "prefecture.schema.json", "yigongti prefecture description", "A prefecture: its counties (each a county description file) and the city's hospitals. GENERATED from sim/prefecture/description.ts by npm run schema — do not edit."),
    "prefecture-scenario.schema.json": plainFileSchema(PREFECTURE_SCENARIO_SPEC, "prefecture-scenario.schema.json", "yigongti prefecture scenario", "A prefecture scenario: a prefecture file, a baseline and a reform scenario, the rollout (which counties join when) and the pooling level. GENERATED from sim/prefecture/scenario.ts by npm run schema — do not edit."),
  };
}

/** Apply `f` to each direct subschema of a schema (the keywords used here), returning a new schema. */
function mapSubschemas(schema: JsonSchema, f: (s: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  const obj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  for (const k of ["properties", "patternProperties", "definitions"]) {
    if (obj(schema[k])) out[k] = Object.fromEntries(Object.entries(schema[k] as Record<string, JsonSchema>).map(([n, s]) => [n, f(s)]));
  }
  for (const k of ["additionalProperties", "items", "if", "then", "not"]) if (obj(schema[k])) out[k] = f(schema[k] as JsonSchema);
  if (Array.isArray(schema.anyOf)) out.anyOf = (schema.anyOf as JsonSchema[]).map(f);
  return out;
}

/**
 * The same schema with every subschema that occurs more than once (and is not tiny) written
 * once under `definitions` and referred to by `$ref`: the override paths repeat the
 * policy and parameter trees, which would otherwise make a scenario schema of ≈0.8 MB.
 */
export function shareRepeated(schema: JsonSchema, minLength = 60): JsonSchema {
  const counts = new Map<string, number>();
  const count = (s: JsonSchema): void => {
    mapSubschemas(s, (c) => (count(c), c));
    const key = JSON.stringify(s);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  mapSubschemas(schema, (c) => (count(c), c));
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<string, string>();
  const share = (s: JsonSchema): JsonSchema => {
    const key = JSON.stringify(s);
    const inner = mapSubschemas(s, share);
    if ((counts.get(key) ?? 0) < 2 || key.length < minLength) return inner;
    let name = names.get(key);
    if (!name) {
      name = `d${names.size + 1}`;
      names.set(key, name);
      definitions[name] = inner;
    }
    return { $ref: `#/definitions/${name}` };
  };
  const out = mapSubschemas(schema, share);
  return Object.keys(definitions).length ? { ...out, definitions } : out;
}
