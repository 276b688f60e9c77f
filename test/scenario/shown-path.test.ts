/** How error messages name a file (sim/scenario/errors.ts shownPath): never an empty name. */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadScenario } from "../../sim/scenario/load";
import { shownPath } from "../../sim/scenario/errors";

describe("shownPath", () => {
  it("relative inside the working directory, as given outside it, and the working directory itself as given (not empty)", () => {
    const cwd = process.cwd();
    expect(shownPath(join(cwd, "scenarios", "x.yaml"))).toBe(join("scenarios", "x.yaml"));
    expect(shownPath("/elsewhere/x.yaml")).toBe("/elsewhere/x.yaml");
    expect(shownPath(cwd)).toBe(cwd);
    expect(shownPath(cwd + "/")).toBe(cwd + "/");
  });

  it("a scenario path naming the working directory is an error that names it", () => {
    expect(() => loadScenario(process.cwd())).toThrow(`${process.cwd()}: scenario file expected, but this is a directory`);
  });
});
