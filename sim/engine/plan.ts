/**
 * A plan: the model's causal order as data (after starsim's `Loop`).
 *
 * A plan is an ordered list of named steps, each a function of a typed state and
 * context. Running the plan runs its steps in order; printing it (`yigongti plan`,
 * `planRows`) shows the same list, one line each, so the order a reader sees is the order
 * the engine runs. A step may carry a sub-plan (the supply side's January, the
 * workforce's year) that it runs itself; the rows then nest. `insert` adds a step before
 * or after a named one — an analyser, a check, an experimental module — without editing
 * the engine.
 */

export interface Step<S, C = void> {
  /** short name, unique within its plan; `insert` finds steps by it */
  readonly label: string;
  /** the file that owns what the step does */
  readonly module: string;
  /** one line: what happens */
  readonly doc: string;
  /** when it runs, if not every time (the step itself checks) */
  readonly when?: string;
  readonly run: (state: S, context: C) => void;
  /** the plan this step runs, shown nested under it */
  readonly plan?: Plan<any, any>;
}

/** Where to insert: before or after the step with this label. */
export type Position = { before: string } | { after: string };

/** Time spent in a step (sub-plan included) and how often it ran, once timing is on. */
export interface StepTime {
  ms: number;
  calls: number;
}

export class Plan<S, C = void> {
  private readonly list: Step<S, C>[];
  /** per step, when timing is on (cf. starsim's `Loop.cpu_time`) */
  private times: Map<Step<S, C>, StepTime> | null = null;

  constructor(
    /** what one run of the plan is, e.g. "one month" */
    readonly name: string,
    steps: readonly Step<S, C>[],
  ) {
    this.list = [];
    for (const s of steps) this.add(s, this.list.length);
  }

  get steps(): readonly Step<S, C>[] {
    return this.list;
  }

  get labels(): string[] {
    return this.list.map((s) => s.label);
  }

  /** The step with this label (throws, naming the labels there are, if none). */
  step(label: string): Step<S, C> {
    return this.list[this.indexOf(label)];
  }

  /** Insert a step before or after a named one (cf. starsim `Loop.insert(func, label=…)`). */
  insert(step: Step<S, C>, at: Position): this {
    const i = "before" in at ? this.indexOf(at.before) : this.indexOf(at.after) + 1;
    this.add(step, i);
    return this;
  }

  /** Run every step once, in order. */
  run(state: S, context: C): void {
    const list = this.list;
    const times = this.times;
    if (times === null) {
      for (let k = 0; k < list.length; k++) list[k].run(state, context);
      return;
    }
    for (let k = 0; k < list.length; k++) {
      const t0 = performance.now();
      list[k].run(state, context);
      const t = times.get(list[k]) ?? { ms: 0, calls: 0 };
      t.ms += performance.now() - t0;
      t.calls++;
      times.set(list[k], t);
    }
  }

  /** Time every step from now on, in this plan and its sub-plans (wall time; a step's includes its sub-plan's). */
  startTiming(): this {
    this.times ??= new Map();
    for (const s of this.list) s.plan?.startTiming();
    return this;
  }

  /** The time a step has taken so far; undefined if timing is off or it has not run. */
  timeOf(label: string): StepTime | undefined {
    return this.times?.get(this.step(label));
  }

  private indexOf(label: string): number {
    const i = this.list.findIndex((s) => s.label === label);
    if (i < 0) throw new RangeError(`${this.name}: no step ${JSON.stringify(label)}; steps: ${this.labels.join(", ")}`);
    return i;
  }

  private add(step: Step<S, C>, i: number): void {
    if (!step.label) throw new RangeError(`${this.name}: a step needs a label`);
    if (this.list.some((s) => s.label === step.label)) throw new RangeError(`${this.name}: a step ${JSON.stringify(step.label)} already exists`);
    this.list.splice(i, 0, step);
  }
}

/** One printed line of a plan (cf. starsim `Loop.to_df()`). */
export interface PlanRow {
  /** position, nested: "4", "4.5", "4.5.3" */
  number: string;
  depth: number;
  /** the plan the step belongs to */
  plan: string;
  label: string;
  module: string;
  when: string;
  doc: string;
  /** with timing on: milliseconds in the step (sub-plan included) and runs */
  ms?: number;
  calls?: number;
}

/** Every step of a plan and its sub-plans, in the order they run. */
export function planRows(plan: Plan<any, any>, prefix = "", depth = 0): PlanRow[] {
  const rows: PlanRow[] = [];
  plan.steps.forEach((s, k) => {
    const number = `${prefix}${k + 1}`;
    const t = plan.timeOf(s.label);
    rows.push({ number, depth, plan: plan.name, label: s.label, module: s.module, when: s.when ?? "", doc: s.doc, ...(t ? { ms: t.ms, calls: t.calls } : {}) });
    if (s.plan) rows.push(...planRows(s.plan, `${number}.`, depth + 1));
  });
  return rows;
}

/**
 * The plan as text: one line per step, sub-plans indented under the step that runs them;
 * with timing on, each step's seconds, share of the top-level total and runs first.
 */
export function formatPlan(plan: Plan<any, any>): string {
  const rows = planRows(plan);
  const total = rows.filter((r) => r.depth === 0).reduce((a, r) => a + (r.ms ?? 0), 0);
  const timed = rows.some((r) => r.ms !== undefined);
  const time = (r: PlanRow) =>
    !timed ? "" : r.ms === undefined ? `${"".padStart(9)} ${"".padStart(6)} ${"".padStart(6)}  ` : `${(r.ms / 1000).toFixed(3).padStart(8)}s ${((100 * r.ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}% ${String(r.calls).padStart(5)}×  `;
  const head = (r: PlanRow) => `${"  ".repeat(r.depth)}${r.number.padEnd(6)} ${r.label}`;
  const w = Math.max(...rows.map((r) => head(r).length)) + 2;
  const wm = Math.max(...rows.map((r) => r.module.length)) + 2;
  const lines = rows.map((r) => `${time(r)}${head(r).padEnd(w)}${r.module.padEnd(wm)}${r.when ? `[${r.when}] ` : ""}${r.doc}`);
  return `${plan.name}, in order${timed ? ` (time in each step, share of ${(total / 1000).toFixed(3)} s, runs)` : ""}:\n${lines.join("\n")}\n`;
}
