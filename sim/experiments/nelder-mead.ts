/**
 * Bounded Nelder–Mead simplex search for calibration: derivative-free, needs no more
 * than a handful of model runs per step, and works with the small numbers of parameters
 * (2–8) that are calibrated together here.
 *
 * Why Nelder–Mead, and how noise is handled. A model run's indicators carry seed noise.
 * Calibration averages each candidate over a fixed set of common seeds (sample-average
 * approximation with common random numbers: every candidate is run on the same seeds, so
 * residents fall ill identically and two candidates differ only through the parameters).
 * The objective then is a deterministic function of the parameters whose differences
 * between nearby candidates are far more precise than its level — the setting in which a
 * simplex method, which only compares values, works well. SPSA would need hundreds of
 * runs to average out its random gradient; CMA-ES needs populations of ≥ 4 + 3 ln k runs
 * per step. For objectives that stay noisy between calls (fresh seeds each time),
 * `reevaluate` re-runs the best vertex every iteration and keeps the mean of its runs,
 * so one lucky draw cannot anchor the simplex (the resampling fix of Barton & Ivey 1996).
 *
 * Details: the search runs in the unit cube of the bounds, points are projected back
 * into it; adaptive coefficients (Gao & Han 2012) suit higher dimensions; after
 * convergence the search restarts from the best point with a fresh, smaller simplex
 * (a collapsed simplex is Nelder–Mead's known failure, McKinnon 1998), while budget lasts.
 */

/** Evaluate a batch of points (parameter values); may run them in parallel. */
export type BatchObjective = (points: number[][]) => Promise<number[]> | number[];

export interface NelderMeadOptions {
  lower: readonly number[];
  upper: readonly number[];
  /** most objective evaluations (points) in all, restarts and re-evaluations included */
  maxEvaluations: number;
  /** initial simplex edge as a fraction of each range (default 0.2) */
  initialStep?: number;
  /** converged when every vertex is within this distance of the best, in the unit cube (default 1e-3) */
  xTolerance?: number;
  /** the least improvement of a converged search over the previous best that earns another restart (default 1e-12) */
  fTolerance?: number;
  /** fresh simplices started from the best point after convergence (default 2) */
  restarts?: number;
  /** stop as soon as the best value is at or below this (default: −Infinity, never) */
  stopAt?: number;
  /** noisy objective: re-evaluate the best vertex each iteration and average (default false) */
  reevaluate?: boolean;
  /** called after each iteration */
  onIteration?: (state: { iteration: number; evaluations: number; best: number[]; bestValue: number }) => void;
}

export interface Evaluation {
  x: number[];
  value: number;
}

export interface NelderMeadResult {
  best: number[];
  /** objective at best (the mean of its evaluations when re-evaluated) */
  bestValue: number;
  evaluations: number;
  iterations: number;
  restarts: number;
  converged: boolean;
  /** every evaluation in order */
  history: Evaluation[];
}

interface Vertex {
  u: number[];
  sum: number;
  count: number;
}
const value = (v: Vertex) => v.sum / v.count;

export async function nelderMead(f: BatchObjective, start: readonly number[], opts: NelderMeadOptions): Promise<NelderMeadResult> {
  const k = start.length;
  const { lower, upper } = opts;
  if (lower.length !== k || upper.length !== k) throw new Error(`bounds have ${lower.length}/${upper.length} values for ${k} parameters`);
  for (let i = 0; i < k; i++) if (!(lower[i] < upper[i])) throw new Error(`parameter ${i}: lower bound ${lower[i]} must be below upper ${upper[i]}`);
  const xTol = opts.xTolerance ?? 1e-3;
  const fTol = opts.fTolerance ?? 1e-12;
  const step0 = opts.initialStep ?? 0.2;
  const maxRestarts = opts.restarts ?? 2;
  const stopAt = opts.stopAt ?? -Infinity;
  // Gao & Han's coefficients; for one parameter they would shrink onto a point, so the
  // standard ones (those of two dimensions) are used there.
  const n = Math.max(k, 2);
  const alpha = 1;
  const beta = 1 + 2 / n; // expansion
  const gamma = 0.75 - 1 / (2 * n); // contraction
  const delta = 1 - 1 / n; // shrink
  const clamp = (u: number[]) => u.map((x) => Math.min(1, Math.max(0, x)));
  const toX = (u: readonly number[]) => u.map((x, i) => lower[i] + (upper[i] - lower[i]) * x);
  const history: Evaluation[] = [];
  let evaluations = 0;
  const evaluate = async (us: number[][]): Promise<number[]> => {
    const xs = us.map(toX);
    const ys = await f(xs);
    if (ys.length !== xs.length) throw new Error(`objective returned ${ys.length} values for ${xs.length} points`);
    evaluations += xs.length;
    xs.forEach((x, i) => history.push({ x, value: ys[i] }));
    // A failed evaluation (NaN) ranks worst rather than poisoning the comparisons.
    return ys.map((y) => (Number.isNaN(y) ? Infinity : y));
  };
  const vertex = (u: number[], y: number): Vertex => ({ u, sum: y, count: 1 });
  const budgetLeft = () => opts.maxEvaluations - evaluations;

  let best: Vertex | undefined;
  let iterations = 0;
  let restarts = 0;
  let converged = false;
  let centre = clamp(start.map((x, i) => (x - lower[i]) / (upper[i] - lower[i])));
  let step = step0;

  for (;;) {
    // Initial simplex: the centre and one vertex per axis, stepping inward at a bound.
    const us = [centre.slice()];
    for (let i = 0; i < k; i++) {
      const u = centre.slice();
      u[i] = u[i] + step <= 1 ? u[i] + step : u[i] - step;
      us.push(clamp(u));
    }
    if (budgetLeft() < us.length) break;
    const ys = await evaluate(us);
    const simplex = us.map((u, i) => vertex(u, ys[i]));
    converged = false;
    while (budgetLeft() > 0) {
      simplex.sort((a, b) => value(a) - value(b));
      const lo = simplex[0];
      const size = Math.max(...simplex.slice(1).map((v) => Math.hypot(...v.u.map((x, i) => x - lo.u[i]))));
      // Not on equal values alone: a symmetric simplex straddling the minimum has them.
      if (size <= xTol || value(lo) <= stopAt) {
        converged = true;
        break;
      }
      iterations++;
      if (opts.reevaluate) {
        const [y] = await evaluate([lo.u]);
        lo.sum += y;
        lo.count++;
        simplex.sort((a, b) => value(a) - value(b));
        if (budgetLeft() <= 0) break;
      }
      const worst = simplex[k];
      const c = new Array(k).fill(0);
      for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) c[i] += simplex[j].u[i] / k;
      const along = (t: number) => clamp(c.map((ci, i) => ci + t * (ci - worst.u[i])));
      const fBest = value(simplex[0]);
      const fSecond = value(simplex[k - 1]);
      const fWorst = value(worst);
      const ur = along(alpha);
      const [yr] = await evaluate([ur]);
      if (yr < fBest) {
        if (budgetLeft() <= 0) {
          simplex[k] = vertex(ur, yr);
          break;
        }
        const ue = along(beta);
        const [ye] = await evaluate([ue]);
        simplex[k] = ye < yr ? vertex(ue, ye) : vertex(ur, yr);
      } else if (yr < fSecond) {
        simplex[k] = vertex(ur, yr);
      } else {
        if (budgetLeft() <= 0) break;
        const outside = yr < fWorst;
        const uc = along(outside ? gamma : -gamma);
        const [yc] = await evaluate([uc]);
        if (yc < (outside ? yr : fWorst)) {
          simplex[k] = vertex(uc, yc);
        } else {
          // Shrink toward the best vertex (evaluated as one batch).
          const b = simplex[0].u;
          const shrunk = simplex.slice(1).map((v) => clamp(v.u.map((x, i) => b[i] + delta * (x - b[i]))));
          if (budgetLeft() < shrunk.length) break;
          const ysh = await evaluate(shrunk);
          for (let j = 1; j <= k; j++) simplex[j] = vertex(shrunk[j - 1], ysh[j - 1]);
        }
      }
      simplex.sort((a, b) => value(a) - value(b));
      opts.onIteration?.({ iteration: iterations, evaluations, best: toX(simplex[0].u), bestValue: value(simplex[0]) });
    }
    simplex.sort((a, b) => value(a) - value(b));
    const improved = !best || value(simplex[0]) < value(best) - fTol;
    if (!best || value(simplex[0]) <= value(best)) best = simplex[0];
    if (!converged || !improved || restarts >= maxRestarts || value(best) <= stopAt) break;
    restarts++;
    centre = best.u.slice();
    step = Math.max(step / 2, 4 * xTol);
  }
  if (!best) throw new Error(`the evaluation budget (${opts.maxEvaluations}) is smaller than one simplex (${k + 1} points)`);
  return { best: toX(best.u), bestValue: value(best), evaluations, iterations, restarts, converged, history };
}
