/**
 * Results as a tidy danfojs DataFrame for researchers: one row per (run, period,
 * indicator) — scenario, seed, granularity, period, indicator, unit, value — so a cell
 * filters, groups and aggregates it with danfojs's own API and shows it with its own
 * display (`df.print()`, `df.head()`):
 *
 *     const df = tidyFrame(s.runs);                                    // a Study's runs, or run()/compare() results
 *     df.query(df["indicator"].eq("primaryVisitShare")).print();
 *     df.groupby(["scenario", "period", "indicator"]).col(["value"]).mean().print();
 *
 * danfojs-node is loaded on the first call, not when the library loads: it brings
 * TensorFlow.js (≈1 s to import, ≈400 MB installed; measured in the README), which nothing
 * else needs. danfojs 1.2 has no pivot; `wideRows` gives the indicators-as-columns view.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { INDICATORS } from "../../sim/indicators";
import type { StudyRun } from "../../sim/study/study";
import { PROJECT_ROOT } from "./paths";

export interface TidyRow {
  scenario: string;
  seed: number;
  /** "year" (calendar years) or "month" (YYYY-MM) */
  granularity: "year" | "month";
  period: string;
  indicator: string;
  unit: string;
  /** the raw value (shares as fractions, growth as a rate, yuan); null where undefined (e.g. growth in the first year) */
  value: number | null;
}

export interface TidyOptions {
  /** indicator ids (default: every indicator the runs have) */
  indicators?: readonly string[];
  /** yearly (default) or monthly indicators */
  granularity?: "year" | "month";
}

/** The tidy rows (plain objects, no danfojs): runs × periods × indicators. */
export function tidyRows(runs: readonly StudyRun[], options: TidyOptions = {}): TidyRow[] {
  const granularity = options.granularity ?? "year";
  const known = new Map(INDICATORS.map((d) => [d.id, d]));
  for (const id of options.indicators ?? []) if (!known.has(id)) throw new Error(`unknown indicator ${JSON.stringify(id)}; known: ${[...known.keys()].join(", ")}`);
  const rows: TidyRow[] = [];
  for (const r of runs) {
    for (const p of granularity === "year" ? r.yearly : r.monthly) {
      for (const id of options.indicators ?? INDICATORS.map((d) => d.id)) {
        const v = p.values[id];
        if (!v) continue;
        rows.push({ scenario: r.name, seed: r.settings.seed, granularity, period: p.period, indicator: id, unit: known.get(id)!.unit, value: v.value });
      }
    }
  }
  return rows;
}

/** One row per (run, period), one column per indicator: the wide view danfojs 1.2 cannot pivot to. */
export function wideRows(rows: readonly TidyRow[]): Record<string, string | number | null>[] {
  const out = new Map<string, Record<string, string | number | null>>();
  for (const t of rows) {
    const key = JSON.stringify([t.scenario, t.seed, t.period]);
    let row = out.get(key);
    if (!row) out.set(key, (row = { scenario: t.scenario, seed: t.seed, period: t.period }));
    row[t.indicator] = t.value;
  }
  return [...out.values()];
}

type DanfoModule = typeof import("danfojs-node");
let danfo: DanfoModule | undefined;
/** danfojs-node, loaded once on first use from the project's node_modules (a devDependency: notebooks only). */
export function danfojs(): DanfoModule {
  danfo ??= createRequire(join(PROJECT_ROOT, "package.json"))("danfojs-node") as DanfoModule;
  return danfo;
}

/** The tidy rows as a danfojs DataFrame. */
export function tidyFrame(runs: readonly StudyRun[], options: TidyOptions = {}): InstanceType<DanfoModule["DataFrame"]> {
  const rows = tidyRows(runs, options);
  if (rows.length === 0) throw new Error("no indicator values in these runs (check the indicator ids and granularity)");
  return new (danfojs().DataFrame)(rows);
}
