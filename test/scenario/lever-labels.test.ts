/**
 * Levers in plain words (sim/scenario/lever-labels.ts, data/lever-labels.yaml): every
 * path a shipped scenario sets, and every part of a starting policy that carries a
 * source, has words in both languages; a change reads as the briefing prints it; an
 * unknown path still reads as words; a broken table is an error naming the entry.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { policySources, sourceInWords, timelineInWords } from "../../sim/brief/sources";
import { InputError } from "../../sim/scenario/errors";
import { findLever, groupName, leverChange, leverName, leverValue, loadLeverTable, setLeaves } from "../../sim/scenario/lever-labels";
import { loadScenario } from "../../sim/scenario/load";
import { ROOT, removeTempDirs, tempDir } from "../cli/cli";

afterAll(removeTempDirs);
const scenarios = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => loadScenario(join(ROOT, "scenarios", f)));

describe("lever labels", () => {
  it("name every lever the shipped scenarios set, and every sourced part of their starting policies", () => {
    const paths = [...new Set(scenarios.flatMap((s) => s.timeline.flatMap((t) => setLeaves(t.set).map(([p]) => p))))].sort();
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !findLever(`policy.${p}`))).toEqual([]);
    const groups = [...new Set(scenarios.flatMap((s) => policySources(s.basePolicy).map((l) => l.path)))];
    const table = loadLeverTable();
    expect(groups.filter((g) => !table.groups[g === "(policy)" ? "policy" : `policy.${g}`])).toEqual([]);
    for (const p of paths) for (const lang of ["zh", "en"] as const) expect(leverName(p, lang), p).not.toMatch(/\.|\{|·/);
  });

  it("word a change with its values before → after and its month, as the briefing prints it", () => {
    const jan2019 = { year: 2019, month: 1 };
    expect(leverChange("insurance.resident.inpatient.rate.township", 0.85, 0.9, jan2019, "zh")).toBe("乡镇卫生院住院报销比例 85% → 90%，2019年1月起");
    expect(leverChange("insurance.resident.inpatient.rate.township", 0.85, 0.9, jan2019, "en")).toBe("Township centre inpatient reimbursement rate 85% → 90% from Jan 2019");
    expect(leverChange("insurance.resident.inpatient.deductible.county", 600, 700, jan2019, "zh")).toBe("县级医院住院起付线 600元 → 700元，2019年1月起");
    expect(leverChange("payment.regime", "feeForService", "capitation", { year: 2019, month: 3 }, "en")).toBe("How the medical communities are paid fee for service → capitation package from Mar 2019");
    expect(leverChange("familyDoctor.primaryRateBonus", 0, 0.05, null, "zh")).toBe("签约居民基层门诊报销比例提高 0个百分点 → +5个百分点");
    expect(leverValue("insurance.referralRules.greenChannel", true, "zh")).toBe("实行");
    // a parameter swept in an experiment, and a path the table does not know: words, never a dotted path
    expect(leverName("choice.habit", "en", "parameters")).toBe("Choice: weight of habit");
    expect(leverName("policy.payment.capitation.someNewLever", "en")).toBe("payment · capitation · some new lever");
    expect(groupName("insurance.resident", "zh")).toMatch(/^城乡居民医保/);
  });

  it("take the value before a change from the starting policy and the earlier changes", () => {
    const full = scenarios.find((s) => s.name === "full-package-qujing")!;
    const lines = timelineInWords(full, "zh").flatMap((c) => c.changes);
    expect(lines).toContain("乡镇卫生院住院报销比例 85% → 90%，2019年1月起");
    // 2020-01 raises coverage again: its "before" is the 2019 value, not the starting one
    const general = lines.filter((l) => l.startsWith("家庭医生签约率（一般人群）"));
    expect(general).toHaveLength(2);
    expect(general[1]).toMatch(/^家庭医生签约率（一般人群） 35% → 55%，2020年1月起$/);
  });

  it("name seed documents by their titles", () => {
    expect(sourceInWords("000_d976d86ac1f892b7.txt §二(二) (总额预拨); 002_cfc78cb0d70fb95d.txt §9", "zh")).toBe("《曲靖市关于推进县域综合医改的实施意见（试行）》§二(二) (总额预拨); 《江门高新区（江海区）深化医药卫生体制综合改革实施方案》§9");
    expect(sourceInWords("000_d976d86ac1f892b7.txt §二(二); 003 §三; see differential-reimbursement.yaml", "en")).toBe("Qujing 2019 §二(二); Nanyang 2021 §三; see “Differential reimbursement by tier”");
  });

  it("a broken table is an input error naming the file and the entry", () => {
    const f = join(tempDir(), "labels.yaml");
    writeFileSync(f, "words: {}\ngroups: {}\nlevers:\n  policy.x: {unit: percent, zh: 甲, en: a}\n  insurance.y: {unit: share, zh: 乙}\n");
    expect(() => loadLeverTable(f)).toThrow(InputError);
    expect(() => loadLeverTable(f)).toThrow(/labels\.yaml: levers\."policy\.x"\.unit = "percent": must be one of share, points/);
    expect(() => loadLeverTable(f)).toThrow(/levers\."insurance\.y": a path starts with policy\. or parameters\./);
  });
});
