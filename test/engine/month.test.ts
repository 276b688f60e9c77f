/**
 * The month as a plan (sim/engine/month.ts) run by simulate: the steps in the model's
 * causal order, sub-plans for the supply side's January and the workforce's year, a step
 * inserted at a named point runs where it was put and changes nothing, and an extra
 * encounter sink hears every encounter.
 */
import { describe, expect, it } from "vitest";
import type { Encounter, EncounterSink } from "../../sim/engine/encounter";
import { monthPlan } from "../../sim/engine/month";
import { planRows } from "../../sim/engine/plan";
import { simulate } from "../../sim/simulate";
import { baseline, differingOutputs, sum } from "../helpers/scenarios";

const SMALL = { scale: 0.02, years: 2, seed: 2 } as const;

describe("the month's plan", () => {
  it("lists the steps in the model's causal order", () => {
    expect(monthPlan().labels).toEqual([
      "policy", "open books", "new year", "population", "supply", "funding", "crowding", "provider response", "care-seeking", "residents", "perceived load", "payments", "year end", "financial protection", "books check", "record",
    ]);
  });

  it("nests the supply side's January and, inside it, the workforce's year", () => {
    const plan = monthPlan();
    expect(plan.step("supply").plan!.labels).toEqual(["close year", "strategy", "beds", "reserve", "pay", "staff", "send down", "capacity"]);
    expect(plan.step("supply").plan!.step("staff").plan!.labels).toEqual([
      "rotations end", "promotion", "exits", "upward moves", "downward moves", "recruitment", "staff conserved",
    ]);
    const rows = planRows(plan);
    expect(rows.find((r) => r.label === "exits")!.number).toBe("5.6.3");
    for (const r of rows) {
      expect(r.module).toMatch(/^sim\/.+\.ts$/);
      expect(r.doc.length).toBeGreaterThan(10);
    }
  });

  it("a fresh plan each call: inserting into one changes no other", () => {
    const a = monthPlan();
    a.insert({ label: "extra", module: "test", doc: "nothing", run: () => {} }, { after: "policy" });
    expect(monthPlan().labels).not.toContain("extra");
  });
});

describe("simulate runs the plan", () => {
  const s = baseline();
  const plain = simulate(s, SMALL);

  it("a step inserted after `residents` runs every month, sees the month's episodes, and changes no output", () => {
    const seen: { step: number; recording: boolean; episodes: number }[] = [];
    const r = simulate(s, {
      ...SMALL,
      plan: (p) =>
        p.insert(
          { label: "watch", module: "test", doc: "records what the residents step left", run: (st) => void seen.push({ step: st.step, recording: st.recording, episodes: st.kernel.episodesOut + st.kernel.episodesIn + st.kernel.episodesChronic }) },
          { after: "residents" },
        ),
    });
    const burnIn = s.parameters.simulation.burnInMonths;
    expect(seen.map((x) => x.step)).toEqual(Array.from({ length: burnIn + 24 }, (_, k) => k - burnIn));
    expect(seen.filter((x) => x.recording)).toHaveLength(24);
    const recorded = seen.filter((x) => x.recording).map((x) => x.episodes);
    const c = r.counters;
    expect(recorded).toEqual(Array.from(c.episodesOutpatient, (v, m) => v + c.episodesInpatient[m] + c.episodesChronic[m]));
    expect(differingOutputs(r, plain)).toEqual([]);
    expect(r.accounts).toEqual(plain.accounts);
  });

  it("a step inserted into the workforce's year runs once per recorded January, before the exits", () => {
    const calls: number[] = [];
    simulate(s, {
      ...SMALL,
      plan: (p) =>
        p.step("supply").plan!.step("staff").plan!.insert(
          { label: "census", module: "test", doc: "counts doctors before anyone leaves", run: (w: { x: { year: number } }) => void calls.push(w.x.year) },
          { before: "exits" },
        ),
    });
    expect(calls).toEqual([2018, 2019]);
  });

  it("a step that throws stops the run where it was inserted", () => {
    const stop = { label: "stop", module: "test", doc: "fails", run: () => { throw new Error("stopped in month"); } };
    expect(() => simulate(s, { ...SMALL, years: 1, plan: (p) => p.insert(stop, { before: "books check" }) })).toThrow("stopped in month");
  });

  it("an extra encounter sink hears every encounter: visits + admissions, cost and OOP", () => {
    class Tally implements EncounterSink {
      encounters = 0;
      cost = 0;
      oop = 0;
      encounter(e: Encounter): void {
        if (!recording.now) return;
        this.encounters++;
        this.cost += e.cost;
        this.oop += e.oop;
      }
    }
    const recording = { now: false };
    const tally = new Tally();
    const r = simulate(s, {
      ...SMALL,
      sinks: [tally],
      plan: (p) => p.insert({ label: "recording?", module: "test", doc: "tells the tally", run: (st) => void (recording.now = st.recording) }, { before: "policy" }),
    });
    const c = r.counters;
    const visits = sum(c.visitsVillage) + sum(c.visitsTownship) + sum(c.visitsCounty) + sum(c.visitsOutOfCounty);
    const admissions = sum(c.admissionsVillage) + sum(c.admissionsTownship) + sum(c.admissionsCounty) + sum(c.admissionsOutOfCounty);
    // a referred patient's first stop and a township inpatient's tests upstream are encounters too, counted apart from visits and admissions
    expect(tally.encounters).toBe(visits + admissions + sum(c.gatewayConsultations) + sum(c.transferStays) + sum(c.upstreamTests));
    expect(sum(c.upstreamTests)).toBeGreaterThan(0);
    expect(tally.cost).toBeCloseTo(sum(c.costOutpatient) + sum(c.costInpatient) + sum(c.costGateway) + sum(c.costUpstreamTests), 3);
    expect(tally.oop).toBeCloseTo(sum(c.oop), 3);
    expect(differingOutputs(r, plain)).toEqual([]);
  });
});
