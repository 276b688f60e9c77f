/**
 * Parameters and policy are declared once (sim/parameters.ts, sim/policy.ts): the
 * TypeScript types are derived from the declarations, and every leaf says what it means.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { PARAMETERS_SPEC, type Parameters } from "../../sim/parameters";
import { POLICY_SPEC, type Policy } from "../../sim/policy";
import { int, lever, num, obj, oneOf, record, type Infer, type Spec } from "../../sim/scenario/schema";
import type { Severity } from "../../sim/tier";

/** Every leaf path with the doc of the leaf or of its nearest documented group. */
function leaves(spec: Spec, path = "", inherited?: string): { path: string; spec: Spec; doc?: string }[] {
  const d = spec.doc ?? inherited;
  if (spec.kind === "object") return Object.entries(spec.fields).flatMap(([k, s]) => leaves(s, path ? `${path}.${k}` : k, d));
  if (spec.kind === "record") return spec.keys.flatMap((k) => leaves(spec.of, `${path}.${k}`, d));
  if (spec.kind === "map") return leaves(spec.of, `${path}.*`, d);
  return [{ path, spec, doc: d }];
}

describe("the types are derived from the declarations", () => {
  it("Infer maps numbers, switches, choices, tables and optional fields", () => {
    const s = obj({ a: num(0, 1), b: oneOf("x", "y"), c: record(["p", "q"] as const, int(0, 3)), d: lever({ e: { kind: "boolean" } }) });
    expectTypeOf<Infer<typeof s>>().toEqualTypeOf<{ a: number; b: "x" | "y"; c: { p: number; q: number }; d: { e: boolean; source?: string } }>();
  });

  it("Parameters and Policy keep the shapes the engine reads", () => {
    expectTypeOf<Parameters["capability"]["outpatient"]["village"]>().toEqualTypeOf<Severity | "none">();
    expectTypeOf<Parameters["choice"]["tierConstant"]>().toEqualTypeOf<{ village: number; township: number; county: number; outOfCounty: number }>();
    expectTypeOf<Parameters["staff"]["exit"]["county"]>().toEqualTypeOf<{ intercept: number; payElasticity: number; workloadElasticity: number }>();
    expectTypeOf<Policy["payment"]["capitation"]["communities"]>().toEqualTypeOf<"all" | string[]>();
    expectTypeOf<Policy["payment"]["regime"]>().toEqualTypeOf<"feeForService" | "capitation" | "perDisease" | "drg" | "perDiem">();
    // a case-based scheme's terms may be left out where its regime is not used
    expectTypeOf<undefined>().toMatchTypeOf<Policy["payment"]["perDisease"]>();
    expectTypeOf<Policy["insurance"]["bypass"]["source"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("every leaf is documented where it is declared", () => {
  for (const [name, spec] of [["parameters", PARAMETERS_SPEC], ["policy", POLICY_SPEC]] as const) {
    it(`${name}: every leaf (but a lever's source) has a meaning, every number a range`, () => {
      const all = leaves(spec).filter((l) => !l.path.endsWith(".source"));
      expect(all.length).toBeGreaterThan(40);
      expect(all.filter((l) => !l.doc).map((l) => l.path)).toEqual([]);
      expect(all.filter((l) => l.spec.kind === "number" && (l.spec.min === undefined || l.spec.max === undefined)).map((l) => l.path)).toEqual([]);
    });
  }

  it("numeric parameters state a unit", () => {
    const missing = leaves(PARAMETERS_SPEC).filter((l) => l.spec.kind === "number" && !l.spec.unit && !(l.spec.min === 0 && l.spec.max === 1));
    expect(missing.map((l) => l.path)).toEqual([]);
  });
});
