/**
 * Benchmark of forking at the reform (sim/engine/snapshot.ts): a reform's 3-year run from
 * the start against the same run forked from the baseline's state at 2019-01 (the 12
 * burn-in months and 2018 not run again), and what taking and copying the snapshot costs.
 * CPU seconds of this process (steadier than wall time on a shared machine); figures, not
 * assertions. `node --import tsx bench/fork.ts [--scale 0.1] [--repeat 3]`
 */
import { fileURLToPath } from "node:url";
import { loadScenario } from "../sim/scenario/load";
import { countyFor, simulate, snapshotAt } from "../sim/simulate";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const scale = opt("scale", 0.1);
const repeat = opt("repeat", 3);
const file = (n: string) => fileURLToPath(new URL(`../scenarios/${n}.yaml`, import.meta.url));
const baseline = loadScenario(file("baseline-2018"));
const reform = loadScenario(file("differential-reimbursement"));
const run = { seed: 1, years: 3, scale };
const AT = { year: 2019, month: 1 };

const cpu = (f: () => void) => {
  const c0 = process.cpuUsage();
  f();
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1e6;
};
const best = (f: () => void) => Math.min(...Array.from({ length: repeat }, () => cpu(f)));

countyFor(baseline, scale); // the county is built once and cached; outside the timing
simulate(reform, { ...run, years: 1 }); // warm up the JIT
const fromStart = best(() => simulate(reform, run));
// the months from the fork month on, inside the run from the start: what a fork cannot save
let afterFork = Infinity;
for (let i = 0; i < repeat; i++) {
  let at12: NodeJS.CpuUsage | undefined;
  simulate(reform, { ...run, onProgress: (m) => void (m === 12 && (at12 = process.cpuUsage())) });
  const u = process.cpuUsage(at12);
  afterFork = Math.min(afterFork, (u.user + u.system) / 1e6);
}
let snap = snapshotAt(baseline, run, AT);
const snapshot = best(() => (snap = snapshotAt(baseline, run, AT)));
const forked = best(() => simulate(reform, { ...run, fork: snap }));
const residents = simulate(reform, { ...run, years: 1 }).residents;
const burnIn = baseline.parameters.simulation.burnInMonths;
const out = {
  scale,
  residents,
  months: { burnIn, beforeFork: 12, afterFork: 24 },
  cpuSeconds: { fromStart: +fromStart.toFixed(3), monthsFromTheForkInIt: +afterFork.toFixed(3), snapshotOnce: +snapshot.toFixed(3), forked: +forked.toFixed(3) },
  /** share of a run's time a fork saves, and the most it could (the burn-in's and 2018's share of the run from the start) */
  savedPerFork: +(1 - forked / fromStart).toFixed(3),
  prefixShare: +(1 - afterFork / fromStart).toFixed(3),
  /** what the months skipped are of the whole run's months */
  monthsSkippedShare: +((burnIn + 12) / (burnIn + 36)).toFixed(3),
};
console.log(JSON.stringify(out, null, 2));
