/**
 * Capacity and quality follow staff (sim/staff/capacity.ts): waiting from load and
 * capacity, outpatient and staffed-bed capacity from doctors, a township's perceived
 * quality from its staffing and support — on hand-worked values.
 */
import { describe, expect, it } from "vitest";
import { inpatientCapacity, outpatientCapacity, perceivedLoad, townshipQualityShift, waiting, WORKING_DAYS_PER_MONTH, type QualityParameters } from "../../sim/staff/capacity";

describe("waiting — crowding rises monotonically with load", () => {
  it("hand values: 0 with slack or at capacity, the excess ratio above it", () => {
    expect(waiting(0, 100)).toBe(0);
    expect(waiting(50, 100)).toBe(0);
    expect(waiting(100, 100)).toBe(0);
    expect(waiting(150, 100)).toBe(0.5); // 150/100 − 1
    expect(waiting(300, 100)).toBe(2); // 300/100 − 1
  });

  it("on a grid of capacities and loads: 0 below capacity, non-decreasing everywhere, strictly increasing above capacity", () => {
    for (const cap of [1e-9, 0.5, 1, 7, 100, 2500, 1e6]) {
      let prev = -1;
      for (let k = 0; k <= 400; k++) {
        const load = (cap * k) / 100; // 0 … 4 × capacity
        const w = waiting(load, cap);
        if (k <= 100) expect(w).toBe(0);
        else expect(w).toBeGreaterThan(prev);
        expect(w).toBeGreaterThanOrEqual(prev);
        expect(w).toBeGreaterThanOrEqual(0);
        prev = w;
      }
    }
  });

  it("falls (weakly) when capacity rises at the same load", () => {
    const caps = [50, 80, 100, 120, 200];
    const w = caps.map((c) => waiting(150, c));
    for (let i = 1; i < w.length; i++) expect(w[i]).toBeLessThanOrEqual(w[i - 1]);
    expect(w[0]).toBeGreaterThan(w[1]);
  });

  it("infinite capacity (out of county) never waits", () => {
    expect(waiting(1e9, Infinity)).toBe(0);
  });
});

describe("capacity from doctors", () => {
  it("outpatient: doctors × visits per doctor, Infinity without a norm, never exactly 0", () => {
    expect(outpatientCapacity(3, 400)).toBe(1200);
    expect(outpatientCapacity(2.5, 300)).toBe(750);
    expect(outpatientCapacity(5, 0)).toBe(Infinity);
    expect(outpatientCapacity(0, 400)).toBe(1e-9);
  });

  it("inpatient: staffed beds × 30.4 ÷ length of stay — beds limited by the doctors who can staff them", () => {
    // 100 beds but 10 doctors × 2 beds each = 20 staffed beds → 20 × 30.4 / 7.6 = 80 admissions a month
    expect(inpatientCapacity(100, 10, 2, 7.6)).toBeCloseTo(80, 10);
    // 10 beds, doctors for 20 → the beds bind: 10 × 30.4 / 7.6 = 40
    expect(inpatientCapacity(10, 10, 2, 7.6)).toBeCloseTo(40, 10);
    // no doctor-to-bed ratio known: all beds count, 100 × 30.4 / 7.6 = 400
    expect(inpatientCapacity(100, 10, 0, 7.6)).toBeCloseTo(400, 10);
    // no length-of-stay norm → unlimited; no doctors → never exactly 0
    expect(inpatientCapacity(100, 10, 2, 0)).toBe(Infinity);
    expect(inpatientCapacity(100, 0, 2, 7.6)).toBe(1e-9);
  });

  it("inpatient capacity never falls when doctors are added", () => {
    let prev = 0;
    for (let fte = 0; fte <= 80; fte += 2) {
      const c = inpatientCapacity(100, fte, 2, 8);
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
    expect(prev).toBeCloseTo((100 * 30.4) / 8, 10); // capped by the beds once 50 doctors are there
  });

  it("turns doctor-days into full-time doctors at 22 working days a month", () => {
    expect(WORKING_DAYS_PER_MONTH).toBe(22);
  });
});

describe("townshipQualityShift", () => {
  const q: QualityParameters = { staffing: 0.15, visitingSpecialists: 2.0, investmentPerMillion: 0.02, sharedDiagnostics: 0.03 };

  it("hand example: half the staff, one visiting doctor, 2.5 million yuan invested, shared diagnostics", () => {
    // 0.15 × ln(20/40)   = −0.1039721
    // 2.0 × (1 / 40)      = +0.05
    // 0.02 × 2.5          = +0.05
    // shared diagnostics  = +0.03
    // total               = +0.0260279
    expect(townshipQualityShift(q, 20, 40, 1, 2_500_000, true)).toBeCloseTo(0.0260279, 6);
  });

  it("nothing changed → 0", () => {
    expect(townshipQualityShift(q, 40, 40, 0, 0, false)).toBe(0);
  });

  it("staff at start × 2 → 0.15 × ln 2 = +0.1039721", () => {
    expect(townshipQualityShift(q, 80, 40, 0, 0, false)).toBeCloseTo(0.1039721, 6);
  });

  it("losing doctors lowers quality, floored at a quarter of the start: 0.15 × ln(1/4) = −0.2079442", () => {
    expect(townshipQualityShift(q, 30, 40, 0, 0, false)).toBeLessThan(0);
    expect(townshipQualityShift(q, 10, 40, 0, 0, false)).toBeCloseTo(-0.2079442, 6); // exactly 1/4
    expect(townshipQualityShift(q, 5, 40, 0, 0, false)).toBeCloseTo(-0.2079442, 6); // below: floored
    expect(townshipQualityShift(q, 0, 40, 0, 0, false)).toBeCloseTo(-0.2079442, 6);
  });

  it("rises with each kind of support", () => {
    const base = townshipQualityShift(q, 30, 40, 0, 0, false);
    expect(townshipQualityShift(q, 30, 40, 0.5, 0, false)).toBeGreaterThan(base);
    expect(townshipQualityShift(q, 30, 40, 0, 1e6, false)).toBeGreaterThan(base);
    expect(townshipQualityShift(q, 30, 40, 0, 0, true)).toBeGreaterThan(base);
    expect(townshipQualityShift(q, 31, 40, 0, 0, false)).toBeGreaterThan(base);
  });
});

describe("perceivedLoad (adaptive expectations of crowding)", () => {
  it("closes the stated share of the gap; the first month sets the expectation", () => {
    expect(perceivedLoad(0, 120, 0.25, true)).toBe(120);
    // 100 + 0.25 × (140 − 100) = 110
    expect(perceivedLoad(100, 140, 0.25, false)).toBe(110);
    expect(perceivedLoad(100, 140, 1, false)).toBe(140);
  });

  it("damps the two-month cobweb that expecting last month's load produces", () => {
    // A facility with capacity 100 and demand that flees crowding steeply:
    // load = 150 − 8 × 100 × waiting(expected, 100) (never below 0).
    const demand = (expected: number) => Math.max(0, 150 - 800 * waiting(expected, 100));
    const path = (adjustment: number) => {
      let expected = demand(0);
      const loads: number[] = [];
      for (let m = 0; m < 60; m++) {
        const load = demand(expected);
        loads.push(load);
        expected = perceivedLoad(expected, load, adjustment, false);
      }
      return loads.slice(-6);
    };
    // adjustment 1: alternates between full flight and full demand
    const naive = path(1);
    expect(Math.max(...naive) - Math.min(...naive)).toBeGreaterThan(100);
    // adjustment 0.1: settles at the fixed point where load = expected (≈106)
    const damped = path(0.1);
    expect(Math.max(...damped) - Math.min(...damped)).toBeLessThan(1);
    expect(damped[5]).toBeCloseTo(150 - 8 * (damped[5] - 100), 0);
  });
});
