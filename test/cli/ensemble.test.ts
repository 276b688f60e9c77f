import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BASELINE, BIN, FAST, ROOT, cli, removeTempDirs, tempDir } from "./cli";

const REFORM = "scenarios/differential-reimbursement.yaml";
const SMALL = [...FAST, "--years", "2", "--seeds", "2", "--workers", "1"];
afterAll(removeTempDirs);

describe("yigongti ensemble", () => {
  it("--help describes every option", () => {
    const r = cli(["ensemble", "--help"]);
    expect(r.code).toBe(0);
    for (const o of ["--seeds", "--workers", "--baseline", "--parameter-draws", "--uncertainty", "--store", "--shard", "--out", "--years", "--scale", "--format"]) expect(r.stdout).toContain(o);
    expect(cli(["help"]).stdout).toContain("yigongti ensemble");
    expect(cli(["store", "--help"]).stdout).toMatch(/indicators\(key, granularity, period, indicator, value\)/);
  });

  it.each([
    [["ensemble", BASELINE, "--shard", "1/2"], /--shard needs --store/],
    [["ensemble", BASELINE, "--shard", "3/2", "--store", "x"], /--shard "3\/2": must be i\/N/],
    [["ensemble", BASELINE, "--seeds", "0"], /--seeds "0": must be a whole number of seeds from 1/],
    [["ensemble", "nope.yaml"], /nope\.yaml: scenario file not found/],
    [["ensemble", BASELINE, "--parameter-draws", "3"], /no uncertain parameters/],
    [["store", "sql", "no-such-store", "--query", "select 1"], /not a results store/],
  ])("%j is a clear error, exit 2, no stack trace", (args, message) => {
    const r = cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/^\s+at\s/m);
  });

  it("shards into separate stores, merges them, and summarises the merged store without re-running", () => {
    const dir = tempDir();
    const args = ["ensemble", REFORM, "--baseline", BASELINE, ...SMALL, "--no-progress", "--no-charts"];
    for (const i of [1, 2]) {
      const r = cli([...args, "--store", join(dir, `shard-${i}`), "--shard", `${i}/2`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/2: 2 of 4 jobs — 2 runs simulated`);
    }
    const merged = join(dir, "all");
    const m = cli(["store", "merge", merged, join(dir, "shard-1"), join(dir, "shard-2")]);
    expect(m.stdout).toContain("4 runs copied");
    const out = join(dir, "out");
    const r = cli([...args, "--store", merged, "--out", out, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("0 runs simulated, 4 found in the store");
    const report = JSON.parse(r.stdout);
    expect(report.runs).toHaveLength(4);
    const d = report.differences.find((x: { granularity: string; period: string; indicator: string }) => x.granularity === "year" && x.period === "2019" && x.indicator === "primaryVisitShare");
    expect(d.n).toBe(2);
    expect(d.median).toBeGreaterThan(0);
    // no parameter draws: no header-only variance.csv, and the reader is told why the band is narrow
    expect(readdirSync(out).sort()).toEqual(["differences.csv", "ensemble.json", "ensemble.md", "summary.csv"]);
    expect(r.stderr).toContain("variance.csv not written: the parameters were not drawn");
    expect(readFileSync(join(out, "ensemble.md"), "utf8")).toContain("parameters held at the parameter file's values (no --parameter-draws): the band is seed noise only");
    expect(readFileSync(join(out, "summary.csv"), "utf8").split("\n")[0]).toBe("scenario,granularity,period,indicator,n,median,p10,p90,mean,sd");
    expect(readFileSync(join(out, "ensemble.md"), "utf8")).toContain("Δ differential-reimbursement");
    // the same ensemble run directly, on 2 workers, gives the same summary
    const direct = cli(["ensemble", REFORM, "--baseline", BASELINE, ...SMALL.slice(0, -2), "--workers", "2", "--format", "json"]);
    expect(JSON.parse(direct.stdout).summary).toEqual(report.summary);
    const q = cli(["store", "sql", merged, "--format", "csv", "--query", "SELECT scenario, count(*) AS n FROM runs GROUP BY scenario ORDER BY scenario"]);
    expect(q.stdout).toBe("scenario,n\nbaseline-2018,2\ndifferential-reimbursement,2\n");
    expect(existsSync(join(merged, "runs"))).toBe(true);
  });

  it("store list, export, sql and merge warn once per damaged record and still succeed; the next ensemble re-runs it", () => {
    const dir = tempDir();
    const store = join(dir, "store");
    const args = ["ensemble", BASELINE, ...FAST, "--years", "1", "--seeds", "3", "--workers", "1", "--store", store, "--no-progress"];
    expect(cli(args).code).toBe(0);
    const [empty, truncated] = readdirSync(join(store, "runs")).filter((f) => f.endsWith(".json")).sort().map((f) => join(store, "runs", f));
    writeFileSync(empty, ""); // a power cut before the flush
    writeFileSync(truncated, readFileSync(truncated, "utf8").slice(0, 200));
    const warnings = [
      `${empty}: damaged record (empty), skipped; the next ensemble or sweep with this --store re-runs it`,
      `${truncated}: damaged record (not valid JSON), skipped; the next ensemble or sweep with this --store re-runs it`,
    ].sort();
    const lines = (stderr: string) => stderr.split("\n").filter(Boolean).sort();
    const list = cli(["store", "list", store]);
    expect([list.code, lines(list.stderr)]).toEqual([0, warnings]);
    expect(list.stdout).toMatch(/baseline-2018\s+\S+\s+1\s+1\s/); // the one intact run
    const sql = cli(["store", "sql", store, "--format", "csv", "--query", "SELECT count(*) AS n FROM runs"]);
    expect([sql.code, sql.stdout, lines(sql.stderr)]).toEqual([0, "n\n1\n", warnings]);
    const exported = cli(["store", "export", store, "--out", join(dir, "tables")]);
    expect([exported.code, lines(exported.stderr)]).toEqual([0, warnings]);
    expect(readFileSync(join(dir, "tables", "runs.csv"), "utf8").trim().split("\n")).toHaveLength(2);
    const merged = cli(["store", "merge", join(dir, "merged"), store]);
    expect([merged.code, lines(merged.stderr)]).toEqual([0, warnings]);
    expect(merged.stdout).toContain("1 runs copied");
    // the ensemble re-runs both, after which nothing is damaged
    expect(cli(args).stderr).toContain("2 runs simulated, 1 found in the store");
    expect(cli(["store", "list", store]).stderr).toBe("");
  });

  it("a damaged record with a good copy in another store given is named as such: list uses the copy, merge brings it in", () => {
    const dir = tempDir();
    const [a, b] = [join(dir, "a"), join(dir, "b")];
    expect(cli(["ensemble", BASELINE, ...FAST, "--years", "1", "--seeds", "3", "--workers", "1", "--store", a, "--no-progress"]).code).toBe(0);
    cpSync(a, b, { recursive: true });
    const damaged = join(a, "runs", readdirSync(join(a, "runs")).filter((f) => f.endsWith(".json")).sort()[0]);
    writeFileSync(damaged, "");
    const list = cli(["store", "list", a, b]);
    expect([list.code, list.stderr]).toEqual([0, `${damaged}: damaged record (empty), skipped; the good copy of this run in ${b} is used\n`]);
    expect(list.stdout).toMatch(/baseline-2018\s+\S+\s+3\s+3\s/); // nothing missing
    const dest = join(dir, "merged");
    const merged = cli(["store", "merge", dest, a, b]);
    expect([merged.code, merged.stderr]).toEqual([0, `${damaged}: damaged record (empty), skipped; the good copy of this run in ${dest} is used\n`]);
    expect(merged.stdout).toContain("3 runs copied, 2 already there");
    expect(cli(["store", "list", dest]).stderr).toBe("");
    // from the damaged store alone the run is missing, and the warning says it will be re-run
    const alone = cli(["store", "merge", join(dir, "alone"), a]);
    expect(alone.stderr).toBe(`${damaged}: damaged record (empty), skipped; the next ensemble or sweep with this --store re-runs it\n`);
    expect(alone.stdout).toContain("2 runs copied");
  });

  it("with --parameter-draws says the runs drew the parameters and writes a variance split whose parts add up", () => {
    const out = join(tempDir(), "out");
    const r = cli(["ensemble", BASELINE, ...FAST, "--years", "1", "--seeds", "2", "--workers", "1", "--parameter-draws", "2", "--uncertainty", "data/parameter-uncertainty.yaml", "--out", out, "--no-charts", "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/each run also draws the uncertain parameters \(2 draws × 2 seeds: [^)]*choice\.habit/);
    expect(readFileSync(join(out, "ensemble.md"), "utf8")).toContain("each run also draws the uncertain parameters");
    const [head, ...lines] = readFileSync(join(out, "variance.csv"), "utf8").trim().split("\n");
    const cols = head.split(",");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const v = Object.fromEntries(line.split(",").map((x, i) => [cols[i], x]));
      const [total, parameters, seeds] = [Number(v.total), Number(v.parameters), Number(v.seeds)];
      expect(parameters).toBeGreaterThanOrEqual(0);
      expect(parameters).toBeLessThanOrEqual(total * (1 + 1e-12));
      expect(Math.abs(parameters + seeds - total)).toBeLessThanOrEqual(1e-12 + 1e-9 * total);
    }
  });

  it("killed with SIGKILL mid-ensemble, keeps its finished runs intact and resumes with only the rest", async () => {
    const store = join(tempDir(), "store");
    const args = ["ensemble", BASELINE, ...FAST, "--years", "1", "--seeds", "8", "--workers", "1", "--store", store, "--no-progress"];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: "ignore" });
    const runs = () => (existsSync(join(store, "runs")) ? readdirSync(join(store, "runs")).filter((f) => f.endsWith(".json") && !f.startsWith(".")) : []);
    const exited = new Promise((r) => child.on("exit", r));
    while (runs().length < 2 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    const kept = runs().length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(8);
    const r = cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${8 - kept} run${8 - kept === 1 ? "" : "s"} simulated, ${kept} found in the store`);
    expect(runs()).toHaveLength(8);
  });
});
