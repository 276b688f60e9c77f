/**
 * The explorer bundle's sha256 (sim/explore/shims/crypto.ts, on @noble/hashes) gives the
 * digest node:crypto gives — so a scenario resolved in the page has the content hash the
 * CLI records for the same scenario file.
 */
import { createHash as nodeHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHash } from "../../sim/explore/shims/crypto";
import { canonicalJson, loadScenario } from "../../sim/scenario/load";

const node = (s: string) => nodeHash("sha256").update(s).digest("hex");

describe("explorer sha256 shim", () => {
  it("matches node:crypto on ASCII, CJK, empty, long and multi-part input", () => {
    const s = loadScenario("scenarios/capitation-package.yaml");
    const texts = ["", "abc", "医共体按人头总额打包付费（曲靖）", "x".repeat(100_003), canonicalJson({ county: s.county, parameters: s.parameters, basePolicy: s.basePolicy })];
    for (const t of texts) expect(createHash("sha256").update(t).digest("hex")).toBe(node(t));
    expect(createHash("sha256").update("医共体").update(new TextEncoder().encode("打包")).digest("hex")).toBe(node("医共体打包"));
  });

  it("refuses what it does not implement instead of giving a wrong digest", () => {
    expect(() => createHash("md5")).toThrow(/only sha256/);
    expect(() => createHash("sha256").update("a").digest("base64")).toThrow(/only hex/);
  });
});
