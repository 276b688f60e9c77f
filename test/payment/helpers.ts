/** Shared pieces of the case-based payment tests: the run's environment, an encounter of a case, a case key with a wanted draw. */
import { Encounter } from "../../sim/engine/encounter";
import { CaseMix, caseKey, caseUniform } from "../../sim/payment/case-mix";
import type { SchemeEnvironment } from "../../sim/payment/scheme";
import type { Parameters } from "../../sim/parameters";
import { hashPrefix, streamKey, STREAMS } from "../../sim/random";
import { INPATIENT } from "../../sim/tier";
import { baseline } from "../helpers/scenarios";

export function environment(priceIndex = 1, parameters: Parameters = baseline().parameters): SchemeEnvironment {
  return { parameters, caseMix: new CaseMix(parameters), priceIndex };
}

/** The first case key whose draws satisfy `want` (searched over residents of one month). */
export function keyWhere(want: (u: (purpose: number) => number) => boolean): number {
  const stream = streamKey(1, STREAMS.caseMix);
  for (let i = 0; i < 100_000; i++) {
    const k = caseKey(hashPrefix(stream, i, 0), 32);
    if (want((p) => caseUniform(k, p))) return k;
  }
  throw new Error("no such case key");
}

/** An admission of group `group` at a facility of tier `tier`, severity `severity`, as the kernel hands it to a scheme. */
export function admission(o: { group: number; tier: number; severity: number; key: number }): Encounter {
  const e = new Encounter();
  e.care = INPATIENT;
  e.facility = 0;
  e.tier = o.tier;
  e.group = o.group;
  e.severity = o.severity;
  e.caseKey = o.key;
  e.enrolSlot = 0;
  e.community = 0;
  return e;
}

/** The claim the benefit rules settled for it (the kernel prices after caseCost). */
export function priced(e: Encounter, cost: number, oop: number, assistance = 0): Encounter {
  e.cost = cost;
  e.oop = oop;
  e.assistance = assistance;
  e.reimbursed = cost - oop - assistance;
  e.points = 0;
  e.bedDays = 0;
  e.standard = 0;
  return e;
}
