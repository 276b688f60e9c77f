import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ResultsStore, runWithStore } from "../../sim/experiments/store";
import { exportTables, storeSql } from "../../sim/experiments/sql";
import { BASELINE_SCENARIO } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-sql-");
afterAll(() => tmp.cleanup());

describe("SQL over the results store (DuckDB)", () => {
  it("queries runs and indicators, exports tidy CSV and Parquet", async () => {
    const dir = join(tmp.dir, "store");
    const jobs = [1, 2].map((seed) => ({ scenarioFile: BASELINE_SCENARIO, seed, years: 1, scale: 0.02, overrides: { "choice.habit": 0.5 } }));
    const { results } = await runWithStore(jobs, new ResultsStore(dir), { workers: 1 });
    const q = await storeSql(
      [dir],
      `SELECT r.seed, r.overrides->>'$."choice.habit"' AS habit, i.value FROM indicators i JOIN runs r USING (key)
       WHERE i.indicator = 'primaryVisitShare' AND i.granularity = 'year' ORDER BY r.seed`,
    );
    expect(q.columns).toEqual(["seed", "habit", "value"]);
    expect(q.rows).toEqual(results.map((r) => [String(r.job.seed), "0.5", r.yearly[0].values.primaryVisitShare.value]));
    const n = await storeSql([dir], "SELECT count(*) AS n, count(DISTINCT indicator) AS k FROM indicators WHERE granularity = 'month'");
    expect(Number(n.rows[0][0])).toBe(2 * 12 * Number(n.rows[0][1]));
    const out = join(tmp.dir, "export");
    const written = await exportTables([dir], out, { parquet: true });
    const csv = written.filter((f) => f.endsWith(".csv"));
    const pq = written.filter((f) => f.endsWith(".parquet"));
    expect(readFileSync(csv[1], "utf8").split("\n")[0]).toBe("key,granularity,period,indicator,value");
    const back = await storeSql([dir], `SELECT count(*) FROM read_parquet('${pq[1].replace(/'/g, "''")}')`);
    expect(Number(back.rows[0][0])).toBe(readFileSync(csv[1], "utf8").trim().split("\n").length - 1);
  });
});
