/**
 * The exact check: every recorded value — yearly and monthly indicators and yearly
 * counter totals for the fixed seed, and every seed's yearly indicators — compared to the
 * bit with a re-run. Each difference names its scenario, table, period and id, old → new,
 * with the absolute and relative change; they are sorted by size (relative change, then
 * absolute) so the largest move reads first.
 */
import type { PeriodTable, ScenarioTables } from "./reference";

export type TableName = "yearly" | "monthly" | "counters" | `seed ${number}`;

export interface ExactDifference {
  scenario: string;
  table: TableName;
  period: string;
  id: string;
  old: number | null;
  new: number | null;
  /** new − old (null when either side has no value) */
  absolute: number | null;
  /** (new − old) ÷ |old| (Infinity when old is 0; null when either side has no value) */
  relative: number | null;
  /** "changed", "now empty", "now has a value", "added" (not in the reference), "removed" (no longer produced) */
  kind: "changed" | "now empty" | "now has a value" | "added" | "removed";
}

const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Object.is(a, b));

function diffTable(scenario: string, table: TableName, ref: PeriodTable, fresh: PeriodTable, out: ExactDifference[]): void {
  const freshByPeriod = new Map(fresh.map((p) => [p.period, p.values]));
  const refPeriods = new Set(ref.map((p) => p.period));
  for (const p of ref) {
    const f = freshByPeriod.get(p.period);
    for (const [id, old] of Object.entries(p.values)) {
      if (!f || !(id in f)) {
        out.push({ scenario, table, period: p.period, id, old, new: null, absolute: null, relative: null, kind: "removed" });
        continue;
      }
      const now = f[id];
      if (same(old, now)) continue;
      if (old === null || now === null) {
        out.push({ scenario, table, period: p.period, id, old, new: now, absolute: null, relative: null, kind: old === null ? "now has a value" : "now empty" });
        continue;
      }
      const absolute = now - old;
      out.push({ scenario, table, period: p.period, id, old, new: now, absolute, relative: old === 0 ? Infinity : absolute / Math.abs(old), kind: "changed" });
    }
    if (f) for (const [id, now] of Object.entries(f)) if (!(id in p.values)) out.push({ scenario, table, period: p.period, id, old: null, new: now, absolute: null, relative: null, kind: "added" });
  }
  for (const p of fresh) {
    if (refPeriods.has(p.period)) continue;
    for (const [id, now] of Object.entries(p.values)) out.push({ scenario, table, period: p.period, id, old: null, new: now, absolute: null, relative: null, kind: "added" });
  }
}

/** Size for sorting: structural changes first, then |relative|, then |absolute|. */
function size(d: ExactDifference): [number, number] {
  if (d.kind !== "changed") return [Infinity, 0];
  return [Math.abs(d.relative ?? 0), Math.abs(d.absolute ?? 0)];
}

export function sortBySize(ds: ExactDifference[]): ExactDifference[] {
  return [...ds].sort((a, b) => {
    const [ra, aa] = size(a);
    const [rb, ab] = size(b);
    return rb - ra || ab - aa || (a.table < b.table ? -1 : a.table > b.table ? 1 : 0) || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) || (a.id < b.id ? -1 : 1);
  });
}

/** Every difference of one scenario's re-run from its reference tables, largest first. */
export function exactDifferences(scenario: string, ref: ScenarioTables, fresh: ScenarioTables, seeds: readonly number[]): ExactDifference[] {
  const out: ExactDifference[] = [];
  diffTable(scenario, "yearly", ref.yearly, fresh.yearly, out);
  diffTable(scenario, "monthly", ref.monthly, fresh.monthly, out);
  diffTable(scenario, "counters", ref.counters, fresh.counters, out);
  // the fixed seed's yearly values are already compared above
  seeds.forEach((s, k) => {
    if (k > 0) diffTable(scenario, `seed ${s}`, ref.ensemble[k], fresh.ensemble[k], out);
  });
  return sortBySize(out);
}
