/**
 * `yigongti county import`: writes a county description from the shipped example tables
 * that `yigongti run` then runs; bad tables exit 2 naming the file, row and column; the
 * command line's mistakes exit 2 with one line.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE, FAST, ROOT, STACK_LINE, cli, removeTempDirs, tempDir } from "./cli";

afterAll(removeTempDirs);
const EXAMPLE = join(ROOT, "data/county-tables/example");

describe("yigongti county import", () => {
  it("imports the example tables, and a scenario pointing at the file runs", () => {
    const dir = tempDir();
    const out = join(dir, "counties/qujing-imported.yaml");
    const r = cli(["county", "import", EXAMPLE, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}: qujing-like — 12 townships, 204 villages, 600,000 residents, 2 county hospitals, 2 medical communities\n`);
    expect(readFileSync(out, "utf8")).toMatch(/^sources:\n {2}name: .*county\.csv, row 2 标识 \(name\)$/m);
    const scenario = join(dir, "on-imported.yaml");
    writeFileSync(scenario, `extends: ${JSON.stringify(BASELINE)}\nname: on-imported\ncounty: counties/qujing-imported.yaml\n`);
    const run = cli(["run", scenario, ...FAST, "--years", "1", "--out", join(dir, "result")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("on-imported");
    expect(JSON.parse(readFileSync(join(dir, "result/manifest.json"), "utf8")).countyFile).toContain("qujing-imported.yaml");
  });

  it("a bad cell: exit 2, the file, row and column, no stack trace, nothing written", () => {
    const dir = tempDir();
    const tables = join(dir, "tables");
    // a copy of the example CSVs with one bad cell
    cpSync(EXAMPLE, tables, { recursive: true });
    rmSync(join(tables, "example.xlsx"));
    const f = join(tables, "county-hospitals.csv");
    writeFileSync(f, readFileSync(f, "utf8").replace(",330,1000,", ",330,lots,"));
    const out = join(dir, "bad.yaml");
    const r = cli(["county", "import", tables, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${f}, row 2, column 5 床位 (beds): "lots" is not a number; expected a number from 0 to 100,000\n`);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [["county"], "needs a subcommand"],
    [["county", "export", "x"], 'unknown subcommand "export"'],
    [["county", "import"], "needs the tables"],
    [["county", "import", "data/county-tables/example"], "needs --out FILE.yaml"],
    [["county", "import", "data/county-tables/example", "--out", "x.txt"], "must be a .yaml file"],
    [["county", "import", "data/county-tables/example", "--out", "data/counties/qujing-like.yaml"], "exists; add --force to replace it"],
  ])("%j: exit 2, one line", (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("see yigongti county --help");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
