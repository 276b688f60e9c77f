/**
 * The package (SLOW, ≈30–60 s: npm pack builds dist/lib, then a real npm install): the
 * packed tarball installs into a fresh project, `import { loadScenario, simulate } from
 * "yigongti"` works there from plain Node, a shipped scenario loads with the same hash as
 * from this checkout, extend and a tiny simulation run, `npx yigongti run` works there,
 * and the type declarations type a consumer's code under both "Bundler" and "NodeNext"
 * resolution (a NodeNext project silently got `any` for the whole API before the
 * declarations had explicit extensions).
 * The install is offline-first (--prefer-offline): every dependency is in npm's cache
 * after the checkout's own `npm ci`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load";
import { BASELINE_SCENARIO, REPO_ROOT } from "../helpers/paths";

const dir = mkdtempSync(join(tmpdir(), "yigongti-package-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 150_000, env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const CONSUMER_TS = `import { extend, loadScenario, simulate, type Scenario } from "yigongti";
const s: Scenario = extend(loadScenario("node_modules/yigongti/scenarios/baseline-2018.yaml"), { name: "x" });
const months: number = simulate(s, { scale: 0.02, years: 1 }).months;
// @ts-expect-error months is a number: an API typed as any would make this line an error ("unused @ts-expect-error")
const wrong: string = simulate(s, { scale: 0.02, years: 1 }).months;
console.log(months, wrong);
`;

describe("the packed package, installed in a fresh project (slow)", () => {
  it("installs, imports from plain Node, loads, extends and simulates, and is typed", { timeout: 240_000 }, () => {
    const t0 = performance.now();
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], REPO_ROOT)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    for (const f of ["dist/lib/index.mjs", "dist/lib/types/sim/index.d.ts", "schema/scenario.schema.json", "scenarios/baseline-2018.yaml", "data/parameters.yaml", "data/seed-clauses.md", "bin/yigongti.mjs", "sim/simulate.ts"]) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("notebooks/"))).toBe(false);

    const project = join(dir, "consumer");
    run("mkdir", ["-p", project], dir);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    run("npm", ["install", join(dir, packed[0].filename), "--prefer-offline", "--no-audit", "--no-fund"], project);
    expect(existsSync(join(project, "node_modules/yigongti/dist/lib/index.mjs"))).toBe(true);

    writeFileSync(
      join(project, "try.mjs"),
      `import { extend, loadScenario, simulate } from "yigongti";
const base = loadScenario("node_modules/yigongti/scenarios/baseline-2018.yaml");
const reform = extend(base, { name: "earlier", timeline: [{ from: "2018-07", source: "assumption", set: { "payment.regime": "capitation" } }] });
const r = simulate(reform, { seed: 1, years: 1, scale: 0.02 });
let bad = "";
try { extend(base, { years: 99 }); } catch (e) { bad = e.problems[0]; }
console.log(JSON.stringify({ hash: base.hash, reform: reform.hash, months: r.months, residents: r.residents, bad }));
`,
    );
    const out = JSON.parse(run("node", ["try.mjs"], project).trim().split("\n").at(-1)!) as { hash: string; reform: string; months: number; residents: number; bad: string };
    expect(out.hash).toBe(loadScenario(BASELINE_SCENARIO).hash);
    expect(out.reform).not.toBe(out.hash);
    expect(out.months).toBe(12);
    expect(out.residents).toBeGreaterThan(0);
    expect(out.bad).toMatch(/years = 99: must be an integer between 1 and 50/);

    // the command line of the installed package (its engine build maps import.meta.url to its own sources, inside node_modules)
    run("npx", ["yigongti", "run", "node_modules/yigongti/scenarios/baseline-2018.yaml", "--scale", "0.02", "--years", "1", "--out", "out/r"], project);
    const manifest = JSON.parse(readFileSync(join(project, "out/r/manifest.json"), "utf8")) as { scenario: { hash: string } };
    expect(manifest.scenario.hash).toBe(out.hash);

    // the declarations: a consumer's TypeScript is checked against them (with this checkout's compiler)
    writeFileSync(join(project, "consumer.ts"), CONSUMER_TS);
    for (const [module, moduleResolution] of [["ESNext", "Bundler"], ["NodeNext", "NodeNext"]]) {
      writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module, moduleResolution, target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["consumer.ts"] }));
      run("node", [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], project);
    }
    const pkg = JSON.parse(readFileSync(join(project, "node_modules/yigongti/package.json"), "utf8")) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toContain(".");
    process.stderr.write(`package test: packed, installed, imported and type-checked in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  });
});
