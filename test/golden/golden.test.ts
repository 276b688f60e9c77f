import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GOLDEN_FILE, goldenSnapshot } from "./golden";

describe("regression golden: baseline-2018 yearly indicators", () => {
  it("matches test/golden/baseline-2018.json exactly (update with `npm run golden:update` and a CHANGELOG entry)", () => {
    expect(existsSync(GOLDEN_FILE)).toBe(true);
    const golden = JSON.parse(readFileSync(GOLDEN_FILE, "utf8"));
    // Through JSON so both sides have the same number formatting (exact to the bit).
    expect(JSON.parse(JSON.stringify(goldenSnapshot()))).toEqual(golden);
  });
});
