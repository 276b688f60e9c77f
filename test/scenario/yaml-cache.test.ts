/**
 * parseYamlText keeps what it parsed (sim/scenario/load.ts parsedTexts): the same text is
 * not parsed again, yet every caller gets its own copy, a changed text is parsed afresh,
 * and a text with errors is refused every time it is read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/scenario/errors";
import { parseYamlText, readYaml } from "../../sim/scenario/load";

describe("parsed YAML texts kept for the next reader", () => {
  it("hands each caller its own copy: changing one leaves the next untouched", () => {
    const text = "a: {b: [1, 2, 3]}\nc: text\n";
    const first = parseYamlText(text, "x.yaml") as { a: { b: number[] }; c: string };
    first.a.b.push(4);
    first.c = "changed";
    const second = parseYamlText(text, "x.yaml");
    expect(second).toEqual({ a: { b: [1, 2, 3] }, c: "text" });
    expect(second).not.toBe(first);
  });

  it("parses a file again once its text changes", () => {
    const file = join(mkdtempSync(join(tmpdir(), "yaml-cache-")), "p.yaml");
    writeFileSync(file, "value: 1\n");
    expect(readYaml(file, "parameter")).toEqual({ value: 1 });
    writeFileSync(file, "value: 2\n");
    expect(readYaml(file, "parameter")).toEqual({ value: 2 });
  });

  it("refuses a text with errors each time, naming the file", () => {
    for (const name of ["one.yaml", "two.yaml"]) {
      let problems: string[] = [];
      try {
        parseYamlText("a: 1\na: 2\n", name);
      } catch (e) {
        if (e instanceof InputError) problems = e.problems;
      }
      expect(problems.join("\n")).toMatch(new RegExp(`^${name.replace(".", "\\.")}:2:1 YAML syntax error`));
    }
  });

  it("keeps YAML's values as parsed: numbers, nulls, nested lists, keys in order", () => {
    const text = "z: 1.5e-3\ny: null\nx: [[1, {k: true}], -0.25]\n";
    const a = parseYamlText(text, "o.yaml");
    const b = parseYamlText(text, "o.yaml");
    expect(b).toEqual({ z: 0.0015, y: null, x: [[1, { k: true }], -0.25] });
    expect(Object.keys(b as object)).toEqual(["z", "y", "x"]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
