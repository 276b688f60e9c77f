/**
 * The explorer's levers: each offered path is a lever of the loader's specs with a
 * bilingual label, and a setting saved as YAML loads (through the CLI's loader) to the
 * scenario the page ran — same content hash as extend() with the same changes.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LEVER_GROUPS, leverControl, offeredValues, settingChanges, settingYaml, startingValue, type Setting } from "../../sim/explore/levers";
import { explorerBaseline } from "../../sim/explore/baseline";
import { findLever, loadLeverTable } from "../../sim/scenario/lever-labels";
import { canonicalPath } from "../../sim/scenario/overrides";
import { extend, loadScenario } from "../../sim/scenario/load";

describe("explorer levers", () => {
  const table = loadLeverTable();
  const paths = LEVER_GROUPS.flatMap((g) => g.paths);

  it("offers only levers of the specs, each with a zh/en label and a starting value in every shipped scenario", () => {
    const s = loadScenario("scenarios/capitation-package.yaml");
    expect(paths.length).toBeGreaterThanOrEqual(25);
    for (const f of readdirSync("scenarios").filter((n) => n.endsWith(".yaml"))) {
      const sc = loadScenario(join("scenarios", f));
      for (const p of paths) expect(startingValue(sc, p, { year: sc.start.year + 1, month: 1 }), `${f}: ${p}`).not.toBeUndefined();
    }
    for (const p of paths) {
      const c = leverControl(p);
      expect(findLever(canonicalPath(p, "policy"), table), p).not.toBeNull();
      const v = startingValue(s, p, { year: 2019, month: 1 });
      expect(typeof v === (c.kind === "enum" ? "string" : c.kind), p).toBe(true);
      if (c.kind === "number") expect(v as number, p).toBeGreaterThanOrEqual(c.min!), expect(v as number, p).toBeLessThanOrEqual(c.max!);
    }
    expect(() => leverControl("insurance.resident.inpatient.rate.nowhere")).toThrow(/not a path of the policy/);
    // the regime offers the schemes whose terms the scenario sets
    expect(offeredValues(s, leverControl("payment.regime"), { year: 2019, month: 1 })).toEqual(["feeForService", "capitation"]);
    expect(offeredValues(loadScenario("scenarios/wuhua-drg-pilot.yaml"), leverControl("payment.regime"), { year: 2021, month: 1 })).toContain("drg");
  });

  it("the siphon verdict's baseline is the chain's first scenario on the same county and start year", () => {
    expect(explorerBaseline(loadScenario("scenarios/wuhua-drg-pilot.yaml"))).toBe("scenarios/wuhua-baseline.yaml");
    expect(explorerBaseline(loadScenario("scenarios/capitation-package.yaml"))).toBe("scenarios/baseline-2018.yaml");
    expect(explorerBaseline(loadScenario("scenarios/baseline-2018.yaml"))).toBe("scenarios/baseline-2018.yaml");
  });

  it("a saved setting loads to the scenario the page ran (same hash), its levers in force from the chosen month", () => {
    const start = loadScenario("scenarios/capitation-package.yaml");
    const setting: Setting = { moved: { "payment.capitation.surplusRetainedShare": 0.5, "familyDoctor.coverage.general": 0.4, "parameters.leadHospital.responsiveness": 0.8 }, from: { year: 2019, month: 7 } };
    const inPage = extend(start, settingChanges(start, setting, "2026-12-01"), { label: "explorer" });
    const dir = mkdtempSync(join(tmpdir(), "yigongti-levers-"));
    try {
      const file = join(dir, "saved.yaml");
      writeFileSync(file, settingYaml(start, resolve("scenarios/capitation-package.yaml"), setting, "2026-12-01"));
      const saved = loadScenario(file);
      expect(saved.hash).toBe(inPage.hash);
      // the day it was set is in the description, not in the hashed content
      expect(extend(start, settingChanges(start, setting, "2027-01-31"), { label: "explorer" }).hash).toBe(inPage.hash);
      expect(saved.hash).not.toBe(start.hash);
      expect(saved.parameters.leadHospital.responsiveness).toBe(0.8);
      expect(startingValue(saved, "familyDoctor.coverage.general", { year: 2019, month: 6 })).toBe(startingValue(start, "familyDoctor.coverage.general", { year: 2019, month: 6 }));
      expect(startingValue(saved, "familyDoctor.coverage.general", { year: 2019, month: 7 })).toBe(0.4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
