import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validate } from "../../sim/scenario/schema";

describe("bilingual text fields", () => {
  it("accept plain text or {zh, en}", () => {
    expect(validate("标题", { kind: "bilingual" }, "title", "x.yaml")).toEqual([]);
    expect(validate({ zh: "标题", en: "Title" }, { kind: "bilingual" }, "title", "x.yaml")).toEqual([]);
  });

  it("reject the stray key an unquoted comma makes inside {zh: …, en: …}", () => {
    const title = parse("title: {zh: 基线, en: Baseline (2018, fee-for-service)}").title;
    const problems = validate(title, { kind: "bilingual" }, "title", "x.yaml");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^x\.yaml: title\.fee-for-service\): unknown key; allowed: zh, en/);
  });
});
