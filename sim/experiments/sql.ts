/**
 * SQL over results stores, through an in-memory DuckDB database with two tables:
 *
 *   runs(key, scenario, scenario_file, scenario_hash, seed, years, scale, start, months,
 *        residents, draw, overrides JSON, tags JSON, model, model_version, git_commit,
 *        git_dirty, parameters JSON, manifest JSON)
 *   indicators(key, granularity 'year'|'month', period, indicator, value)
 *
 * e.g. SELECT r.scenario, i.period, median(i.value) FROM indicators i JOIN runs r USING (key)
 *      WHERE i.indicator = 'primaryVisitShare' AND i.granularity = 'year' GROUP BY ALL
 *
 * Tidy CSV export needs no database; Parquet export goes through DuckDB's COPY.
 */
import { join, resolve } from "node:path";
import { OUTPUT_KINDS, csvText, writeOutputFolderWith } from "../output";
import { ResultsStore, type StoredRun } from "./store";

export const RUN_COLUMNS = [
  ["key", "VARCHAR"], ["scenario", "VARCHAR"], ["scenario_file", "VARCHAR"], ["scenario_hash", "VARCHAR"], ["seed", "BIGINT"],
  ["years", "INTEGER"], ["scale", "DOUBLE"], ["start", "VARCHAR"], ["months", "INTEGER"], ["residents", "INTEGER"], ["draw", "INTEGER"],
  ["overrides", "JSON"], ["tags", "JSON"], ["model", "VARCHAR"], ["model_version", "VARCHAR"], ["git_commit", "VARCHAR"], ["git_dirty", "BOOLEAN"],
  ["parameters", "JSON"], ["manifest", "JSON"],
] as const;
export const INDICATOR_COLUMNS = [["key", "VARCHAR"], ["granularity", "VARCHAR"], ["period", "VARCHAR"], ["indicator", "VARCHAR"], ["value", "DOUBLE"]] as const;

/** Every usable record of the stores (a run present in several is read once; damaged records — see ResultsStore.damage — are left out). */
export function storeRecords(dirs: readonly string[]): StoredRun[] {
  const seen = new Set<string>();
  const out: StoredRun[] = [];
  for (const d of dirs) {
    const s = new ResultsStore(d);
    for (const k of s.keys()) {
      if (seen.has(k) || s.damage(k) !== null) continue;
      seen.add(k);
      out.push(s.readRecord(k));
    }
  }
  return out;
}

type Cell = string | number | boolean | null;

function runRow(r: StoredRun): Cell[] {
  const tags = r.job.tags ?? {};
  return [
    r.key, r.scenario.name, r.scenario.file, r.scenario.hash, r.job.seed, r.years, r.scale, r.start, r.months, r.residents,
    typeof tags.draw === "number" && tags.draw >= 0 ? tags.draw : null,
    JSON.stringify(r.job.overrides ?? {}), JSON.stringify(tags), r.model, r.manifest.modelVersion, r.manifest.git.commit, r.manifest.git.dirty,
    JSON.stringify(r.manifest.parameters), JSON.stringify(r.manifest),
  ];
}

function* indicatorRows(r: StoredRun): Generator<Cell[]> {
  for (const [g, periods] of [["year", r.yearly], ["month", r.monthly]] as const) {
    for (const p of periods) for (const [id, v] of Object.entries(p.values)) yield [r.key, g, p.period, id, v];
  }
}

/** Tidy CSV tables runs.csv (without the manifest column) and indicators.csv, by file name. */
export function csvTables(dirs: readonly string[]): Record<string, string> {
  const recs = storeRecords(dirs);
  const cols = RUN_COLUMNS.map(([c]) => c).filter((c) => c !== "manifest");
  const runs = csvText(cols, recs.map((r) => runRow(r).slice(0, cols.length)));
  const ind = csvText(INDICATOR_COLUMNS.map(([c]) => c), recs.flatMap((r) => [...indicatorRows(r)]));
  return { "runs.csv": runs, "indicators.csv": ind };
}

/**
 * `yigongti store export`: DIR/runs.csv and DIR/indicators.csv, and with `parquet`
 * DIR/runs.parquet and DIR/indicators.parquet (DuckDB COPY) — the folder written whole
 * (sim/output.ts), replacing an earlier export. Returns the paths written.
 */
export async function exportTables(dirs: readonly string[], outDir: string, options: { parquet?: boolean } = {}): Promise<string[]> {
  const tables = csvTables(dirs);
  const written: string[] = [];
  await writeOutputFolderWith(
    outDir,
    OUTPUT_KINDS.export,
    async (f) => {
      for (const [name, content] of Object.entries(tables)) f.write(name, content);
      written.push(...Object.keys(tables).map((n) => join(outDir, n)));
      if (options.parquet) {
        const c = await openStoreDatabase(dirs);
        try {
          for (const t of ["runs", "indicators"]) {
            await c.run(`COPY ${t} TO '${resolve(join(f.path, `${t}.parquet`)).replace(/'/g, "''")}' (FORMAT parquet)`);
            written.push(join(outDir, `${t}.parquet`));
          }
        } finally {
          c.closeSync();
        }
      }
    },
    dirs,
  );
  return written;
}

// DuckDB is loaded only when SQL or Parquet is asked for.
type Connection = import("@duckdb/node-api").DuckDBConnection;

/** An in-memory DuckDB database holding the stores' runs and indicators tables. */
export async function openStoreDatabase(dirs: readonly string[]): Promise<Connection> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run(`CREATE TABLE runs (${RUN_COLUMNS.map(([n, t]) => `"${n}" ${t === "JSON" ? "VARCHAR" : t}`).join(", ")})`);
  await c.run(`CREATE TABLE indicators (${INDICATOR_COLUMNS.map(([n, t]) => `"${n}" ${t}`).join(", ")})`);
  const runs = await c.createAppender("runs");
  const ind = await c.createAppender("indicators");
  const append = (a: typeof runs, types: readonly (readonly [string, string])[], row: Cell[]) => {
    row.forEach((v, i) => {
      const t = types[i][1];
      if (v === null || (typeof v === "number" && !Number.isFinite(v))) a.appendNull();
      else if (t === "BIGINT") a.appendBigInt(BigInt(v as number));
      else if (t === "INTEGER") a.appendInteger(v as number);
      else if (t === "DOUBLE") a.appendDouble(v as number);
      else if (t === "BOOLEAN") a.appendBoolean(v as boolean);
      else a.appendVarchar(String(v));
    });
    a.endRow();
  };
  for (const r of storeRecords(dirs)) {
    append(runs, RUN_COLUMNS, runRow(r));
    for (const row of indicatorRows(r)) append(ind, INDICATOR_COLUMNS, row);
  }
  runs.closeSync();
  ind.closeSync();
  // JSON columns as DuckDB JSON, so json_extract and ->> work on them
  await c.run(`CREATE OR REPLACE TABLE runs AS SELECT * REPLACE (${RUN_COLUMNS.filter(([, t]) => t === "JSON").map(([n]) => `"${n}"::JSON AS "${n}"`).join(", ")}) FROM runs`);
  return c;
}

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/** Run one SQL query over the stores. */
export async function storeSql(dirs: readonly string[], sql: string): Promise<QueryResult> {
  const c = await openStoreDatabase(dirs);
  try {
    const r = await c.runAndReadAll(sql);
    return { columns: r.columnNames(), rows: r.getRowsJson() as unknown[][] };
  } finally {
    c.closeSync();
  }
}
