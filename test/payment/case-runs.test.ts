/**
 * Case-based payment over whole small runs: under each scheme the books balance (facility
 * revenue = scheme payments + OOP + assistance, every month), DRG payments equal the
 * budget exactly each year, the providers' responses move the indicators the way they
 * should, the loader refuses incomplete terms — and runs without case-based payment are
 * untouched (no new counter or indicator, nothing moved).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Encounter, EncounterSink } from "../../sim/engine/encounter";
import { OPTIONAL_MODULES, yearTotals, yearlyIndicators } from "../../sim/indicators";
import { CASE_PAYMENT_COUNTERS } from "../../sim/payment/case-indicators";
import { PAYMENT_SCHEMES } from "../../sim/payment/registry";
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { simulate, type SimulationResult } from "../../sim/simulate";
import { REPO_ROOT } from "../helpers/paths";
import { inputProblems } from "../helpers/input-error";
import { tempDir } from "../helpers/tmp";
import { baseline, differingOutputs, sum, withParameters, withPolicy } from "../helpers/scenarios";

const SMALL = { scale: 0.02, years: 2, seed: 1 } as const;
const scope = { communities: "all", coversEmployeeScheme: true, tiers: { township: true, county: true } };
const TERMS = {
  perDisease: { ...scope, priceFactor: 1 },
  drg: { ...scope, basis: "premium", shareOfPremium: 0.3, growthAllowance: 0.05, tierCoefficient: { township: 0.35, county: 1 } },
  perDiem: { ...scope, ratePerBedDay: { township: 280, county: 730 } },
} as const;
const under = (scheme: keyof typeof TERMS, s: Scenario = baseline(), terms: object = TERMS[scheme]) => withPolicy(s, { "payment.regime": scheme, [`payment.${scheme}`]: terms });

/** Every recorded encounter's money, as the facilities should have received it. */
class Revenue implements EncounterSink {
  recording = false;
  received = 0;
  encounter(e: Encounter): void {
    if (this.recording) this.received += e.payment + e.oop + e.assistance;
  }
}
function run(s: Scenario, o: Partial<typeof SMALL> = {}): { r: SimulationResult; revenue: number } {
  const rev = new Revenue();
  const r = simulate(s, { ...SMALL, ...o, sinks: [rev], plan: (p) => p.insert({ label: "tell the sink", module: "test", doc: "recording?", run: (st) => void (rev.recording = st.recording) }, { before: "policy" }) });
  return { r, revenue: rev.received };
}
const facilities = (r: SimulationResult) => Object.entries(r.accounts).filter(([k]) => k.startsWith("facility:")).reduce((a, [, v]) => a + v, 0);
const yearly = (r: SimulationResult) => yearlyIndicators(r.counters, r.start, r.months);
const value = (r: SimulationResult, id: string, year = -1) => yearly(r).at(year)!.values[id].value!;

describe.each(["perDisease", "drg", "perDiem"] as const)("a whole run under %s", (scheme) => {
  const { r, revenue } = run(under(scheme));

  it("pays cases by the scheme and the books balance: facility revenue = scheme payments (+ DRG settlement) + OOP + assistance; all accounts sum to zero", () => {
    expect(sum(r.counters.caseCases)).toBeGreaterThan(100);
    const settlement = sum(r.counters.drgSettlement);
    expect(Math.abs(facilities(r) - (revenue + settlement))).toBeLessThan(1e-9 * revenue);
    const all = Object.values(r.accounts).reduce((a, b) => a + b, 0);
    expect(Math.abs(all)).toBeLessThan(1e-6 * revenue);
    // the insurer's claims include what it paid per case
    expect(sum(r.counters.insurerClaims)).not.toBe(sum(r.counters.reimbursed));
    // the module's counters and indicators are in this run's results
    expect(Object.keys(yearTotals(r.counters, r.months)[0])).toEqual(expect.arrayContaining([...CASE_PAYMENT_COUNTERS]));
    expect(yearly(r)[0].values.caseOffListShare).toBeDefined();
  });

  if (scheme === "drg")
    it("each year the insurer pays DRG cases exactly the budget (|Σ payments − budget| ≤ 1e-9 × budget: float rounding only)", () => {
      for (const t of yearTotals(r.counters, r.months)) {
        expect(t.drgBudget).toBeGreaterThan(0);
        expect(Math.abs(t.drgPayments - t.drgBudget)).toBeLessThanOrEqual(1e-9 * t.drgBudget);
        // the year's point value × its points = budget + what the cases' patients paid
        const v = (t.drgBudget + t.drgPatientPayments) / t.drgPoints;
        expect(Math.abs(v * t.drgPoints - t.drgPatientPayments - t.drgPayments)).toBeLessThan(1e-6 * t.drgBudget);
      }
      expect(value(r, "drgBudgetUse")).toBeCloseTo(1, 9);
    });
  else
    it("cases paid at a fixed standard bring the facility exactly their standard (the books check it monthly)", () => {
      expect(value(r, "caseRevenueToCost")).toBeGreaterThan(0.8);
      expect(value(r, "caseRevenueToCost")).toBeLessThan(1.3);
      expect(sum(r.counters.drgPoints)).toBe(0);
    });
});

describe("providers' responses move the indicators the way they should", () => {
  it("cost shifting (offListShift 0 → 0.5) raises the off-list share", () => {
    const none = run(withParameters(under("perDisease"), { "casePayment.offListShift": 0 })).r;
    const half = run(withParameters(under("perDisease"), { "casePayment.offListShift": 0.5 })).r;
    expect(value(half, "caseOffListShare")).toBeGreaterThan(value(none, "caseOffListShare") + 0.05);
  });

  it("shorter stays under per-disease payment (lengthOfStayChange 0 → −0.2) lower the length of stay and the cost per case", () => {
    const none = run(withParameters(under("perDisease"), { "casePayment.lengthOfStayChange.perDisease": 0 })).r;
    const short = run(withParameters(under("perDisease"), { "casePayment.lengthOfStayChange.perDisease": -0.2 })).r;
    expect(value(short, "caseLengthOfStay")).toBeLessThan(value(none, "caseLengthOfStay"));
    expect(value(short, "caseCostPerCase")).toBeLessThan(value(none, "caseCostPerCase"));
  });

  it("longer stays under per-diem (0 → +0.2) raise bed-days, cost and payment per case", () => {
    const none = run(withParameters(under("perDiem"), { "casePayment.lengthOfStayChange.perDiem": 0 })).r;
    const long = run(withParameters(under("perDiem"), { "casePayment.lengthOfStayChange.perDiem": 0.2 })).r;
    expect(value(long, "caseLengthOfStay")).toBeGreaterThan(value(none, "caseLengthOfStay"));
    expect(value(long, "caseCostPerCase")).toBeGreaterThan(value(none, "caseCostPerCase"));
    expect(value(long, "casePaymentPerCase")).toBeGreaterThan(value(none, "casePaymentPerCase"));
  });

  it("upcoding (0 → 0.3) raises points per case and, the budget being fixed, lowers the point value; the insurer still pays the budget", () => {
    const none = run(withParameters(under("drg"), { "casePayment.upcodingShare": 0 })).r;
    const up = run(withParameters(under("drg"), { "casePayment.upcodingShare": 0.3 })).r;
    expect(value(up, "drgPointsPerCase")).toBeGreaterThan(value(none, "drgPointsPerCase") * 1.05);
    expect(value(up, "drgPointValue")).toBeLessThan(value(none, "drgPointValue"));
    expect(sum(up.counters.drgBudget)).toBe(sum(none.counters.drgBudget));
    expect(Math.abs(sum(up.counters.drgPayments) - sum(up.counters.drgBudget))).toBeLessThanOrEqual(1e-9 * sum(up.counters.drgBudget));
    expect(sum(up.counters.caseUpcoded)).toBeGreaterThan(0);
    expect(sum(none.counters.caseUpcoded)).toBe(0);
  });
});

describe("runs without case-based payment are untouched", () => {
  const plain = simulate(baseline(), SMALL);

  it("have no case-payment counter or indicator in their results", () => {
    expect(Object.keys(yearTotals(plain.counters, plain.months)[0]).some((k) => (CASE_PAYMENT_COUNTERS as readonly string[]).includes(k))).toBe(false);
    expect(Object.keys(yearly(plain)[0].values).some((id) => id.startsWith("case") || id.startsWith("drg"))).toBe(false);
    expect(Object.keys(OPTIONAL_MODULES)).toEqual(["casePayment", "providerResponse", "careSeeking"]);
  });

  it("a per-disease scheme that pays no tier goes through every case-payment hook and changes no output bit", () => {
    const idle = simulate(under("perDisease", baseline(), { ...TERMS.perDisease, tiers: { township: false, county: false } }), SMALL);
    expect(differingOutputs(idle, plain)).toEqual([]);
  });

  it("the Xinmi per-disease scenario is its parent, to the bit, until per-disease payment starts in 2019", () => {
    const parent = simulate(loadScenario(join(REPO_ROOT, "scenarios", "starting-line-rules.yaml")), SMALL);
    const child = simulate(loadScenario(join(REPO_ROOT, "scenarios", "xinmi-per-disease.yaml")), SMALL);
    for (const k of ["visitsCounty", "admissionsTownship", "oop", "insurerClaims", "costInpatient"] as const) {
      expect(Array.from(child.counters[k].slice(0, 12))).toEqual(Array.from(parent.counters[k].slice(0, 12)));
    }
    expect(sum(child.counters.caseCases, 0, 12)).toBe(0);
    expect(sum(child.counters.caseCases, 12)).toBeGreaterThan(0);
  });
});

describe("the loader asks for complete terms", () => {
  const t = tempDir("yigongti-case-");
  const scenario = (name: string, body: string) => t.write(`${name}.yaml`, `extends: ${JSON.stringify(join(REPO_ROOT, "scenarios", "baseline-2018.yaml"))}\n${body}`);

  it("a regime without its terms, terms left incomplete by a timeline, an unknown community, a claims-sized DRG budget at the start", () => {
    expect(inputProblems(() => loadScenario(scenario("no-terms", "timeline:\n  - from: 2019-01\n    source: test\n    set:\n      payment.regime: drg\n")))).toEqual(
      expect.arrayContaining([expect.stringMatching(/no-terms\.yaml: policy\.payment\.drg: missing; payment\.regime = drg needs its terms \(communities, coversEmployeeScheme, tiers, basis, growthAllowance, shareOfPremium, tierCoefficient\)/)]),
    );
    expect(inputProblems(() => loadScenario(scenario("partial", "timeline:\n  - from: 2019-01\n    source: test\n    set:\n      payment.regime: perDisease\n      payment.perDisease.priceFactor: 1.2\n")))).toEqual(
      expect.arrayContaining([expect.stringMatching(/partial\.yaml: policy\.payment\.perDisease\.communities: missing/)]),
    );
    const terms = (extra: string) => `policy:\n  payment:\n    source: test\n    drg:\n      source: test\n      communities: ${extra}\n      coversEmployeeScheme: true\n      tiers: {township: false, county: true}\n      basis: lastYearClaims\n      growthAllowance: 0.05\n      shareOfPremium: 0.3\n      tierCoefficient: {township: 0.35, county: 1}\n`;
    expect(inputProblems(() => loadScenario(scenario("unknown", `${terms("[nowhere]")}timeline:\n  - from: 2019-01\n    source: test\n    set:\n      payment.regime: drg\n`)))).toEqual(
      expect.arrayContaining([expect.stringMatching(/policy\.payment\.drg\.communities: "nowhere" is not a community of/)]),
    );
    expect(inputProblems(() => loadScenario(scenario("at-start", `${terms("all")}parameters:\n  policy.payment.regime: drg\n`)))).toEqual(
      expect.arrayContaining([expect.stringMatching(/payment\.drg\.basis = "lastYearClaims" at the scenario start/)]),
    );
    t.cleanup();
  });
});

describe("the case-payment scenarios cite the seeds' clauses", () => {
  it("every clause their files and the registry cite is in data/seed-clauses.md", () => {
    const index = readFileSync(join(REPO_ROOT, "data", "seed-clauses.md"), "utf8");
    const cite = /(\d{3}_[0-9a-f]{16}\.txt) (item \d+ \(§[^()]*\([^()]*\)\)|§[^\s;,()（]+(?:\([^()]*\))*)/g;
    const texts = [
      readFileSync(join(REPO_ROOT, "scenarios", "xinmi-per-disease.yaml"), "utf8"),
      readFileSync(join(REPO_ROOT, "scenarios", "wuhua-drg-pilot.yaml"), "utf8"),
      ...PAYMENT_SCHEMES.map((s) => s.source),
    ];
    const cited = new Set(texts.flatMap((t) => [...t.matchAll(cite)].map((m) => `${m[1]} ${m[2]}`)));
    expect([...cited].sort()).toEqual(["000_d976d86ac1f892b7.txt §二(二)", "001_ca634c5edf7b7e03.txt item 16 (§六(六))", "002_cfc78cb0d70fb95d.txt §18", "004_95fd1871afdd6e42.txt §五(六)"]);
    for (const c of cited) expect(index, c).toContain("`" + c);
  });
});
