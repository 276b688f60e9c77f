/**
 * The research-repository example (examples/research-ci): its scenarios load against this
 * checkout as "node_modules/yigongti", its record script writes a reference, and the
 * check commands of its GitHub Actions and GitLab CI files — run as written — pass on
 * it and fail with exit 3/4 after a scenario edit.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BIN, ROOT, removeTempDirs, tempDir } from "../cli/cli";

let repo: string;
const sh = (command: string, env: Record<string, string> = {}) => {
  // `npx yigongti` in the workflow files is this checkout's CLI here
  const cmd = command.replace(/^npx yigongti /, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} `).replace(/^yigongti /, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} `);
  const r = spawnSync("bash", ["-c", cmd], { cwd: repo, encoding: "utf8", env: { ...process.env, YIGONGTI_DEBUG: undefined, ...env } as NodeJS.ProcessEnv, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const checkCommand = (lines: string[]) => {
  const c = lines.find((l) => /yigongti regress check/.test(l));
  expect(c, "the CI file runs yigongti regress check").toBeDefined();
  return c!;
};
const githubCommand = () => checkCommand((parse(readFileSync(join(repo, ".github/workflows/regress.yml"), "utf8")).jobs.regress.steps as { run?: string }[]).flatMap((s) => (s.run ? [s.run] : [])));
const gitlab = () => parse(readFileSync(join(repo, ".gitlab-ci.yml"), "utf8")).regress.script as string[];

beforeAll(() => {
  repo = tempDir("yigongti-research-");
  cpSync(join(ROOT, "examples/research-ci"), repo, { recursive: true });
  mkdirSync(join(repo, "node_modules"));
  symlinkSync(ROOT, join(repo, "node_modules/yigongti"), "dir");
  const record = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).scripts["regress:record"] as string;
  const r = sh(`${record} --workers 2`);
  expect(r.stderr).toMatch(/wrote \d+ files to regress\/reference: 2 scenarios/);
  expect(r.code).toBe(0);
}, 600_000);
afterAll(removeTempDirs);

describe("examples/research-ci", () => {
  it("the GitHub Actions check passes on the fresh reference and writes the job summary and reports", () => {
    const summary = join(repo, "summary.md");
    writeFileSync(summary, "");
    const r = sh(githubCommand(), { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(summary, "utf8")).toMatch(/# Regression check 回归检验: ✅ match/);
    expect(existsSync(join(repo, "out/regress.xml"))).toBe(true);
    expect(JSON.parse(readFileSync(join(repo, "out/regress.json"), "utf8")).status).toBe("match");
  }, 600_000);
  it("the GitLab CI job passes too, and fails with exit 3 or 4 naming the scenario after an edit", () => {
    const script = gitlab().filter((l) => !/^npm ci/.test(l));
    for (const l of script.filter((x) => !/regress check/.test(x))) expect(sh(l).code).toBe(0);
    expect(sh(checkCommand(script)).code).toBe(0);
    const f = join(repo, "scenarios/my-reform.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("rate.township: 0.9", "rate.township: 0.95"));
    const r = sh(checkCommand(script));
    expect([3, 4]).toContain(r.code);
    expect(r.stdout).toMatch(/a scenario was edited \(my-reform\)/);
    expect(readFileSync(join(repo, "out/regress.xml"), "utf8")).toMatch(/<testcase name="my-reform" classname="regress\.exact"><failure/);
  }, 600_000);
});
