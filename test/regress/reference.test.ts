import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exactDifferences, sortBySize } from "../../sim/regress/exact";
import { REFERENCE_FORMAT, readReference, writeReference, type Reference, type ScenarioTables } from "../../sim/regress/reference";
import { tempDir, type TempDir } from "../helpers/tmp";
import { inputProblems } from "../helpers/input-error";

const tables = (): ScenarioTables => ({
  yearly: [
    { period: "2018", values: { primaryVisitShare: 0.537513945158828, downwardReferralGrowth: null, tiny: 1e-300, negZero: -0 } },
    { period: "2019", values: { primaryVisitShare: 0.5301, downwardReferralGrowth: 0.125, tiny: 5e-324, negZero: 0 } },
  ],
  monthly: [{ period: "2018-01", values: { primaryVisitShare: 0.1 + 0.2 } }],
  counters: [{ period: "2018", values: { visitsVillage: 123456789.12345679, residents: 30000 } }, { period: "2019", values: { visitsVillage: 1, residents: 30000 } }],
  ensemble: [
    [{ period: "2018", values: { primaryVisitShare: 0.537513945158828 } }, { period: "2019", values: { primaryVisitShare: 0.5301 } }],
    [{ period: "2018", values: { primaryVisitShare: 0.54 } }, { period: "2019", values: { primaryVisitShare: null } }],
  ],
});
const reference = (): Reference => ({
  format: REFERENCE_FORMAT,
  model: { version: "0.2.0", fingerprint: "0.2.0+abcdef123456", node: "v20.0.0" },
  settings: { seed: 7, seeds: 2, scale: 0.05, years: null },
  command: "yigongti regress record …",
  scenarios: [{ name: "s", file: "s.yaml", dir: "s", hash: "h", county: "c.yaml", start: "2018-01", years: 2, residents: 30000 }],
});

let t: TempDir;
afterEach(() => t?.cleanup());

const problems = (dir: string): string[] => inputProblems(() => readReference(dir));

describe("reference files", () => {
  it("read back every value to the bit (nulls, −0, subnormals, long decimals)", () => {
    t = tempDir();
    writeReference(t.dir, reference(), new Map([["s", tables()]]));
    const back = readReference(t.dir);
    expect(back.reference).toEqual(reference());
    const b = back.tables.get("s")!;
    const want = tables();
    expect(b).toEqual(want);
    expect(Object.is(b.yearly[0].values.negZero, -0)).toBe(true);
    expect(b.yearly[1].values.tiny).toBe(5e-324);
    expect(exactDifferences("s", want, b, [7, 8])).toEqual([]);
  });
  it("are diff-friendly: one value per line, stable order, seeds as columns", () => {
    t = tempDir();
    writeReference(t.dir, reference(), new Map([["s", tables()]]));
    expect(readFileSync(join(t.dir, "s/yearly.csv"), "utf8").split("\n").slice(0, 3)).toEqual(["period,indicator,value", "2018,primaryVisitShare,0.537513945158828", "2018,downwardReferralGrowth,"]);
    expect(readFileSync(join(t.dir, "s/ensemble.csv"), "utf8").split("\n")[0]).toBe("period,indicator,seed_7,seed_8");
  });
  it("re-recording with fewer scenarios removes the old scenario folders", () => {
    t = tempDir();
    const two = { ...reference(), scenarios: [...reference().scenarios, { ...reference().scenarios[0], name: "u", dir: "u" }] };
    writeReference(t.dir, two, new Map([["s", tables()], ["u", tables()]]));
    writeReference(t.dir, reference(), new Map([["s", tables()]]));
    expect(() => readFileSync(join(t.dir, "u/yearly.csv"))).toThrow();
  });
});

describe("bad reference folders get clear errors naming the file and the field", () => {
  const fresh = () => {
    t = tempDir();
    writeReference(t.dir, reference(), new Map([["s", tables()]]));
    return t.dir;
  };
  it("no folder, not a reference, empty", () => {
    t = tempDir();
    expect(problems(join(t.dir, "nope"))[0]).toMatch(/nope: no such reference folder; record one with yigongti regress record/);
    writeFileSync(join(t.dir, "x.txt"), "");
    expect(problems(t.dir)[0]).toMatch(/reference\.json: missing — .* is not a regression reference \(it holds x\.txt\)/);
  });
  it("reference.json that is not JSON, the wrong format, or has bad fields", () => {
    const dir = fresh();
    const f = join(dir, "reference.json");
    writeFileSync(f, "{ not json");
    expect(problems(dir)[0]).toMatch(/reference\.json: not valid JSON/);
    const bad = { ...reference(), format: "other/2", settings: { seed: -1, seeds: 0, scale: 2, years: 0 }, scenarios: [{ ...reference().scenarios[0], dir: "../x", years: 0 }] };
    writeFileSync(f, JSON.stringify(bad));
    const p = problems(dir);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/reference\.json: format = "other\/2": must be "yigongti-regress\/1"/),
        expect.stringMatching(/reference\.json: settings\.seed = -1: must be a whole number ≥ 0/),
        expect.stringMatching(/reference\.json: settings\.seeds = 0: must be a whole number ≥ 1/),
        expect.stringMatching(/reference\.json: settings\.scale = 2: must be a number greater than 0 and at most 1/),
        expect.stringMatching(/reference\.json: settings\.years = 0: must be null/),
        expect.stringMatching(/reference\.json: scenarios\[0\]\.dir = "\.\.\/x": must be a plain folder name/),
        expect.stringMatching(/reference\.json: scenarios\[0\]\.years = 0: must be a whole number ≥ 1/),
      ]),
    );
  });
  it("a missing or damaged table", () => {
    const dir = fresh();
    rmSync(join(dir, "s/monthly.csv"));
    expect(problems(dir)[0]).toMatch(/s\/monthly\.csv: cannot read \(ENOENT\); the reference is incomplete/);
    const dir2 = fresh();
    writeFileSync(join(dir2, "s/yearly.csv"), "period,indicator,value\n2018,primaryVisitShare,abc\n");
    expect(problems(dir2)[0]).toMatch(/s\/yearly\.csv: row 2, column value = "abc": must be a number or empty/);
    writeFileSync(join(dir2, "s/yearly.csv"), "period,value\n");
    expect(problems(dir2)[0]).toMatch(/s\/yearly\.csv: header "period,value": must be period,indicator,value/);
    const dir3 = fresh();
    writeFileSync(join(dir3, "s/ensemble.csv"), "period,indicator,seed_1,seed_2\n");
    expect(problems(dir3)[0]).toMatch(/s\/ensemble\.csv: header .*: must be period,indicator,seed_7,seed_8 \(the 2 seeds of reference\.json\)/);
    const dir4 = fresh();
    writeFileSync(join(dir4, "s/yearly.csv"), "period,indicator,value\n2018,primaryVisitShare,0.5\n");
    expect(problems(dir4)[0]).toMatch(/s\/yearly\.csv: has 1 years, but .*reference\.json scenarios\[0\]\.years = 2/);
  });
});

describe("exact differences", () => {
  it("name every changed value, old → new, absolute and relative, largest first", () => {
    const ref = tables();
    const now = tables();
    now.yearly[1].values.primaryVisitShare = 0.5302; // +0.0189%
    now.counters[0].values.visitsVillage = 2 * 123456789.12345679; // +100%
    now.yearly[0].values.downwardReferralGrowth = 0.1; // was empty
    delete (now.monthly[0].values as Record<string, unknown>).primaryVisitShare; // removed
    now.monthly[0].values.newIndicator = 1; // added
    now.ensemble[1][0].values.primaryVisitShare = 0.541;
    const d = exactDifferences("s", ref, now, [7, 8]);
    expect(d.map((x) => [x.table, x.period, x.id, x.kind])).toEqual([
      ["monthly", "2018-01", "newIndicator", "added"],
      ["monthly", "2018-01", "primaryVisitShare", "removed"],
      ["yearly", "2018", "downwardReferralGrowth", "now has a value"],
      ["counters", "2018", "visitsVillage", "changed"],
      ["seed 8", "2018", "primaryVisitShare", "changed"],
      ["yearly", "2019", "primaryVisitShare", "changed"],
    ]);
    const big = d.find((x) => x.id === "visitsVillage")!;
    expect(big.absolute).toBe(123456789.12345679);
    expect(big.relative).toBe(1);
    const small = d.find((x) => x.table === "yearly" && x.id === "primaryVisitShare")!;
    expect(small.old).toBe(0.5301);
    expect(small.new).toBe(0.5302);
    expect(small.relative).toBeCloseTo(0.0001 / 0.5301, 12);
  });
  it("a change from 0 sorts as infinitely large", () => {
    const mk = (old: number, now: number, id: string) => ({ scenario: "s", table: "yearly" as const, period: "2018", id, old, new: now, absolute: now - old, relative: old === 0 ? Infinity : (now - old) / Math.abs(old), kind: "changed" as const });
    expect(sortBySize([mk(1, 2, "a"), mk(0, 0.001, "b"), mk(10, 11, "c")]).map((x) => x.id)).toEqual(["b", "a", "c"]);
  });
});
