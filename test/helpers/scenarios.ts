/**
 * Scenario helpers: load the baseline once, derive in-memory variants (a policy or a
 * parameter changed by dotted path, another county), and compare simulation outputs
 * bit for bit.
 */
import { loadScenario, type Scenario } from "../../sim/scenario/load";
import { setPath } from "../../sim/scenario/schema";
import { COUNTER_NAMES, type Counters } from "../../sim/indicators";
import type { SimulationResult } from "../../sim/simulate";
import { BASELINE_SCENARIO } from "./paths";

let cached: Scenario | undefined;

/** scenarios/baseline-2018.yaml, loaded once per test file (treat as read-only). */
export function baseline(): Scenario {
  cached ??= loadScenario(BASELINE_SCENARIO);
  return cached;
}

/** A copy of `s` with policy leaves changed (dotted paths under the policy tree). */
export function withPolicy(s: Scenario, changes: Record<string, unknown>): Scenario {
  let basePolicy = s.basePolicy;
  for (const [path, value] of Object.entries(changes)) basePolicy = setPath(basePolicy, path, value);
  return { ...s, basePolicy };
}

/** A copy of `s` with parameter leaves changed (dotted paths under the parameter tree). */
export function withParameters(s: Scenario, changes: Record<string, unknown>): Scenario {
  let parameters = s.parameters;
  for (const [path, value] of Object.entries(changes)) parameters = setPath(parameters, path, value);
  return { ...s, parameters };
}

/** Exact bit equality of two typed arrays (distinguishes −0 from 0 and NaN payloads). */
export function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Names of counters whose monthly series differ in any bit. */
export function differingCounters(a: Counters, b: Counters): string[] {
  return COUNTER_NAMES.filter((n) => !sameBits(a[n], b[n]));
}

/** Everything a run outputs that a user could see, compared bit for bit; returns what differs. */
export function differingOutputs(a: SimulationResult, b: SimulationResult): string[] {
  const out = differingCounters(a.counters, b.counters).map((n) => `counters.${n}`);
  if (!sameBits(a.facilityVisits, b.facilityVisits)) out.push("facilityVisits");
  if (!sameBits(a.facilityAdmissions, b.facilityAdmissions)) out.push("facilityAdmissions");
  if (!sameBits(a.communityPackage, b.communityPackage)) out.push("communityPackage");
  const names = new Set([...Object.keys(a.accounts), ...Object.keys(b.accounts)]);
  for (const n of names) if (!Object.is(a.accounts[n], b.accounts[n])) out.push(`accounts.${n}`);
  if (a.trace && b.trace) {
    if (!sameBits(a.trace.encounters, b.trace.encounters)) out.push("trace.encounters");
    if (!sameBits(a.trace.oop, b.trace.oop)) out.push("trace.oop");
  }
  return out;
}

/** Sum of a monthly counter over months [from, to). */
export function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}
