/**
 * README.md's figures are generated from the committed regression references
 * (scripts/readme/figures.ts), which test/regress/project.test.ts re-runs: so the README
 * cannot quote a number the model no longer produces.
 */
import { describe, expect, it } from "vitest";
import { generatedBlocks, readmeText, withGeneratedBlocks } from "../scripts/readme/figures";

describe("README figures", () => {
  it("every generated block is current (npm run docs:figures rewrites them)", () => {
    const text = readmeText();
    expect(withGeneratedBlocks(text, generatedBlocks()) === text, "README.md's generated figures are stale: run npm run docs:figures").toBe(true);
  });
  it("a block without a generator, or a generator without a block, is an error", () => {
    expect(() => withGeneratedBlocks("<!-- generated:nope -->\nx\n<!-- end generated:nope -->", {})).toThrow(/generated block "nope" has no generator/);
    expect(() => withGeneratedBlocks("no blocks", { a: "x" })).toThrow(/no generated block for a/);
    expect(withGeneratedBlocks("a\n<!-- generated:t (from x) -->\nold\n<!-- end generated:t -->\nb", { t: "new" })).toBe("a\n<!-- generated:t (from x) -->\nnew\n<!-- end generated:t -->\nb");
  });
});
