/**
 * A small declarative schema language and validator for the project's YAML inputs
 * (scenarios, parameter files, county descriptions). Hand-rolled rather than a JSON
 * Schema library so that every message reads `file: path = value: must be …` and lists
 * what is allowed — including for unknown keys.
 */
import { showValue } from "./errors";

/** A number: range, whole-number flag, unit and a one-line meaning. */
export interface NumberSpec { kind: "number"; min?: number; max?: number; integer?: boolean; unit?: string; doc?: string }
export interface BooleanSpec { kind: "boolean"; doc?: string }
export interface StringSpec { kind: "string"; doc?: string }
export interface EnumSpec<V extends string = string> { kind: "enum"; values: readonly V[]; doc?: string }
/** A mapping of named fields (a group); `lever` marks policy objects that must cite a source. */
export interface ObjectSpec<F extends Record<string, Spec> = Record<string, Spec>, O extends string = string> {
  kind: "object";
  fields: F;
  /** fields that may be left out (a phantom of the optional keys for Infer) */
  optional: readonly O[];
  lever?: boolean;
  doc?: string;
}
/** The same spec under each of a fixed list of keys (e.g. by tier). */
export interface RecordSpec<K extends string = string, S extends Spec = Spec> { kind: "record"; keys: readonly K[]; of: S; doc?: string }
export interface MapSpec<S extends Spec = Spec> { kind: "map"; of: S; doc?: string }
export interface ListSpec<S extends Spec = Spec> { kind: "list"; of: S; minLength?: number; doc?: string }
export interface IdsOrAllSpec { kind: "idsOrAll"; doc?: string }
export interface BilingualSpec { kind: "bilingual"; doc?: string }

export type Spec = NumberSpec | BooleanSpec | StringSpec | EnumSpec | ObjectSpec | RecordSpec | MapSpec | ListSpec | IdsOrAllSpec | BilingualSpec;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The TypeScript type a spec describes, so a tree is declared once (the spec) and its
 * type derived: `type Parameters = Infer<typeof PARAMETERS_SPEC>`. Optional fields of an
 * object spec become optional properties.
 */
export type Infer<S> = S extends NumberSpec
  ? number
  : S extends BooleanSpec
    ? boolean
    : S extends StringSpec
      ? string
      : S extends EnumSpec<infer V>
        ? V
        : S extends IdsOrAllSpec
          ? "all" | string[]
          : S extends BilingualSpec
            ? string | { zh: string; en: string }
            : S extends RecordSpec<infer K, infer T>
              ? { [k in K]: Infer<T> }
              : S extends MapSpec<infer T>
                ? Record<string, Infer<T>>
                : S extends ListSpec<infer T>
                  ? Infer<T>[]
                  : S extends ObjectSpec<infer F, infer O>
                    ? Simplify<{ [k in Exclude<keyof F, O>]: Infer<F[k]> } & { [k in Extract<keyof F, O>]?: Infer<F[k]> }>
                    : never;

/** A number in [min, max] with its unit and meaning (`doc`). */
export const num = (min?: number, max?: number, unit?: string, doc?: string): NumberSpec => ({ kind: "number", min, max, unit, ...(doc ? { doc } : {}) });
/** A whole number in [min, max]. */
export const int = (min?: number, max?: number, unit?: string, doc?: string): NumberSpec => ({ kind: "number", min, max, integer: true, ...(unit ? { unit } : {}), ...(doc ? { doc } : {}) });
/** A share in [0, 1] (with an optional meaning). */
export const shareOf = (doc?: string): NumberSpec => ({ kind: "number", min: 0, max: 1, ...(doc ? { doc } : {}) });
export const share: NumberSpec = { kind: "number", min: 0, max: 1 };
export const bool: BooleanSpec = { kind: "boolean" };
/** A switch with its meaning. */
export const flag = (doc: string): BooleanSpec => ({ kind: "boolean", doc });
export const str: StringSpec = { kind: "string" };
export const oneOf = <V extends string>(...values: V[]): EnumSpec<V> => ({ kind: "enum", values });
// (overloads: without optional fields there is no O to infer, so a surrounding context cannot widen it)
export function obj<F extends Record<string, Spec>>(fields: F): ObjectSpec<F, never>;
export function obj<F extends Record<string, Spec>, O extends string>(fields: F, optional: readonly O[]): ObjectSpec<F, O>;
export function obj(fields: Record<string, Spec>, optional: readonly string[] = []): ObjectSpec {
  return { kind: "object", fields, optional };
}
/** A policy lever object: its fields plus an optional `source:` (checked to be present where it is set). */
export function lever<F extends Record<string, Spec>>(fields: F): ObjectSpec<F & { source: StringSpec }, "source">;
export function lever<F extends Record<string, Spec>, O extends string>(fields: F, optional: readonly O[]): ObjectSpec<F & { source: StringSpec }, O | "source">;
export function lever(fields: Record<string, Spec>, optional: readonly string[] = []): ObjectSpec {
  return { kind: "object", fields: { ...fields, source: str }, optional: [...optional, "source"], lever: true };
}
export const record = <K extends string, S extends Spec>(keys: readonly K[], of: S): RecordSpec<K, S> => ({ kind: "record", keys, of });
/** The same spec under keys the data names (e.g. condition groups of data/case-mix.yaml). */
export const map = <S extends Spec>(of: S, doc?: string): MapSpec<S> => ({ kind: "map", of, ...(doc ? { doc } : {}) });
export const list = <S extends Spec>(of: S, minLength = 0): ListSpec<S> => ({ kind: "list", of, minLength });
/** The same spec with a one-line meaning attached (for groups and shared specs). */
export const doc = <S extends Spec>(text: string, spec: S): S => ({ ...spec, doc: text });

function describe(spec: Spec): string {
  switch (spec.kind) {
    case "number": {
      const kind = spec.integer ? "an integer" : "a number";
      const unit = spec.unit ? ` (${spec.unit})` : "";
      if (spec.min !== undefined && spec.max !== undefined) return `must be ${kind} between ${spec.min} and ${spec.max}${unit}`;
      if (spec.min !== undefined) return `must be ${kind} ≥ ${spec.min}${unit}`;
      if (spec.max !== undefined) return `must be ${kind} ≤ ${spec.max}${unit}`;
      return `must be ${kind}${unit}`;
    }
    case "boolean": return "must be true or false";
    case "string": return "must be a text string";
    case "enum": return `must be one of: ${spec.values.join(", ")}`;
    case "object": return `must be a mapping with keys: ${Object.keys(spec.fields).join(", ")}`;
    case "record": return `must be a mapping with keys: ${spec.keys.join(", ")}`;
    case "map": return "must be a mapping";
    case "list": return "must be a list";
    case "idsOrAll": return `must be "all" or a list of ids`;
    case "bilingual": return "must be text or a mapping {zh: …, en: …}";
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validate `value` against `spec`. Returns problems as `file: path = value: …` lines.
 * With `partial`, missing fields are allowed (for overrides that are merged later).
 */
export function validate(value: unknown, spec: Spec, path: string, file: string, partial = false): string[] {
  const problems: string[] = [];
  const fail = (p: string, v: unknown, msg: string): void => void problems.push(`${file}: ${p} = ${showValue(v)}: ${msg}`);
  const walk = (v: unknown, s: Spec, p: string): void => {
    switch (s.kind) {
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) return fail(p, v, describe(s));
        if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max) || (s.integer && !Number.isInteger(v)))
          fail(p, v, describe(s));
        return;
      case "boolean":
        if (typeof v !== "boolean") fail(p, v, describe(s));
        return;
      case "string":
        if (typeof v !== "string" || v.length === 0) fail(p, v, describe(s));
        return;
      case "enum":
        if (typeof v !== "string" || !s.values.includes(v)) fail(p, v, describe(s));
        return;
      case "bilingual":
        if (typeof v === "string") return;
        if (!isPlainObject(v) || typeof v.zh !== "string" || typeof v.en !== "string") return fail(p, v, describe(s));
        for (const k of Object.keys(v)) {
          // an unquoted comma inside {zh: …, en: …} silently splits the text into a stray key
          if (k !== "zh" && k !== "en") problems.push(`${file}: ${p}.${k}: unknown key; allowed: zh, en (quote text that contains a comma)`);
        }
        return;
      case "idsOrAll":
        if (v === "all") return;
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) fail(p, v, describe(s));
        return;
      case "list":
        if (!Array.isArray(v)) return fail(p, v, describe(s));
        if (s.minLength && v.length < s.minLength) fail(p, v, `must list at least ${s.minLength} item(s)`);
        v.forEach((x, i) => walk(x, s.of, `${p}[${i}]`));
        return;
      case "map":
        if (!isPlainObject(v)) return fail(p, v, describe(s));
        for (const [k, x] of Object.entries(v)) walk(x, s.of, `${p}.${k}`);
        return;
      case "record": {
        if (!isPlainObject(v)) return fail(p, v, describe(s));
        for (const k of Object.keys(v)) {
          if (!s.keys.includes(k)) problems.push(`${file}: ${p}.${k}: unknown key; allowed: ${s.keys.join(", ")}`);
        }
        for (const k of s.keys) {
          if (Object.hasOwn(v, k)) walk(v[k], s.of, `${p}.${k}`);
          else if (!partial) problems.push(`${file}: ${p}.${k}: missing; ${describe(s.of)}`);
        }
        return;
      }
      case "object": {
        if (!isPlainObject(v)) return fail(p, v, describe(s));
        for (const k of Object.keys(v)) {
          // own keys only: `constructor`, `toString`, `__proto__` … are unknown keys, not built-ins
          if (!Object.hasOwn(s.fields, k)) problems.push(`${file}: ${join(p, k)}: unknown key; allowed: ${Object.keys(s.fields).join(", ")}`);
        }
        for (const [k, fs] of Object.entries(s.fields)) {
          if (Object.hasOwn(v, k) && v[k] !== undefined) walk(v[k], fs, join(p, k));
          else if (!partial && !(s.optional ?? []).includes(k)) problems.push(`${file}: ${join(p, k)}: missing; ${describe(fs)}`);
        }
        return;
      }
    }
  };
  walk(value, spec, path);
  return problems;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The spec at a dotted path inside an object spec, or undefined when no such field exists. */
export function specAt(spec: Spec, dotted: string): Spec | undefined {
  let s: Spec | undefined = spec;
  for (const key of dotted.split(".")) {
    if (!s) return undefined;
    if (s.kind === "object") s = Object.hasOwn(s.fields, key) ? s.fields[key] : undefined; // not `toString` & co.
    else if (s.kind === "record") s = s.keys.includes(key) ? s.of : undefined;
    else if (s.kind === "map") s = s.of;
    else return undefined;
  }
  return s;
}

/** Keys allowed at the deepest existing level of a dotted path (for "unknown key" hints). */
export function allowedKeysNear(spec: Spec, dotted: string): string[] {
  let s: Spec | undefined = spec;
  for (const key of dotted.split(".")) {
    const next: Spec | undefined =
      s && s.kind === "object" ? (Object.hasOwn(s.fields, key) ? s.fields[key] : undefined) : s && s.kind === "record" && s.keys.includes(key) ? s.of : s && s.kind === "map" ? s.of : undefined;
    if (!next) break;
    s = next;
  }
  if (s?.kind === "object") return Object.keys(s.fields);
  if (s?.kind === "record") return [...s.keys];
  return [];
}

/** Deep merge for plain objects; arrays and scalars in `over` replace those in `base`. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** Set a value at a dotted path, creating objects as needed (returns a new object). */
export function setPath<T>(target: T, dotted: string, value: unknown): T {
  const keys = dotted.split(".");
  const over: Record<string, unknown> = {};
  let cur = over;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) cur[k] = value;
    else cur = cur[k] = {} as Record<string, unknown>;
  });
  return deepMerge(target, over);
}

export { isPlainObject };
