/**
 * The engine build: the command line (sim/cli/main.ts) and the runner's worker thread
 * (sim/experiments/worker.ts) compiled by esbuild into two ES-module bundles, so that
 * neither the CLI nor a worker compiles TypeScript when it starts.
 *
 *     dist/engine/current.json       which build is current, and the sources it was made from
 *     dist/engine/<id>/cli.mjs       the CLI (bin/yigongti.mjs imports it)
 *     dist/engine/<id>/worker.mjs    the worker (the runner starts it, from the CLI and from tsx/vitest)
 *
 * Never stale: a build records a sha256 of every project source it bundled (and of this
 * script, the shared helpers, tsconfig.json and esbuild's package.json); it is used only
 * while every one of them is unchanged — the check re-hashes them (a few ms) — and is
 * rebuilt otherwise (≈0.5 s). Built on first use: `npm ci` then `node bin/yigongti.mjs`
 * works (`npm run setup` and `npm run build` also build it ahead).
 *
 * Safe when several processes build at once: a build is written to a temporary directory
 * and renamed into place under its content id (an id is the hash of its sources, so two
 * builds of the same sources are the same build; whoever renames first wins), and
 * current.json is replaced atomically. A build directory is never modified once in place,
 * so a running process keeps using the build it started from (its CLI and its workers
 * always match); builds unused for an hour are removed, the three newest are kept.
 *
 * Packages (node_modules) stay external — loaded by Node as usual, natively where they
 * have native parts (@duckdb/node-api, @resvg/resvg-js), vega with its top-level await —
 * so only the project's own sources are bundled and a dependency update cannot leave a
 * stale copy inside a bundle. Each source's `import.meta.url` is mapped to that source
 * file (sources.cjs), so sim/manifest.ts finds the package root and the model fingerprint
 * (sim/experiments/fingerprint.ts, which hashes sim/) is the same as from the sources.
 *
 *     node scripts/build/engine.mjs [--force]          (npm run build)
 */
import { randomBytes, createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { changedSources, importMetaUrlPlugin, posix, sourceHashes, writeFileAtomic } from "./sources.cjs";

/** The package root (this file is scripts/build/engine.mjs). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Where builds go (gitignored). */
export const ENGINE_DIR = join(ROOT, "dist/engine");
/** The bundles: name → entry source, relative to the root. */
export const ENTRIES = { cli: "sim/cli/main.ts", worker: "sim/experiments/worker.ts" };
/** The module the CLI bundle tells which worker bundle belongs to it. */
const WORKER_BUNDLE_MODULE = "sim/experiments/worker-bundle.ts";
/** Builds unused for this long are removed (the newest KEEP always stay). */
const MAX_IDLE_MS = 60 * 60 * 1000;
const KEEP = 3;

const SELF = fileURLToPath(import.meta.url);
const HELPERS = join(dirname(SELF), "sources.cjs");

/**
 * @typedef {{ root?: string, dir?: string, entries?: Record<string, string> }} EngineOptions
 * @typedef {{ id: string, dir: string, files: Record<string, string>, built: boolean, ms?: number }} EngineBuild
 */

function settings(options = {}) {
  return { root: options.root ?? ROOT, dir: options.dir ?? ENGINE_DIR, entries: options.entries ?? ENTRIES };
}

function describe(dir, id, entries, built, ms) {
  const buildDir = join(dir, id);
  return { id, dir: buildDir, files: Object.fromEntries(Object.keys(entries).map((name) => [name, join(buildDir, `${name}.mjs`)])), built, ms };
}

const sameEntries = (a, b) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The current build, if it was made from the sources exactly as they are now; otherwise
 * null (no build yet, a source changed, or the build was removed). Synchronous and cheap.
 * @param {EngineOptions} [options]
 * @returns {EngineBuild | null}
 */
export function freshEngineBuild(options) {
  const { root, dir, entries } = settings(options);
  let current;
  try {
    current = JSON.parse(readFileSync(join(dir, "current.json"), "utf8"));
  } catch {
    return null;
  }
  if (!current || typeof current.id !== "string" || typeof current.sources !== "object" || !sameEntries(current.entries, entries)) return null;
  const build = describe(dir, current.id, entries, false);
  if (!Object.values(build.files).every((f) => existsSync(f))) return null;
  if (changedSources(current.sources, root).length > 0) return null;
  touch(build.dir);
  return build;
}

/** Sources of the build that differ now (absolute paths); [] when fresh, null when there is no build. */
export function staleEngineSources(options) {
  const { root, dir } = settings(options);
  try {
    return changedSources(JSON.parse(readFileSync(join(dir, "current.json"), "utf8")).sources, root);
  } catch {
    return null;
  }
}

function touch(path) {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // read-only or removed meanwhile: harmless
  }
}

/**
 * Build now (whether or not the current build is fresh) and make it current.
 * @param {EngineOptions} [options]
 * @returns {Promise<EngineBuild>}
 */
export async function buildEngine(options) {
  const { root, dir, entries } = settings(options);
  const t0 = performance.now();
  const { build, version } = await import("esbuild");
  const require = createRequire(join(root, "package.json"));
  let esbuildPackage = join(root, "node_modules/esbuild/package.json");
  try {
    esbuildPackage = require.resolve("esbuild/package.json");
  } catch {
    // a root without esbuild of its own (tests): esbuild's version is in the id instead
  }
  // Hashes of the bytes esbuild actually compiled (not re-read afterwards: an edit during
  // the build must not be recorded as built).
  const compiled = new Map();
  const builderInputs = [SELF, HELPERS, join(root, "tsconfig.json"), esbuildPackage].filter((f) => existsSync(f));
  const builderHashes = sourceHashes(builderInputs, root);
  // All build directories are siblings (dir/<id>/), so paths relative to any of them are the same.
  const finalDirForPaths = join(dir, "_");
  const workerBundleModule = join(root, WORKER_BUNDLE_MODULE);
  const result = await build({
    entryPoints: Object.keys(entries).map((name) => ({ in: `yigongti-entry:${name}`, out: name })),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir: finalDirForPaths,
    outExtension: { ".js": ".mjs" },
    packages: "external",
    keepNames: true, // as tsx does: class and function names stay as in the sources
    sourcemap: "linked",
    sourcesContent: false,
    plugins: [
      {
        // The entries: each bundle is its entry source; the CLI also names its own worker bundle.
        name: "yigongti-entries",
        setup(b) {
          b.onResolve({ filter: /^yigongti-entry:/ }, (args) => ({ path: args.path.slice("yigongti-entry:".length), namespace: "yigongti-entry" }));
          b.onLoad({ filter: /.*/, namespace: "yigongti-entry" }, (args) => {
            const entry = JSON.stringify(join(root, entries[args.path]));
            const lines = [`export * from ${entry};`];
            if (args.path === "cli" && entries.worker && existsSync(workerBundleModule)) {
              lines.unshift(`import { useWorkerBundle } from ${JSON.stringify(workerBundleModule)};`, `useWorkerBundle(new URL("./worker.mjs", import.meta.url).href);`);
            }
            return { contents: lines.join("\n"), loader: "js", resolveDir: root };
          });
        },
      },
      importMetaUrlPlugin({ outDir: finalDirForPaths, root, format: "esm", onSource: (path, hash) => compiled.set(path, hash) }),
    ],
    absWorkingDir: root,
    metafile: true,
    write: false,
    logLevel: "silent",
    legalComments: "none",
  }).catch((e) => {
    throw new Error(`engine build failed:\n${(e.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ""}${m.text}`).join("\n") || e.message}`);
  });
  if (result.warnings.length) {
    throw new Error(`engine build: esbuild warnings (treated as errors):\n${result.warnings.map((w) => `${w.location?.file ?? ""}:${w.location?.line ?? ""} ${w.text}`).join("\n")}`);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes(":") && !p.includes("node_modules/")).map((p) => resolve(root, p));
  const others = inputs.filter((p) => !compiled.has(p));
  const sources = { ...Object.fromEntries([...compiled].map(([p, h]) => [posix(relative(root, p)), h])), ...sourceHashes(others, root), ...builderHashes };
  const sorted = Object.fromEntries(Object.entries(sources).sort(([a], [b]) => (a < b ? -1 : 1)));
  const id = createHash("sha256").update(JSON.stringify({ entries, esbuild: version, sources: sorted })).digest("hex").slice(0, 16);

  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(tmp);
  try {
    for (const f of result.outputFiles) writeFileSync(join(tmp, relative(finalDirForPaths, f.path)), f.contents);
    writeFileSync(join(tmp, "build.json"), `${JSON.stringify({ id, entries, esbuild: version, node: process.version, builtAt: new Date().toISOString(), sources: sorted }, null, 2)}\n`);
    try {
      renameSync(tmp, join(dir, id));
    } catch (e) {
      // Another process has put the same build (same id, same sources) in place first.
      if (!existsSync(join(dir, id, "build.json"))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeFileAtomic(join(dir, "current.json"), `${JSON.stringify({ id, entries, sources: sorted })}\n`);
  prune(dir, id);
  return describe(dir, id, entries, true, performance.now() - t0);
}

/** Remove builds (and abandoned temporary directories) unused for an hour, keeping the newest. */
function prune(dir, keepId) {
  const now = Date.now();
  const builds = [];
  for (const name of readdirSync(dir)) {
    if (name === keepId || name === "current.json" || name.startsWith("current.json.tmp-")) continue;
    let mtime;
    try {
      mtime = statSync(join(dir, name)).mtimeMs;
    } catch {
      continue;
    }
    if (name.startsWith(".tmp-")) {
      if (now - mtime > MAX_IDLE_MS) rmSync(join(dir, name), { recursive: true, force: true });
    } else if (/^[0-9a-f]{16}$/.test(name)) builds.push({ name, mtime });
  }
  builds.sort((a, b) => b.mtime - a.mtime);
  for (const b of builds.slice(KEEP - 1)) if (now - b.mtime > MAX_IDLE_MS) rmSync(join(dir, b.name), { recursive: true, force: true });
}

/**
 * The current build if fresh, otherwise a new one: what the CLI and the runner call.
 * @param {EngineOptions} [options]
 * @returns {Promise<EngineBuild>}
 */
export async function ensureEngineBuild(options) {
  return freshEngineBuild(options) ?? (await buildEngine(options));
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const force = process.argv.includes("--force");
  const fresh = force ? null : freshEngineBuild();
  (fresh ? Promise.resolve(fresh) : buildEngine()).then(
    (b) => process.stderr.write(b.built ? `built ${posix(relative(process.cwd(), b.dir))} (${Object.keys(b.files).join(", ")}) in ${(b.ms / 1000).toFixed(1)} s\n` : `${posix(relative(process.cwd(), b.dir))} is up to date\n`),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
