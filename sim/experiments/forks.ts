/**
 * Forking in experiments: jobs that share a run's beginning (the burn-in and the months
 * before the reform — the baseline and its reforms on one seed, a sweep's or a solve's
 * settings of a lever dated from a month) compute it once per thread and fork from there
 * (sim/engine/snapshot.ts). Each thread keeps its last few snapshots; a job forks from the
 * latest one whose prefix is its own (same county, scale, parameters, seed, horizon, trace
 * setting, and policy in every month before it), and otherwise runs from the start and
 * keeps a snapshot at its own first policy change. Results are bit-identical either way,
 * so job keys and stored results do not see it. YIGONGTI_FORK=0 turns it off (to measure).
 *
 * `forkGroup` names a job's prefix so the runner can hand jobs of one prefix to one worker.
 */
import { createHash } from "node:crypto";
import { PAYMENT_SCHEMES } from "../payment/registry";
import type { Scenario } from "../scenario/load";
import { calToYearMonth, firstPolicyChange, forkProblem, policyCalendar, policyHashes, runIdentity, type RunSnapshot } from "../engine/snapshot";
import { simulate, type SimulationResult } from "../simulate";

/** snapshots kept per thread (≈ 20 B per resident each, plus the trace's 16 B if kept) */
const KEEP = 3;
const snapshots: RunSnapshot[] = [];

/** Runs in this thread so far: forked from a kept snapshot, run from the start keeping one, run from the start. */
export const forkCounts = { forked: 0, saved: 0, plain: 0 };

export const forksEnabled = (): boolean => process.env.YIGONGTI_FORK !== "0";

export interface SharedRunOptions {
  seed: number;
  years: number;
  scale: number;
  traceResidents?: boolean;
  onProgress?: (monthsDone: number, monthsTotal: number) => void;
}

function prefixOf(s: Scenario, o: SharedRunOptions) {
  const months = o.years * 12;
  const identity = runIdentity(s, { seed: o.seed, months, scale: o.scale, traceResidents: o.traceResidents ?? false, paymentSchemes: PAYMENT_SCHEMES });
  return { identity, calendar: policyCalendar(s, months) };
}

/** simulate(s, o), forked from a kept snapshot where one fits (see the file comment). */
export function simulateShared(s: Scenario, o: SharedRunOptions): SimulationResult {
  if (!forksEnabled()) return simulate(s, o);
  const { identity, calendar } = prefixOf(s, o);
  let best: RunSnapshot | undefined;
  for (const snap of snapshots) if ((!best || snap.step > best.step) && forkProblem(snap, identity, calendar) === null) best = snap;
  if (best) {
    forkCounts.forked++;
    snapshots.splice(snapshots.indexOf(best), 1);
    snapshots.push(best); // most recently used last
    return simulate(s, { ...o, fork: best });
  }
  const k = firstPolicyChange(calendar);
  if (k === null) {
    forkCounts.plain++;
    return simulate(s, o);
  }
  forkCounts.saved++;
  return simulate(s, {
    ...o,
    saveAt: calToYearMonth(calendar.startCal + k),
    onSnapshot: (snap) => {
      snapshots.push(snap);
      if (snapshots.length > KEEP) snapshots.shift();
    },
  });
}

/** Forget the kept snapshots (tests; a long-lived thread that moves to other work). */
export function dropSnapshots(): void {
  snapshots.length = 0;
}

/**
 * The prefix a job would keep a snapshot of (its identity and its policy up to its first
 * policy change): jobs with one group share it. A job without a policy change is a group
 * of its own.
 */
export function forkGroup(s: Scenario, o: SharedRunOptions): string {
  const { identity, calendar } = prefixOf(s, o);
  const k = firstPolicyChange(calendar);
  if (k === null) return `none:${JSON.stringify(identity)}:${s.hash}`;
  return createHash("sha256").update(JSON.stringify({ identity, k, policies: policyHashes(calendar, k) })).digest("hex");
}
