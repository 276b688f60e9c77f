/**
 * County descriptions the generator cannot build sensibly are refused when loaded, each
 * problem naming the file and the field: facility ids that collide (a hospital named like
 * a township centre or a generated village clinic, whose books would merge), more villages
 * than the kernel indexes, counties too large to run in seconds, townships with fewer
 * residents than villages.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCounty } from "../../sim/scenario/load";
import { QUJING_COUNTY } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { inputProblems } from "../helpers/input-error";

const tmp = tempDir("yigongti-county-");
afterAll(() => tmp.cleanup());
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const countyWith = (name: string, edit: (tree: Record<string, any>) => void) => {
  const tree = parse(readFileSync(QUJING_COUNTY, "utf8"));
  edit(tree);
  return tmp.write(name, stringify(tree, { aliasDuplicateObjects: false }));
};
const problems = (f: string): string[] => inputProblems(() => loadCounty(f));

describe("facility ids are distinct across the county", () => {
  it("a county hospital named like a township centre", () => {
    const f = countyWith("hosp-township.yaml", (t) => (t.countyHospitals[1].id = "t05"));
    expect(problems(f)).toContain(`${f}: countyHospitals[1].id = "t05": already the id of the centre of townships[4] (t05); facility ids must be distinct (village clinics are named <township>-v01, -v02, …)`);
  });
  it("an out-of-county hospital named like a generated village clinic", () => {
    const f = countyWith("out-clinic.yaml", (t) => (t.outOfCounty[0].id = "t01-v01"));
    expect(problems(f).join("\n")).toMatch(/outOfCounty\[0\]\.id = "t01-v01": already the id of a village clinic of townships\[0\] \(t01\)/);
  });
  it("a township named like another township's generated village clinic (the books broke: exit 1)", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = countyWith("township-clinic.yaml", (t: any) => {
      const old = t.townships[11].id;
      t.townships[11].id = "t01-v02";
      for (const m of t.communities) m.townships = m.townships.map((x: string) => (x === old ? "t01-v02" : x));
    });
    expect(problems(f)).toEqual([`${f}: townships[11].id = "t01-v02": already the id of a village clinic of townships[0] (t01); facility ids must be distinct (village clinics are named <township>-v01, -v02, …)`]);
  });
  it("a hospital id used by a county and an out-of-county hospital", () => {
    const f = countyWith("dup-hosp.yaml", (t) => (t.outOfCounty[0].id = t.countyHospitals[0].id));
    expect(problems(f).join("\n")).toMatch(/countyHospitals\/outOfCounty: id "renmin" is used twice \(countyHospitals\[0\]\.id, outOfCounty\[0\]\.id\)/);
  });
});

describe("size bounds", () => {
  it("more villages than the kernel indexes", () => {
    const f = countyWith("villages.yaml", (t) => {
      for (const tw of t.townships) {
        tw.villages = 10_000;
        tw.population = 1_000_000;
      }
    });
    expect(problems(f).join("\n")).toMatch(/townships\[\]\.villages sum to 120000; at most 65535 villages per county are supported/);
  });
  it("a county of a billion residents", () => {
    const f = countyWith("huge.yaml", (t) => (t.townships[0].population = 1e8));
    expect(problems(f).join("\n")).toMatch(/townships\[\]\.population sum to 100,490,000 residents; at most 10,000,000 per county/);
  });
  it("a township with fewer residents than villages", () => {
    const f = countyWith("thin.yaml", (t) => (t.townships[3].population = 5));
    expect(problems(f).join("\n")).toMatch(/townships\[3\]\.population = 5: fewer residents than villages \(\d+\); every village needs a resident/);
  });
  it("a county without a single primary-care doctor (nothing for the primary capacity index to start from)", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = countyWith("no-doctors.yaml", (t) => t.townships.forEach((w: any) => ((w.centre.doctors = 0), (w.villageDoctorsPerClinic = 0))));
    expect(problems(f)).toEqual([`${f}: townships[].centre.doctors and townships[].villageDoctorsPerClinic are 0 in every township: the county has no primary-care doctor, so primary care has no capacity; give at least one township centre (0 to 10,000 doctors) or its village clinics (0 to 100 each) a doctor`]);
    // one township centre with doctors is enough; a township without any is fine
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = countyWith("few-doctors.yaml", (t) => t.townships.forEach((w: any, i: number) => ((w.centre.doctors = i === 2 ? 3 : 0), (w.villageDoctorsPerClinic = 0))));
    expect(() => loadCounty(g)).not.toThrow();
  });
  it("the shipped counties pass", () => {
    expect(() => loadCounty(QUJING_COUNTY)).not.toThrow();
  });
});

describe("keys named like object built-ins are unknown keys, not silently accepted", () => {
  for (const k of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"])
    it(k, () => {
      const f = countyWith(`builtin-${k}.yaml`, (t) => Object.defineProperty(t.townships[0], k, { value: 1, enumerable: true, configurable: true, writable: true }));
      expect(problems(f).join("\n")).toMatch(new RegExp(`townships\\[0\\]\\.${k}: unknown key`));
    });
});

describe("demographics problems name the path as written, with its value: level", () => {
  it("a key or value inside a {value, unit, source} leaf", () => {
    const f = countyWith("builtin-value.yaml", (t) => {
      Object.defineProperty(t.demographics.chronicPrevalence.value, "toString", { value: 1, enumerable: true, configurable: true, writable: true });
      t.demographics.femaleShare.value = 1.5;
    });
    const p = problems(f).join("\n");
    expect(p).toMatch(/demographics\.chronicPrevalence\.value\.toString: unknown/);
    expect(p).toMatch(/demographics\.femaleShare\.value = 1\.5: must be/);
    expect(p).not.toMatch(/demographics\.(chronicPrevalence|femaleShare)[ .](?!value)/);
  });
});

describe("encodings", () => {
  it("a GB18030 file is refused with what it looks like and how to convert it", () => {
    const f = tmp.write("gb.yaml", "");
    // 曲靖 in GB18030, as a spreadsheet on Chinese Windows saves it
    writeFileSync(f, Buffer.concat([Buffer.from("name: "), Buffer.from([0xc7, 0xfa, 0xbe, 0xb8]), Buffer.from("\n")]));
    expect(problems(f)).toEqual([`${f}: not UTF-8 text; it looks like GB18030 (GBK). Save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 ${f} > ${f}.utf8`]);
  });
  it("a UTF-16 file with a byte-order mark is read as it is", () => {
    const f = tmp.write("utf16.yaml", "");
    writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(QUJING_COUNTY, "utf8"), "utf16le")]));
    expect(loadCounty(f).townships[0].name.zh).toBe(loadCounty(QUJING_COUNTY).townships[0].name.zh);
  });
});

describe("YAML aliases", () => {
  it("a county as yaml.stringify writes it, with more than 100 aliases of shared values, loads", () => {
    const tree = parse(readFileSync(QUJING_COUNTY, "utf8"));
    const shared = { zh: "乡", en: "Township" };
    const extra = Array.from({ length: 120 }, (_, i) => ({ ...tree.townships[2], id: `x${i}`, name: shared, population: 1000, villages: 2 }));
    tree.townships.push(...extra);
    tree.communities[1].townships.push(...extra.map((t) => t.id));
    const text = stringify(tree); // aliasDuplicateObjects by default: *a1 for every repeat
    expect((text.match(/\*a\d+/g) ?? []).length).toBeGreaterThan(100);
    const f = tmp.write("aliased.yaml", text);
    expect(loadCounty(f).townships).toHaveLength(12 + 120);
  });
  it("an alias with no anchor names the file, line and column", () => {
    const text = readFileSync(QUJING_COUNTY, "utf8").replace("name: qujing-like", "name: *nothere");
    const line = text.split("\n").findIndex((l) => l.startsWith("name: *nothere")) + 1; // the line where the alias is written
    const f = tmp.write("unresolved.yaml", text);
    expect(line).toBeGreaterThan(1);
    expect(problems(f)).toEqual([`${f}:${line}:7 YAML alias *nothere: no anchor &nothere is set before it (an alias repeats an earlier value marked &nothere)`]);
  });
  it("an alias bomb (aliases of aliases) is refused before it fills memory", () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]`)];
    const f = tmp.write("bomb.yaml", `${levels.join("\n")}\n`);
    expect(problems(f)).toEqual([`${f}: YAML aliases (*name) expand to more than 100,000 values; write the values out instead of nesting aliases of aliases`]);
  });
});
