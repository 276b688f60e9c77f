/**
 * The bare logit loop: the floor a simulator's per-episode cost is compared with (the
 * roofline of `npm run bench`), and the machine-speed reference of `npm run
 * bench:prefecture` (the same loop over the default county, timed against the recorded run
 * bench/recorded.json, tells how fast this machine is against the one that recorded it).
 *
 * Per episode: one multinomial-logit choice among the resident's village's options (the
 * same choice sets, so the same average number of options), with a static utility, an
 * OOP term scaled by income, habit and crowding, and Gumbel noise drawn exactly as the
 * simulator does (one hash prefix per episode, one hash + tabulated quantile per option).
 * No illness draws, insurance, referral or books: what is left is the floor.
 */
import { gumbelFromHash, hashFromPrefix, hashPrefix, streamKey, STREAMS } from "../sim/random";
import type { Scenario } from "../sim/scenario/load";
import { countyFor } from "../sim/simulate";

/** CPU seconds of this process since `from`: on a loaded machine, what the run itself used. */
export function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

export interface BareLoop {
  seconds: number;
  cpuSeconds: number;
  meanOptions: number;
  /** the chosen options summed, so the loop's work cannot be optimised away */
  checksum: number;
}

/** `nEpisodes` bare logit choices over the residents of `scenario`'s county at `scale`. */
export function bareLoop(scenario: Scenario, scale: number, nEpisodes: number): BareLoop {
  const county = countyFor(scenario, scale);
  const R = county.residents;
  const n = R.count;
  const F = county.facilities.length;
  const K = county.optionFacility.length;
  const utilityStatic = Float64Array.from({ length: K }, (_, k) => -county.optionMinutes[k] / 60);
  const oop = Float64Array.from({ length: F }, (_, f) => 20 + (f % 7) * 30);
  const crowd = Float64Array.from({ length: F }, (_, f) => (f % 5) * 0.1);
  const last = new Int32Array(n).fill(-1);
  const key = streamKey(1, STREAMS.choice);
  const ch = scenario.parameters.choice;
  let options = 0;
  let checksum = 0;
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let e = 0; e < nEpisodes; e++) {
    const i = e % n;
    const v = R.village[i];
    const o0 = county.optionStart[v];
    const o1 = county.optionStart[v + 1];
    const w = (ch.oopPer100Yuan * ch.referenceMonthlyIncome) / (100 * R.monthlyIncome[i]);
    const h = hashPrefix(key, i, (e / n) | 0);
    const prev = last[i];
    let best = -1;
    let bestScore = -Infinity;
    for (let k = o0; k < o1; k++) {
      const f = county.optionFacility[k];
      const u = utilityStatic[k] + w * oop[f] + (prev === f ? ch.habit : 0) + ch.crowding * crowd[f];
      const s = u + gumbelFromHash(hashFromPrefix(h, k - o0));
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    options += o1 - o0;
    last[i] = county.optionFacility[best];
    checksum += best;
  }
  return { seconds: (performance.now() - t) / 1000, cpuSeconds: cpuSeconds(c0), meanOptions: options / nEpisodes, checksum };
}
