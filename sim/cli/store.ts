/**
 * `yigongti store`: look after results stores — merge shards, query with SQL (DuckDB),
 * export tidy CSV / Parquet tables, list what is stored.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { OUTPUT_KINDS, csvText, outputDirProblem, outputFolderProblem } from "../output";
import { storeRecords, exportTables, storeSql } from "../experiments/sql";
import { damagedAcross, damagedRecordWarning, mergeStores, type DamagedRecord } from "../experiments/store";
import { UsageError, parseArgs, parseChoice, parseDir, type OptionDef } from "./args";
import { textTable } from "./format";
import { EXIT_CODES, commandHelp } from "./help";

const OPTIONS: OptionDef[] = [
  { name: "query", value: "SQL", help: "sql: the query to run (tables runs and indicators; see below)" },
  { name: "format", value: "table|csv|json", parse: parseChoice(["table", "csv", "json"] as const), help: "sql: output format (default table)" },
  { name: "out", value: "DIR", parse: parseDir, help: "export: directory for runs.csv and indicators.csv (and .parquet with --parquet);\nwritten whole, replacing an earlier export there" },
  { name: "parquet", help: "export: also write runs.parquet and indicators.parquet" },
];

export const STORE_HELP = commandHelp(
  "yigongti store <merge|sql|export|list> …",
  `Results stores hold one JSON record per finished run (DIR/runs/<key>.json: job, manifest,
yearly and monthly indicator values); ensembles, sweeps and calibrations write to them.
A damaged record (empty or not valid JSON, e.g. after a power cut) is left out with a
warning on stderr; the next ensemble or sweep with that --store re-runs it.

  yigongti store merge DEST SRC…               copy runs from shard stores SRC into DEST
  yigongti store list DIR…                     runs per scenario, seeds, years, scale, model
  yigongti store sql DIR… --query "SQL"        query the stores with DuckDB SQL
  yigongti store export DIR… --out OUT [--parquet]   tidy tables for notebooks

SQL tables:
  runs(key, scenario, scenario_file, scenario_hash, seed, years, scale, start, months,
       residents, draw, overrides, tags, model, model_version, git_commit, git_dirty,
       parameters, manifest)            -- overrides, tags, parameters, manifest are JSON
  indicators(key, granularity, period, indicator, value)   -- granularity 'year' | 'month'`,
  OPTIONS,
  `Examples:
  yigongti store merge results/all results/shard-*
  yigongti store sql results/all --query "SELECT r.scenario, i.period, median(i.value) AS median
      FROM indicators i JOIN runs r USING (key) WHERE i.indicator = 'primaryVisitShare'
      AND i.granularity = 'year' GROUP BY ALL ORDER BY ALL"
  yigongti store export results/all --out out/tables --parquet

${EXIT_CODES}`,
);

function requireStores(dirs: string[]): void {
  if (dirs.length === 0) throw new UsageError("name at least one store directory", "store");
  for (const d of dirs) if (!existsSync(join(d, "runs"))) throw new UsageError(`${d}: not a results store (no runs/ directory)`, "store");
}

// Damaged records are left out of what list, sql and export show; say so, one line each.
function warnDamaged(records: readonly DamagedRecord[]): void {
  for (const r of records) process.stderr.write(damagedRecordWarning(r) + "\n");
}

export async function storeCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("store", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(STORE_HELP);
    return 0;
  }
  const [sub, ...dirs] = a.positionals;
  const o = a.options;
  switch (sub) {
    case "merge": {
      const [dest, ...sources] = dirs;
      if (!dest || sources.length === 0) throw new UsageError("merge needs DEST and at least one SRC: yigongti store merge DEST SRC…", "store");
      const p = outputDirProblem(dest);
      if (p) throw new UsageError(`${dest}: ${p}`, "store");
      requireStores(sources);
      const r = mergeStores(dest, sources);
      warnDamaged(r.damaged);
      process.stdout.write(`merged ${sources.length} store${sources.length === 1 ? "" : "s"} into ${dest}: ${r.copied} runs copied, ${r.present} already there\n`);
      return 0;
    }
    case "list": {
      requireStores(dirs);
      warnDamaged(damagedAcross(dirs));
      const groups = new Map<string, { n: number; seeds: Set<number>; years: Set<number>; scale: Set<number>; model: Set<string> }>();
      for (const r of storeRecords(dirs)) {
        const k = `${r.scenario.name}\t${r.scenario.hash.slice(0, 12)}`;
        if (!groups.has(k)) groups.set(k, { n: 0, seeds: new Set(), years: new Set(), scale: new Set(), model: new Set() });
        const g = groups.get(k)!;
        g.n++;
        g.seeds.add(r.job.seed);
        g.years.add(r.years);
        g.scale.add(r.scale);
        g.model.add(r.model);
      }
      const list = (s: Set<number | string>) => [...s].sort().join(", ");
      const rows = [...groups].map(([k, g]) => [...k.split("\t"), String(g.n), String(g.seeds.size), list(g.years), list(g.scale), list(g.model)]);
      process.stdout.write(textTable(["scenario", "hash", "runs", "seeds", "years", "scale", "model"], rows, ["left", "left", "right", "right", "left", "left", "left"]));
      return 0;
    }
    case "sql": {
      requireStores(dirs);
      const q = o.query as string | undefined;
      if (!q) throw new UsageError(`sql needs --query "SELECT …"`, "store");
      warnDamaged(damagedAcross(dirs));
      let r;
      try {
        r = await storeSql(dirs, q);
      } catch (e) {
        throw new UsageError(`--query: ${(e as Error).message.split("\n")[0]}`, "store");
      }
      const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
      const format = (o.format as string | undefined) ?? "table";
      if (format === "json") process.stdout.write(JSON.stringify(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])))) + "\n");
      else if (format === "csv") process.stdout.write(csvText(r.columns, r.rows.map((row) => row.map(cell))));
      else process.stdout.write(textTable(r.columns, r.rows.map((row) => row.map(cell)), r.columns.map(() => "left")));
      return 0;
    }
    case "export": {
      requireStores(dirs);
      const out = o.out as string | undefined;
      if (!out) throw new UsageError("export needs --out DIR", "store");
      const p = outputFolderProblem(out, OUTPUT_KINDS.export, dirs);
      if (p) throw new UsageError(`--out ${JSON.stringify(out)}: ${p}`, "store");
      warnDamaged(damagedAcross(dirs));
      const written = await exportTables(dirs, out, { parquet: Boolean(o.parquet) });
      process.stdout.write(`wrote ${written.join(", ")}\n`);
      return 0;
    }
    case undefined:
      throw new UsageError("missing the action: merge, list, sql or export", "store");
    default:
      throw new UsageError(`unknown action ${JSON.stringify(sub)}; allowed: merge, list, sql, export`, "store");
  }
}
