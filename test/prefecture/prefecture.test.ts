/**
 * A prefecture in one run (sim/prefecture/): the description loader's errors, the
 * expansion into county scenarios (join dates, pooling), the pricing of in-pool care,
 * prefecture totals as sums of county counters, flows that add up, and the CLI end to
 * end — one run and two shards merged giving the same summary, byte for byte.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COUNTER_NAMES, INDICATORS, type Totals } from "../../sim/indicators";
import type { JobResult } from "../../sim/experiments/jobs";
import { ClaimPricer } from "../../sim/insurance/claims";
import { CLAIM_REIMBURSED } from "../../sim/insurance/reimbursement";
import { loadPrefecture } from "../../sim/prefecture/description";
import { prefectureResults, sumTotals } from "../../sim/prefecture/results";
import { countyScenario, countyScenarioOf, loadPrefectureScenario, policyDifference } from "../../sim/prefecture/scenario";
import { InputError } from "../../sim/scenario/errors";
import { loadScenario, policyByMonth } from "../../sim/scenario/load";
import { setPath as setPathForTest } from "../../sim/scenario/schema";
import { COUNTY, INPATIENT, OUT_OF_COUNTY } from "../../sim/tier";
import { ROOT, cli, removeTempDirs, tempDir } from "../cli/cli";

const ROLLOUT = join(ROOT, "scenarios/prefecture/qujing-rollout.yaml");
const CITY = join(ROOT, "scenarios/prefecture/qujing-rollout-city-pool.yaml");
const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  throw new Error("expected an InputError");
};

afterAll(removeTempDirs);

describe("prefecture description", () => {
  it("loads the shipped Qujing-like prefecture: nine counties, ≈6 M residents, unique facility ids, cross-county options", () => {
    const p = loadPrefecture(join(ROOT, "data/prefectures/qujing-like.yaml"));
    expect(p.counties).toHaveLength(9);
    const sizes = p.counties.map((c) => p.countyDescriptions[c.id].townships.reduce((n, t) => n + t.population, 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(6_000_000);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(300_000);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(1_200_000);
    for (const c of p.counties) {
      const out = p.countyDescriptions[c.id].outOfCounty;
      expect(out.map((h) => h.id)).toEqual(expect.arrayContaining(["city", "province"]));
      expect(out.filter((h) => p.counties.some((o) => o.id === h.id)).length).toBeGreaterThan(0);
    }
  });

  it("names the file and field of each problem", () => {
    const dir = tempDir("yigongti-pref-");
    mkdirSync(join(dir, "c"));
    writeFileSync(join(dir, "c/a.yaml"), readFileSync(join(ROOT, "data/counties/prefecture/fuyuan.yaml"), "utf8"));
    const base = (counties: string) => `name: p\ntitle: {zh: 市, en: City}\nsource: assumption\nhospitals:\n  - {id: city, name: {zh: 市医院, en: City hospital}, inPrefecture: true}\ncounties:\n${counties}`;
    writeFileSync(join(dir, "dup.yaml"), base(`  - {id: a, name: {zh: 甲, en: A}, file: c/a.yaml}\n  - {id: a, name: {zh: 乙, en: B}, file: c/a.yaml}\n`));
    expect(problemsOf(() => loadPrefecture(join(dir, "dup.yaml"))).join("\n")).toMatch(/dup\.yaml: counties\[1\]\.id = "a": used twice/);
    writeFileSync(join(dir, "missing.yaml"), base(`  - {id: a, name: {zh: 甲, en: A}, file: c/none.yaml}\n`));
    expect(problemsOf(() => loadPrefecture(join(dir, "missing.yaml"))).join("\n")).toMatch(/missing\.yaml: counties\[0\]\.file = "c\/none\.yaml": the county file has problems[\s\S]*none\.yaml: county description file not found/);
    writeFileSync(join(dir, "type.yaml"), base(`  - {id: a, name: {zh: 甲, en: A}, file: c/a.yaml, minutesToCity: soon}\n`));
    expect(problemsOf(() => loadPrefecture(join(dir, "type.yaml"))).join("\n")).toMatch(/type\.yaml: counties\[0\]\.minutesToCity = "soon"/);
    // the county file names neighbours (dongling, malin, …) that are not counties of this prefecture
    writeFileSync(join(dir, "refs.yaml"), base(`  - {id: a, name: {zh: 甲, en: A}, file: c/a.yaml}\n`));
    expect(problemsOf(() => loadPrefecture(join(dir, "refs.yaml"))).join("\n")).toMatch(/c\/a\.yaml: outOfCounty\[2\]\.id = "[a-z]+": inPrefecture is true, so the id must be another county/);
  });

  it("two counties in one county file are refused (the residents were simulated twice), and neighbours must say what the county file does", () => {
    const dir = tempDir("yigongti-pref-");
    const shipped = readFileSync(join(ROOT, "data/prefectures/qujing-like.yaml"), "utf8").replaceAll("../counties/", `${ROOT}/data/counties/`);
    writeFileSync(join(dir, "ok.yaml"), shipped);
    expect(() => loadPrefecture(join(dir, "ok.yaml"))).not.toThrow();
    writeFileSync(join(dir, "shared.yaml"), shipped.replace("prefecture/beishan.yaml", "prefecture/zhongxin.yaml"));
    expect(problemsOf(() => loadPrefecture(join(dir, "shared.yaml")))).toEqual([expect.stringMatching(/shared\.yaml: counties\[1\]\.file = ".*zhongxin\.yaml": already the file of counties\[0\] \(zhongxin\); each county needs its own county file$/)]);
    // a symbolic link to the same file is the same file
    symlinkSync(join(ROOT, "data/counties/prefecture/zhongxin.yaml"), join(dir, "link.yaml"));
    writeFileSync(join(dir, "linked.yaml"), shipped.replace(`${ROOT}/data/counties/prefecture/beishan.yaml`, join(dir, "link.yaml")));
    expect(problemsOf(() => loadPrefecture(join(dir, "linked.yaml")))).toEqual([expect.stringMatching(/linked\.yaml: counties\[1\]\.file = ".*link\.yaml": already the file of counties\[0\] \(zhongxin\)/)]);
    // beishan's residents may choose huize's lead hospital (its county file says so); listing xihe instead is wrong
    writeFileSync(join(dir, "neighbours.yaml"), shipped.replace(/(- id: beishan[\s\S]*?neighbours:\n\s+- )huize/, "$1xihe"));
    expect(problemsOf(() => loadPrefecture(join(dir, "neighbours.yaml")))).toEqual([expect.stringMatching(/neighbours\.yaml: counties\[1\]\.neighbours = \["xihe","malin","zhongxin"\]: the county file .*beishan\.yaml lets its residents choose the lead hospitals of huize, malin, zhongxin \(outOfCounty with inPrefecture: true\); list those, or leave neighbours out$/)]);
  });

  it("a prefecture scenario's rollout must name its counties", () => {
    const dir = tempDir("yigongti-pref-");
    writeFileSync(join(dir, "s.yaml"), readFileSync(ROLLOUT, "utf8").replace(/\.\.\/\.\.\//g, `${ROOT}/`).replace(/\.\.\/(baseline|full)/g, `${ROOT}/scenarios/$1`).replace("counties: pilots", "counties: [xihe, atlantis]"));
    expect(problemsOf(() => loadPrefectureScenario(join(dir, "s.yaml"))).join("\n")).toMatch(/s\.yaml: rollout\.join\[0\]\.counties: "atlantis" is not a county/);
  });
});

describe("a prefecture scenario where a county scenario is expected", () => {
  it("says to run it with yigongti prefecture", () => {
    expect(problemsOf(() => loadScenario(ROLLOUT))).toEqual([expect.stringMatching(/qujing-rollout\.yaml: this is a prefecture scenario, not a county scenario .*; run it with yigongti prefecture .*qujing-rollout\.yaml$/)]);
  });
});

describe("a file of another kind where a prefecture file is expected", () => {
  const PREFECTURE = join(ROOT, "data/prefectures/qujing-like.yaml");
  it("the prefecture command given a prefecture description says what it is in one line, and what to run", () => {
    expect(problemsOf(() => loadPrefectureScenario(PREFECTURE))).toEqual([
      expect.stringMatching(/qujing-like\.yaml: this is a prefecture description, not a prefecture scenario \(it has hospitals, counties; a prefecture scenario has prefecture, baseline, reform, rollout, pooling\); run a prefecture scenario that names it as prefecture:, e\.g\. yigongti prefecture scenarios\/prefecture\/qujing-rollout\.yaml$/),
    ]);
  });
  it("the prefecture command given a county scenario says to run it with yigongti run", () => {
    expect(problemsOf(() => loadPrefectureScenario(join(ROOT, "scenarios/baseline-2018.yaml")))).toEqual([expect.stringMatching(/baseline-2018\.yaml: this is a county scenario, not a prefecture scenario .*; run it with yigongti run .*baseline-2018\.yaml$/)]);
  });
  it("a baseline: that is not a scenario, or a reform: that is missing, is said once, not once per county", () => {
    const dir = tempDir("yigongti-pref-");
    const text = readFileSync(ROLLOUT, "utf8").replace(/\.\.\/\.\.\//g, `${ROOT}/`).replace(/\.\.\/(baseline|full)/g, `${ROOT}/scenarios/$1`);
    const county = join(ROOT, "data/counties/qujing-like.yaml");
    writeFileSync(join(dir, "s.yaml"), text.replace(`${ROOT}/scenarios/baseline-2018.yaml`, county).replace(`${ROOT}/scenarios/full-package-qujing.yaml`, "nowhere.yaml"));
    expect(problemsOf(() => loadPrefectureScenario(join(dir, "s.yaml")))).toEqual([
      expect.stringMatching(new RegExp(`s\\.yaml: baseline = "${county}": the file it names has problems \\(below\\)$`)),
      expect.stringMatching(/qujing-like\.yaml: this is a county description, not a county scenario /),
      expect.stringMatching(/s\.yaml: reform = "nowhere\.yaml": the file it names has problems \(below\)$/),
      expect.stringMatching(/nowhere\.yaml: scenario file not found$/),
    ]);
  });
  it("a counties[].file naming a scenario or a prefecture says what it is, after the field that named it", () => {
    const dir = tempDir("yigongti-pref-");
    writeFileSync(
      join(dir, "p.yaml"),
      `name: p\ntitle: {zh: 市, en: City}\nsource: assumption\nhospitals:\n  - {id: city, name: {zh: 市医院, en: City hospital}, inPrefecture: true}\ncounties:\n  - {id: a, name: {zh: 甲, en: A}, file: ${JSON.stringify(join(ROOT, "scenarios/capitation-package.yaml"))}}\n  - {id: b, name: {zh: 乙, en: B}, file: ${JSON.stringify(PREFECTURE)}}\n`,
    );
    const p = problemsOf(() => loadPrefecture(join(dir, "p.yaml")));
    expect(p).toHaveLength(4);
    expect(p[0]).toMatch(/p\.yaml: counties\[0\]\.file = ".*capitation-package\.yaml": the county file has problems \(below\)$/);
    expect(p[1]).toMatch(/capitation-package\.yaml: this is a county scenario, not a county description \(it has extends, timeline; /);
    expect(p[2]).toMatch(/p\.yaml: counties\[1\]\.file = ".*qujing-like\.yaml": the county file has problems \(below\)$/);
    expect(p[3]).toMatch(/qujing-like\.yaml: this is a prefecture description, not a county description .*counties\[\]\.file instead$/);
  });
});

describe("expansion into county scenarios", () => {
  const ps = loadPrefectureScenario(ROLLOUT);
  const regime = (s: ReturnType<typeof countyScenario>) => policyByMonth(s, 36).map((p) => p.payment.regime);

  it("a county runs the baseline until it joins and the reform from its join date", () => {
    expect(ps.joins.xihe).toEqual({ year: 2019, month: 3 });
    expect(ps.joins.beishan).toEqual({ year: 2020, month: 1 });
    const pilot = regime(countyScenario(ps, "xihe"));
    const late = regime(countyScenario(ps, "beishan"));
    expect(pilot.indexOf("capitation")).toBe(14); // 2019-03
    expect(late.indexOf("capitation")).toBe(24); // 2020-01
    // from its join date on, a late county's policy is the reform's on that county
    const reform = loadScenario(join(ROOT, "scenarios/full-package-qujing.yaml"));
    const r = policyByMonth(reform, 36);
    const b = policyByMonth(countyScenario(ps, "beishan"), 36);
    for (const m of [24, 30, 35]) expect(policyDifference(r[m], b[m])).toEqual({ "insurance.pooling": b[m].insurance.pooling });
    // before it, the baseline's
    const base = policyByMonth(loadScenario(join(ROOT, "scenarios/baseline-2018.yaml")), 36);
    for (const m of [0, 14, 23]) expect(policyDifference(base[m], b[m])).toEqual({ "insurance.pooling": b[m].insurance.pooling });
  });

  it("a county's scenario is rebuilt from its name (file#county) with the same content hash; counties differ", () => {
    const a = countyScenarioOf(`${ps.file}#xihe`);
    expect(a.hash).toBe(countyScenario(ps, "xihe").hash);
    expect(a.county.name).toBe("prefecture-xihe");
    expect(countyScenarioOf(`${ps.file}#huize`).hash).not.toBe(a.hash);
  });

  it("a county's baseline twin (file#county@baseline) never joins: the baseline's policy throughout, the rollout's until its join date, the same pooling", () => {
    const twin = countyScenarioOf(`${ps.file}#xihe@baseline`);
    const rollout = countyScenarioOf(`${ps.file}#xihe`);
    expect(twin.file).toBe(`${ps.file}#xihe@baseline`);
    expect(twin.name).toBe("qujing-rollout-xihe-baseline");
    expect(twin.title.zh).toMatch(/基线：不加入改革/);
    expect(twin.hash).not.toBe(rollout.hash);
    expect(twin.parameters).toEqual(rollout.parameters);
    expect(twin.timeline.some((t) => /joins the reform/.test(t.note ?? ""))).toBe(false);
    const t = policyByMonth(twin, 36);
    const r = policyByMonth(rollout, 36);
    expect(new Set(t.map((p) => p.payment.regime))).toEqual(new Set([policyByMonth(loadScenario(join(ROOT, "scenarios/baseline-2018.yaml")), 1)[0].payment.regime]));
    for (let m = 0; m < 14; m++) expect(policyDifference(r[m], t[m])).toEqual({}); // until 2019-03
    expect(policyDifference(r[14], t[14])).not.toEqual({});
    // under city pooling the twin pools as its county does
    const city = policyByMonth(countyScenarioOf(`${CITY}#xihe@baseline`), 36).map((p) => p.insurance.pooling?.level);
    expect([city[23], city[24]]).toEqual(["county", "city"]);
    expect(problemsOf(() => countyScenarioOf(`${ps.file}#xihe@reform`))).toEqual([expect.stringMatching(/no county "xihe@reform"/)]);
  });

  it("pooling: county throughout, or city from its date", () => {
    const level = (file: string) => policyByMonth(countyScenarioOf(`${file}#nanping`), 36).map((p) => p.insurance.pooling?.level);
    expect(new Set(level(ROLLOUT))).toEqual(new Set(["county"]));
    const city = level(CITY);
    expect(city[23]).toBe("county");
    expect(city[24]).toBe("city");
  });
});

describe("city-level pooling prices in-pool care at the county tier less the reduction", () => {
  it("an in-prefecture hospital at the county rate − insurance.pooling.inPoolRateReduction, the province at the out-of-county rate", () => {
    const s = loadScenario(join(ROOT, "scenarios/baseline-2018.yaml"));
    const pricer = new ClaimPricer(Int8Array.from([COUNTY, OUT_OF_COUNTY, OUT_OF_COUNTY]), new Int32Array(0), s.parameters, Uint8Array.from([0, 1, 0]));
    const reimbursed = (policy: typeof s.basePolicy, f: number) => {
      pricer.prepare(policy, 1);
      pricer.price(0, f, INPATIENT, 10_000, 0, 0, 0, 0, 0, 0, 0);
      return pricer.claim[CLAIM_REIMBURSED];
    };
    const county = setPathForTest(s.basePolicy, "insurance.pooling", { level: "county", inPoolRateReduction: 0.05 });
    const city = setPathForTest(s.basePolicy, "insurance.pooling", { level: "city", inPoolRateReduction: 0.05 });
    // county pooling: the in-prefecture hospital is 异地 like the province
    expect(reimbursed(county, 1)).toBeCloseTo(reimbursed(county, 2), 6);
    const ip = s.basePolicy.insurance.resident.inpatient;
    const inPolicy = s.parameters.costs.inPolicyShare.outOfCounty;
    const expected = (10_000 * inPolicy - ip.deductible.county) * (ip.rate.county - 0.05);
    expect(reimbursed(city, 1)).toBeCloseTo(expected, 6);
    expect(reimbursed(city, 2)).toBeCloseTo(reimbursed(county, 2), 6);
    expect(reimbursed(city, 1)).toBeGreaterThan(reimbursed(city, 2));
  });
});

describe("prefecture totals", () => {
  it("are the sum of the counties' counters; ratios come from summed counts", () => {
    const a = { visitsVillage: 30, visitsTownship: 20, visitsCounty: 40, visitsOutOfCounty: 10, insurerFundBalance: -5 } as unknown as Totals;
    const b = { visitsVillage: 300, visitsTownship: 400, visitsCounty: 200, visitsOutOfCounty: 100, insurerFundBalance: 20 } as unknown as Totals;
    const t = sumTotals([a, b]);
    expect(t.visitsVillage).toBe(330);
    expect(t.insurerFundBalance).toBe(15);
    const primary = INDICATORS.find((d) => d.id === "primaryVisitShare")!;
    // (30+20+300+400)/(100+1000) = 0.6818…, not the mean of 0.5 and 0.7
    expect(primary.compute({ ...zero(), ...t }, undefined)).toBeCloseTo(750 / 1100, 12);
  });
});

describe("prefectureResults on hand-made counters", () => {
  it("the prefecture's indicators come from summed counters, the fund is judged per county and pooled, flows add up to each county's care", () => {
    const ps = {
      name: "p", title: { zh: "市", en: "P" }, file: "p.yaml",
      prefecture: { file: "pref.yaml", name: "p", title: { zh: "市", en: "P" }, hospitals: [{ id: "city", name: { zh: "市", en: "City" }, inPrefecture: true }, { id: "province", name: { zh: "省", en: "Province" }, inPrefecture: false }], counties: [{ id: "a", name: { zh: "甲", en: "A" } }, { id: "b", name: { zh: "乙", en: "B" } }] },
      joins: { a: { year: 2019, month: 3 }, b: null },
      pooling: { source: "x", level: "county", inPoolRateReduction: 0.05, changes: [] },
    } as unknown as Parameters<typeof prefectureResults>[0];
    const t = (v: number, tw: number, c: number, o: number, io: number, fund: number) => ({ ...zeroValues(), visitsVillage: v, visitsTownship: tw, visitsCounty: c, visitsOutOfCounty: o, admissionsCounty: 10, admissionsOutOfCounty: io, insurerFundBalance: fund }) as Totals;
    const job = (county: string, totals: Totals, out: { ids: string[]; visits: number[][]; admissions: number[][] }) =>
      ({ job: { scenarioFile: `p.yaml#${county}`, seed: 1 }, residents: 1000, years: 1, scale: 1, yearly: [{ period: "2018", values: {} }], yearTotals: [totals], outOfCountyCare: out }) as unknown as JobResult;
    // A: 100 visits (30 village, 20 township, 40 county, 10 out: 6 city, 3 at B, 1 province) + 12 admissions (2 out: city)
    const a = job("a", t(30, 20, 40, 10, 2, -5), { ids: ["city", "province", "b"], visits: [[6, 1, 3]], admissions: [[2, 0, 0]] });
    // B: 1,000 visits (400 village, 300 township, 250 county, 50 out: 50 city) + 10 admissions
    const b = job("b", t(400, 300, 250, 50, 0, 20), { ids: ["city", "province", "a"], visits: [[50, 0, 0]], admissions: [[0, 0, 0]] });
    const r = prefectureResults(ps, [a, b], 0.01);
    // (30+20+400+300)/(100+1000), not the mean of 50% and 70%
    expect(r.prefecture.indicators.primaryVisitShare["2018"].band.median).toBeCloseTo(750 / 1100, 12);
    expect(r.counties[0].indicators.primaryVisitShare["2018"].band.median).toBeCloseTo(0.5, 12);
    // within-county: (100−10 + 12−2 + 1000−50 + 10) / (112 + 1010)
    expect(r.prefecture.indicators.withinCountyVisitRate["2018"].band.median).toBeCloseTo((90 + 10 + 950 + 10) / 1122, 12);
    expect(r.fund[0].countiesInDeficit.median).toBe(1);
    expect(r.fund[0].pooledBalance.median).toBe(15);
    const flowsA = r.flows.filter((f) => f.residence === "a");
    expect(Object.fromEntries(flowsA.map((f) => [f.place, f.encounters]))).toEqual({ own: 100, city: 8, province: 1, b: 3 });
    expect(flowsA.reduce((n, f) => n + f.encounters, 0)).toBe(112);
    expect(flowsA.find((f) => f.place === "b")!.kind).toBe("county");
    // inside the prefecture: everything but A's one provincial visit
    expect(r.withinPrefecture["2018"].median).toBeCloseTo(1 - 1 / 1122, 12);
  });
});

describe("the siphon verdict against the baseline twins, on hand-made counters", () => {
  const ps = {
    name: "p", title: { zh: "市", en: "P" }, file: "p.yaml",
    prefecture: { file: "pref.yaml", name: "p", title: { zh: "市", en: "P" }, hospitals: [{ id: "city", name: { zh: "市", en: "City" }, inPrefecture: true }], counties: [{ id: "a", name: { zh: "甲", en: "A" } }, { id: "b", name: { zh: "乙", en: "B" } }] },
    joins: { a: { year: 2018, month: 1 }, b: null },
    pooling: { source: "x", level: "county", inPoolRateReduction: 0.05, changes: [] },
  } as unknown as Parameters<typeof prefectureResults>[0];
  // county visits, primary (village) visits, primary doctors, treatable episodes and those at the county
  const t = (county: number, village: number, doctors: number, treatable: number, atCounty: number) =>
    ({ ...zeroValues(), visitsCounty: county, visitsVillage: village, doctorsVillage: doctors, primaryTreatable: treatable, primaryTreatableAtCounty: atCounty }) as Totals;
  const job = (ref: string, seed: number, totals: Totals) =>
    ({ job: { scenarioFile: `p.yaml#${ref}`, seed }, residents: 1000, years: 1, scale: 1, yearly: [{ period: "2018", values: {} }], yearTotals: [totals], outOfCountyCare: { ids: [], visits: [[]], admissions: [[]] } }) as unknown as JobResult;

  it("a county drawing patients and doctors to its hospitals is high; the prefecture is judged on summed counts; seeds give the levels' shares", () => {
    const r = prefectureResults(ps, [
      // A, seed 1: county 100 → 120, primary 400 → 380, doctors 50 → 48: all three → high
      job("a", 1, t(120, 380, 48, 100, 30)), job("a@baseline", 1, t(100, 400, 50, 100, 20)),
      // A, seed 2: county up, primary down, doctors unchanged → moderate
      job("a", 2, t(110, 390, 50, 100, 25)), job("a@baseline", 2, t(100, 400, 50, 100, 20)),
      // B never joins: identical to its twin → low, no change
      job("b", 1, t(200, 800, 100, 200, 40)), job("b@baseline", 1, t(200, 800, 100, 200, 40)),
      job("b", 2, t(200, 800, 100, 200, 40)), job("b@baseline", 2, t(200, 800, 100, 200, 40)),
    ], 0.01);
    const a = r.siphon!.counties.a["2018"];
    expect(a.levels).toEqual({ high: 0.5, moderate: 0.5, low: 0 });
    // patient siphon: 30% vs 20%, and 25% vs 20% → median +7.5 points
    expect(a.patientSiphon.median).toBeCloseTo(0.075, 12);
    expect(a.countyVolumeChange.median).toBeCloseTo(0.15, 12);
    const b = r.siphon!.counties.b["2018"];
    expect(b.levels).toEqual({ high: 0, moderate: 0, low: 1 });
    expect([b.patientSiphon.median, b.countyVolumeChange.median, b.primaryVolumeChange.median, b.primaryStaffChange.median]).toEqual([0, 0, 0, 0]);
    // the prefecture, seed 1: county 320 vs 300, primary 1180 vs 1200, doctors 148 vs 150 → high; seed 2:
    // 310/1190/150 — county +3.3%, but primary −0.8%, within the 1% threshold → one signal, low
    const p = r.siphon!.prefecture["2018"];
    expect(p.levels).toEqual({ high: 0.5, moderate: 0, low: 0.5 });
    expect(r.siphon!.minimumChange).toBe(0.01);
    expect(p.countyVolumeChange.median).toBeCloseTo((320 / 300 - 1 + (310 / 300 - 1)) / 2, 12);
    // the twins are not counties: the areas' indicators and residents are the rollout runs'
    expect(r.counties.map((c) => c.residents)).toEqual([1000, 1000]);
    expect(r.seeds).toEqual([1, 2]);
  });

  it("without twins there is no verdict; a twin missing for a seed is an error naming it", () => {
    expect(prefectureResults(ps, [job("a", 1, t(1, 1, 1, 1, 1)), job("b", 1, t(1, 1, 1, 1, 1))], 0.01).siphon).toBeNull();
    expect(() => prefectureResults(ps, [job("a", 1, t(1, 1, 1, 1, 1)), job("b", 1, t(1, 1, 1, 1, 1)), job("a@baseline", 1, t(1, 1, 1, 1, 1))], 0.01)).toThrow(/baseline twin of county b has seeds none, the run has 1/);
  });
});

function zeroValues(): Record<string, number> {
  return Object.fromEntries(COUNTER_NAMES.map((k) => [k, 0]));
}

function zero(): Totals {
  return new Proxy({} as Totals, { get: (o, k) => (k in o ? (o as Record<string | symbol, number>)[k] : 0) });
}

describe("one county of a prefecture scenario as a run", () => {
  it("yigongti run FILE#county runs that county's scenario", () => {
    const r = cli(["run", `${ROLLOUT}#xihe`, "--scale", "0.005", "--years", "2"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/qujing-rollout-xihe/);
    expect(r.stdout).toMatch(/Xihe county/);
  });
});

describe("yigongti prefecture (end to end, small scale)", () => {
  const args = ["--seeds", "2", "--scale", "0.005", "--years", "2", "--workers", "2"];
  it("writes per-county and prefecture results, flows that add up, and two shards merged give the same summary byte for byte", () => {
    const dir = tempDir("yigongti-pref-");
    // charts are checked in test/prefecture/charts.test.ts; here --no-charts must leave them out
    const one = cli(["prefecture", CITY, ...args, "--no-charts", "--out", join(dir, "one"), "--store", join(dir, "store-one")], { timeout: 120_000 });
    expect(one.stderr + one.stdout).not.toMatch(/Error/);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/xihe/);
    const r = JSON.parse(readFileSync(join(dir, "one/prefecture.json"), "utf8"));
    expect(r.counties).toHaveLength(9);
    expect(r.periods).toEqual(["2018", "2019"]);
    // prefecture = sum of counties: its residents and (from the CSV) every county's encounters once
    expect(r.prefecture.residents).toBe(r.counties.reduce((n: number, c: { residents: number }) => n + c.residents, 0));
    for (const period of r.periods)
      for (const c of r.counties) {
        const rows = r.flows.filter((f: { period: string; residence: string }) => f.period === period && f.residence === c.id);
        expect(rows.reduce((s: number, f: { share: number }) => s + f.share, 0)).toBeCloseTo(1, 9);
        expect(rows.find((f: { place: string }) => f.place === c.id)).toBeUndefined(); // a county's own hospitals are "own"
      }
    // the siphon verdict against the baseline twins: before anything joins (2018) every county's run is its twin's, to the bit
    for (const c of r.counties) {
      const y = r.siphon.counties[c.id]["2018"];
      expect(y.levels.low).toBe(1);
      expect([y.patientSiphon.median, y.countyVolumeChange.median, y.primaryVolumeChange.median, y.primaryStaffChange.median, y.staffSiphonChange.median]).toEqual([0, 0, 0, 0, 0]);
    }
    // a pilot (joined 2019-03) differs from its twin in 2019, a county joining in 2020 does not
    expect(r.siphon.counties.xihe["2019"].countyVolumeChange.median).not.toBe(0);
    expect(r.siphon.counties.huize["2019"].countyVolumeChange.median).toBe(0);
    expect(readFileSync(join(dir, "one/siphon.csv"), "utf8").split("\n")[0]).toMatch(/^scope,area,period,pHigh,pModerate,pLow,patientSiphonMedian/);
    const md = readFileSync(join(dir, "one/prefecture.md"), "utf8");
    expect(md).toMatch(/## Siphon risk 虹吸风险, 2019/);
    expect(md).toMatch(/## The prefecture against the targets/);
    expect(md).toMatch(/## Where each county's residents were treated/);
    expect(existsSync(join(dir, "one/charts"))).toBe(false);
    expect(md).not.toMatch(/## Charts/);
    for (const i of [1, 2]) {
      const s = cli(["prefecture", CITY, ...args, "--store", join(dir, `shard-${i}`), "--shard", `${i}/2`], { timeout: 120_000 });
      expect(s.code).toBe(0);
      expect(s.stdout).toMatch(new RegExp(`shard ${i}/2 done`));
    }
    expect(cli(["store", "merge", join(dir, "merged"), join(dir, "shard-1"), join(dir, "shard-2")]).code).toBe(0);
    const merged = cli(["prefecture", CITY, ...args, "--no-charts", "--out", join(dir, "merged-out"), "--store", join(dir, "merged")], { timeout: 120_000 });
    expect(merged.code).toBe(0);
    expect(merged.stderr).toMatch(/0 county runs simulated, 36 found in the store/);
    expect(readFileSync(join(dir, "merged-out/prefecture.json"), "utf8")).toBe(readFileSync(join(dir, "one/prefecture.json"), "utf8"));
    expect(readFileSync(join(dir, "merged-out/flows.csv"), "utf8")).toBe(readFileSync(join(dir, "one/flows.csv"), "utf8"));
  }, 300_000);

  it("--no-baseline runs no twins and says the siphon is not judged; everything else is the same", () => {
    const dir = tempDir("yigongti-pref-");
    const small = ["--seeds", "1", "--scale", "0.005", "--years", "2", "--workers", "2", "--no-charts"];
    const withTwins = cli(["prefecture", ROLLOUT, ...small, "--out", join(dir, "with")], { timeout: 120_000 });
    const without = cli(["prefecture", ROLLOUT, ...small, "--no-baseline", "--out", join(dir, "without")], { timeout: 120_000 });
    expect([withTwins.code, without.code]).toEqual([0, 0]);
    expect(withTwins.stdout).toMatch(/Siphon risk/);
    expect(without.stdout).not.toMatch(/Siphon risk/);
    const a = JSON.parse(readFileSync(join(dir, "with/prefecture.json"), "utf8"));
    const b = JSON.parse(readFileSync(join(dir, "without/prefecture.json"), "utf8"));
    expect(b.siphon).toBeNull();
    expect({ ...a, siphon: null }).toEqual(b);
    expect(existsSync(join(dir, "without/siphon.csv"))).toBe(false);
    expect(readFileSync(join(dir, "without/prefecture.md"), "utf8")).toMatch(/## Siphon risk 虹吸风险\n\nNot judged: this run has no baseline twins \(--no-baseline\)/);
  }, 300_000);
});
