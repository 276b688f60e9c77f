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

export class Plan<S, C = void> {
  private readonly list: Step<S, C>[];

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
    for (let k = 0; k < list.length; k++) list[k].run(state, context);
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
}

/** Every step of a plan and its sub-plans, in the order they run. */
export function planRows(plan: Plan<any, any>, prefix = "", depth = 0): PlanRow[] {
  const rows: PlanRow[] = [];
  plan.steps.forEach((s, k) => {
    const number = `${prefix}${k + 1}`;
    rows.push({ number, depth, plan: plan.name, label: s.label, module: s.module, when: s.when ?? "", doc: s.doc });
    if (s.plan) rows.push(...planRows(s.plan, `${number}.`, depth + 1));
  });
  return rows;
}

/** The plan as text: one line per step, sub-plans indented under the step that runs them. */
export function formatPlan(plan: Plan<any, any>): string {
  const rows = planRows(plan);
  const head = (r: PlanRow) => `${"  ".repeat(r.depth)}${r.number.padEnd(6)} ${r.label}`;
  const w = Math.max(...rows.map((r) => head(r).length)) + 2;
  const wm = Math.max(...rows.map((r) => r.module.length)) + 2;
  const lines = rows.map((r) => `${head(r).padEnd(w)}${r.module.padEnd(wm)}${r.when ? `[${r.when}] ` : ""}${r.doc}`);
  return `${plan.name}, in order:\n${lines.join("\n")}\n`;
}
