/** `yigongti explore`'s command line: help, bad options and an export into a folder that holds other files are refused clearly. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/yigongti.mjs"), "explore", ...args], { cwd: ROOT, encoding: "utf8" });
const tmp = mkdtempSync(join(tmpdir(), "yigongti-explore-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("yigongti explore (command line)", () => {
  it("--help names the options", () => {
    const r = cli("--help");
    expect(r.status).toBe(0);
    for (const o of ["--port", "--export", "--no-open"]) expect(r.stdout).toContain(o);
  });

  it("refuses a bad port, --export with --port, and an export over a folder of other files", () => {
    expect(cli("--port", "http").stderr).toMatch(/--port.*must be a port number from 0 to 65535/);
    expect(cli("--export", join(tmp, "a"), "--port", "9000").stderr).toMatch(/--export writes a folder and --port serves the page: give one/);
    const busy = join(tmp, "busy");
    spawnSync("mkdir", [busy]);
    writeFileSync(join(busy, "notes.txt"), "mine");
    const r = cli("--export", busy);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds other files/);
    expect(readdirSync(busy)).toEqual(["notes.txt"]);
  });

  it("a scenario named on the command line is offered, with the files its extends chain reads", () => {
    const mine = join(tmp, "mine");
    spawnSync("mkdir", [mine]);
    writeFileSync(join(mine, "my-reform.yaml"), `name: my-reform\nextends: ${join(ROOT, "scenarios/baseline-2018.yaml")}\ntimeline:\n  - from: 2019-01\n    source: assumption\n    set: {payment.regime: capitation}\n`);
    const out = join(tmp, "export");
    const r = cli(join(mine, "my-reform.yaml"), "--export", out);
    expect(r.status, r.stderr).toBe(0);
    const files = readFileSync(join(out, "files.js"), "utf8");
    const config = JSON.parse(files.slice(files.indexOf("=") + 1).trim().replace(/;$/, "")) as { scenarios: string[]; files: Record<string, string> };
    expect(config.scenarios).toEqual([join(mine, "my-reform.yaml")]);
    expect(Object.keys(config.files)).toContain(join(ROOT, "scenarios/baseline-2018.yaml"));
    expect(Object.keys(config.files)).toContain("/yigongti/data/seed-clauses.md");
    const bad = cli(join(mine, "nope.yaml"), "--export", join(tmp, "x"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/nope\.yaml: scenario file not found/);
  });
});
