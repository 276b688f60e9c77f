/**
 * Mutations of a YAML input file for the fuzz suite: structural (a key deleted, an unknown
 * key added, a value of the wrong type or out of range, an id duplicated or renamed, a key
 * named like an object built-in) and textual (truncated, a syntax error, a legacy
 * encoding). Driven by fast-check, seeded, so every run tries the same cases.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { parse, stringify } from "yaml";
import { InputError } from "../../sim/scenario/errors";

type Tree = unknown;
export type Path = (string | number)[];

/** Every path into the tree (objects, arrays and leaves), root excluded. */
export function paths(t: Tree, at: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(t)) t.forEach((v, i) => out.push([...at, i], ...paths(v, [...at, i])));
  else if (t && typeof t === "object") for (const [k, v] of Object.entries(t)) out.push([...at, k], ...paths(v, [...at, k]));
  return out;
}

function parentOf(t: Tree, p: Path): Record<string | number, unknown> {
  let cur = t as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  return cur;
}

const WEIRD_VALUES: unknown[] = [
  null, "", "abc", -1, 0, 1e12, -1e12, 0.5, 1.5, 2, true, [], {}, [1, 2], { x: 1 }, "2019-13", "1e400", 65536, 120000, "t01", "t01-v01",
];
const BUILTIN_KEYS = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf"];

export interface Mutation {
  describe: string;
  /** the mutated file's bytes */
  bytes: Buffer;
  /** the file is invalid by construction: it must be refused with a problem matching this */
  mustRefuse?: RegExp;
}

/** fast-check prints a counterexample by its description, not its bytes. */
const named = (m: Mutation): Mutation => Object.assign(m, { [fc.toStringMethod]: () => m.describe });

const structural = (text: string) => {
  const tree = parse(text) as Tree;
  const all = paths(tree);
  return fc.oneof(
    fc.record({ p: fc.constantFrom(...all) }).map(({ p }) => ({ kind: "delete" as const, p, v: undefined as unknown, k: "" })),
    fc.record({ p: fc.constantFrom(...all), v: fc.constantFrom(...WEIRD_VALUES) }).map(({ p, v }) => ({ kind: "replace" as const, p, v, k: "" })),
    fc.record({ p: fc.constantFrom(...all.filter((q) => typeof q[q.length - 1] === "string")), k: fc.constantFrom("unknownKey", ...BUILTIN_KEYS) }).map(({ p, k }) => ({ kind: "add" as const, p, v: undefined as unknown, k })),
  ).map((m): Mutation => {
    const t = parse(text) as Tree;
    const parent = parentOf(t, m.p);
    const last = m.p[m.p.length - 1];
    let describe: string;
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      describe = `delete ${m.p.join(".")}`;
    } else if (m.kind === "replace") {
      parent[last] = m.v;
      describe = `${m.p.join(".")} = ${JSON.stringify(m.v)}`;
    } else {
      // define, not assign: `__proto__` must become an own key as a YAML file would make it
      Object.defineProperty(parent, m.k, { value: 1, enumerable: true, configurable: true, writable: true });
      describe = `add ${[...m.p.slice(0, -1), m.k].join(".")}`;
    }
    return named({ describe, bytes: Buffer.from(stringify(t, { aliasDuplicateObjects: false }), "utf8"), ...(m.kind === "add" ? { mustRefuse: /unknown (key|field)/ } : {}) });
  });
};

const textual = (text: string) =>
  fc.oneof(
    fc.integer({ min: 0, max: text.length - 1 }).map((n) => named({ describe: `truncated at ${n}`, bytes: Buffer.from(text.slice(0, n), "utf8") })),
    fc.record({ at: fc.integer({ min: 0, max: text.length }), s: fc.constantFrom(": :", "\t", "{", "]", "- - x", "*undefinedAlias", "&a [1]\n", "\u0000", "'") }).map(
      ({ at, s }) => named({ describe: `insert ${JSON.stringify(s)} at ${at}`, bytes: Buffer.from(text.slice(0, at) + s + text.slice(at), "utf8") }),
    ),
    fc.constant<Mutation>(named({ describe: "Windows-1252/Latin-1 bytes", bytes: Buffer.from(text.replace(/[^\x00-\x7f]/g, "é"), "latin1"), mustRefuse: /not UTF-8 text; it looks like/ })),
    fc.constant<Mutation>(named({ describe: "UTF-16LE with BOM", bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]) })),
    fc.constant<Mutation>(named({ describe: "name: *nothere (an alias without an anchor)", bytes: Buffer.from(text.replace(/^name: .*$/m, "name: *nothere"), "utf8"), mustRefuse: /YAML alias \*nothere: no anchor/ })),
    fc.constant<Mutation>(named({ describe: "an alias bomb appended", bytes: Buffer.from(`${text}\n${BOMB}`, "utf8"), mustRefuse: /YAML aliases \(\*name\) expand to more than/ })),
  );

/** Nine levels of aliases of aliases: 10⁹ values once expanded. */
const BOMB = ["b0: &b0 [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `b${i + 1}: &b${i + 1} [${Array(10).fill(`*b${i}`).join(", ")}]`)].join("\n") + "\n";

/** A mutation made by editing the parsed tree (for the domain cases each suite adds). */
export function edited(text: string, describe: string, edit: (tree: Record<string, unknown>) => void, mustRefuse?: RegExp): Mutation {
  const t = parse(text) as Record<string, unknown>;
  edit(t);
  return named({ describe, bytes: Buffer.from(stringify(t, { aliasDuplicateObjects: false }), "utf8"), ...(mustRefuse ? { mustRefuse } : {}) });
}

/**
 * An arbitrary mutation of the YAML file `text`: structural 3 times in 4, textual
 * otherwise — and, when given, one of the suite's own domain cases (`extra`) as often as
 * a textual one.
 */
export function mutationOf(text: string, extra: readonly Mutation[] = []): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { arbitrary: structural(text), weight: 3 },
    { arbitrary: textual(text), weight: 1 },
    ...(extra.length ? [{ arbitrary: fc.constantFrom(...extra), weight: 1 }] : []),
  );
}

/** Every indicator of a simulated run is a finite number or null (no value) — never NaN or ∞, which CSV writes as an empty cell. */
export function nonFiniteIndicators(periods: readonly { period: string; values: Record<string, { value: number | null }> }[]): string[] {
  const bad: string[] = [];
  for (const p of periods) for (const [id, v] of Object.entries(p.values)) if (v.value !== null && !Number.isFinite(v.value)) bad.push(`${p.period} ${id} = ${v.value}`);
  return bad;
}

/**
 * Try one mutant: `run` (load, and simulate what loads) either succeeds — and the mutant
 * must not be one to refuse — or throws an InputError whose every problem names a file
 * (`namesAFile`) and, for a mutant to refuse, matches its `mustRefuse`. Anything else fails,
 * naming the mutation.
 */
export function ranOrRefused(m: Mutation, run: () => void, namesAFile: RegExp): "ran" | "refused" {
  try {
    run();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${m.describe}: ${(e as Error).stack}`);
    for (const p of e.problems) expect(p, `${m.describe}: the problem names no file`).toMatch(namesAFile);
    if (m.mustRefuse) expect(e.problems.join("\n"), m.describe).toMatch(m.mustRefuse);
    return "refused";
  }
  expect(m.mustRefuse, `${m.describe}: an invalid file was accepted`).toBeUndefined();
  return "ran";
}
