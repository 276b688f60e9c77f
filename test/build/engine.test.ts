/**
 * The engine build (scripts/build/engine.mjs): the CLI and the runner's workers run one
 * esbuild bundle each instead of compiling TypeScript; a build is used only while every
 * source it was made from is unchanged; concurrent builds do not corrupt it; and the
 * bundle finds the package root and gives the same model fingerprint as the sources.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildEngine, ensureEngineBuild, freshEngineBuild, staleEngineSources } from "../../scripts/build/engine.mjs";
import { modelFingerprint } from "../../sim/experiments/fingerprint";
import { workerBundle, workerExecArgv } from "../../sim/experiments/worker-bundle";
import { PACKAGE_ROOT } from "../../sim/manifest";
import { BASELINE, cli, FAST, removeTempDirs, ROOT, tempDir } from "../cli/cli";

afterAll(removeTempDirs);

/** A tiny project: an entry importing a module that reports its own location. */
function tinyProject(): { root: string; dir: string; entries: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), "yigongti-engine-"));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src/where.ts"), 'import { fileURLToPath } from "node:url";\nexport const here = (): string => fileURLToPath(import.meta.url);\nexport const answer: number = 42;\n');
  writeFileSync(join(root, "src/main.ts"), 'export { answer, here } from "./where";\n');
  return { root, dir: join(root, "dist/engine"), entries: { main: "src/main.ts" } };
}

const importFresh = async (file: string) => (await import(`${pathToFileURL(file).href}?t=${Math.random()}`)) as { answer: number; here: () => string };

describe("engine build", () => {
  it("bundles the entries, maps import.meta.url to each source, and is fresh until a source changes", async () => {
    const p = tinyProject();
    expect(freshEngineBuild(p)).toBeNull();
    const first = await ensureEngineBuild(p);
    expect(first.built).toBe(true);
    const lib = await importFresh(first.files.main);
    expect([lib.answer, lib.here()]).toEqual([42, join(p.root, "src/where.ts")]);
    expect(freshEngineBuild(p)?.id).toBe(first.id);
    expect((await ensureEngineBuild(p)).built).toBe(false);

    writeFileSync(join(p.root, "src/where.ts"), readFileSync(join(p.root, "src/where.ts"), "utf8").replace("42", "43"));
    expect(staleEngineSources(p)).toEqual([join(p.root, "src/where.ts")]);
    expect(freshEngineBuild(p)).toBeNull();
    const second = await ensureEngineBuild(p);
    expect(second.built).toBe(true);
    expect(second.id).not.toBe(first.id);
    expect((await importFresh(second.files.main)).answer).toBe(43);
    // the old build stays in place for processes still running it
    expect((await importFresh(first.files.main)).answer).toBe(42);
  });

  it("survives several processes building at once (one build, all of them load it)", async () => {
    const p = tinyProject();
    const engine = pathToFileURL(join(ROOT, "scripts/build/engine.mjs")).href;
    const script = `const e = await import(${JSON.stringify(engine)}); const b = await e.buildEngine(${JSON.stringify(p)}); const m = await import(b.files.main); console.log(b.id + " " + m.answer);`;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; out: string; err: string }>((done) => {
          const c = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          c.stdout.on("data", (d) => (out += d));
          c.stderr.on("data", (d) => (err += d));
          c.on("close", (code) => done({ code, out, err }));
        }),
      ),
    );
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const ids = new Set(runs.map((r) => r.out.trim()));
    expect(ids.size).toBe(1);
    const [id, answer] = [...ids][0].split(" ");
    expect(answer).toBe("42");
    expect(freshEngineBuild(p)?.id).toBe(id);
    expect(readdirSync(p.dir).sort()).toEqual([id, "current.json"].sort()); // no temporary directories left
  }, 60_000);

  it("a failed build keeps the last good one current and reports the error", async () => {
    const p = tinyProject();
    const good = await buildEngine(p);
    writeFileSync(join(p.root, "src/where.ts"), "export const answer = ;\n");
    await expect(buildEngine(p)).rejects.toThrow(/engine build failed:[\s\S]*where\.ts/);
    expect(readdirSync(p.dir).sort()).toEqual([good.id, "current.json"].sort());
    expect(freshEngineBuild(p)).toBeNull(); // stale: never used with the changed source
  });
});

describe("the CLI and the workers run the engine build", () => {
  it("workers started from the sources (vitest) run the fresh worker bundle, without loaders", async () => {
    const url = await workerBundle();
    const build = freshEngineBuild();
    expect(build).not.toBeNull();
    expect(url.href).toBe(pathToFileURL(build!.files.worker).href);
    expect(workerExecArgv(["--import", "tsx", "--max-old-space-size=4096", "--import=tsx", "-r", "x", "--no-warnings"])).toEqual(["--max-old-space-size=4096", "--no-warnings"]);
  });

  it("the bundle finds the package root and gives the sources' model fingerprint (store records)", () => {
    const store = tempDir();
    const r = cli(["ensemble", BASELINE, "--seeds", "2", "--years", "1", ...FAST, "--workers", "2", "--store", store, "--no-progress"]);
    expect(r.code, r.stderr).toBe(0);
    const runs = readdirSync(join(store, "runs"));
    expect(runs).toHaveLength(2);
    for (const f of runs) {
      const rec = JSON.parse(readFileSync(join(store, "runs", f), "utf8")) as { model: string; manifest: { modelVersion: string } };
      expect(rec.model).toBe(modelFingerprint());
      expect(rec.manifest.modelVersion).toBe(JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")).version);
    }
  });

  it("a fresh copy of the sources builds on first use (as after npm ci) and rebuilds after an edit", () => {
    // A copy of the checkout's sources with the project's node_modules linked in: no dist/ yet.
    const copy = tempDir("yigongti-copy-");
    for (const d of ["bin", "sim", "scripts", "scenarios", "data"]) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
    for (const f of ["package.json", "tsconfig.json"]) cpSync(join(ROOT, f), join(copy, f));
    spawnSync("ln", ["-s", join(ROOT, "node_modules"), join(copy, "node_modules")]);
    const run = () => spawnSync(process.execPath, [join(copy, "bin/yigongti.mjs"), "--version"], { cwd: copy, encoding: "utf8" });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(first.stderr).toBe("");
    const current = () => JSON.parse(readFileSync(join(copy, "dist/engine/current.json"), "utf8")).id as string;
    const id = current();
    writeFileSync(join(copy, "sim/cli/help.ts"), `${readFileSync(join(copy, "sim/cli/help.ts"), "utf8")}\n// edited\n`);
    expect(run().status).toBe(0);
    expect(current()).not.toBe(id);
    rmSync(join(copy, "node_modules"));
  }, 60_000);
});
