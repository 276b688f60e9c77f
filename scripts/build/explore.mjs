/**
 * The explorer build: the page (sim/explore/app.ts) and its Web Worker
 * (sim/explore/worker.ts) bundled by esbuild for the browser, so the simulator runs in
 * the page with no server behind it (`yigongti explore`, `--export DIR`).
 *
 *     dist/explore/current.json          which build is current, and the sources it was made from
 *     dist/explore/<id>/app.js           the page (a classic script: loads from file:// too)
 *     dist/explore/<id>/worker-source.js the worker's code as a string (self.YIGONGTI_WORKER_SOURCE),
 *                                        started from a Blob URL — a worker script file does not
 *                                        load from file:// in Chromium, a Blob one does
 *
 * Node built-ins never reach the bundles: node:fs reads the page's virtual file map
 * (sim/explore/vfs.ts), node:path is pathe, node:crypto's sha256 is @noble/hashes, and
 * `process` is a stub (sim/explore/shims/). The node-only parts of the study module (the
 * worker-thread runner, the DuckDB results store) are replaced by stubs that throw: the
 * page runs each seed in-thread in its own Web Worker (runStudySync).
 *
 * Never stale, as the engine build: a build records a sha256 of every file it bundled
 * (packages included — they are inside the bundle) and of this script; it is used only
 * while all are unchanged, and rebuilt otherwise (≈1 s). Built on first use by
 * `yigongti explore`, and by `npm run setup`.
 *
 *     node scripts/build/explore.mjs [--force]
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { changedSources, posix, sourceHashes, writeFileAtomic } from "./sources.cjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXPLORE_DIR = join(ROOT, "dist/explore");
const SELF = fileURLToPath(import.meta.url);
const ENTRIES = { app: "sim/explore/app.ts", worker: "sim/explore/worker.ts" };
const SHIMS = "sim/explore/shims";
/** Node built-in → its browser stand-in. */
const BUILTINS = { fs: `${SHIMS}/fs.ts`, crypto: `${SHIMS}/crypto.ts`, url: `${SHIMS}/url.ts`, child_process: `${SHIMS}/child_process.ts`, path: "pathe" };
/** Node-only modules of the study, replaced by stubs (the page never calls them). */
const NODE_ONLY = /sim\/experiments\/(runner|store)\.ts$/;
const NODE_ONLY_STUB = `const nodeOnly = (what) => () => { throw new Error(what + " is not available in the explorer page"); };
export const defaultWorkers = () => 1;
export const simulateAll = nodeOnly("the worker-thread runner");
export const runWithStore = nodeOnly("the results store");
export class ResultsStore { constructor() { nodeOnly("the results store")(); } }`;

function describe(id) {
  const dir = join(EXPLORE_DIR, id);
  return { id, dir, files: { app: join(dir, "app.js"), workerSource: join(dir, "worker-source.js") } };
}

/** The current build if made from the files exactly as they are now, else null. */
export function freshExploreBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(join(EXPLORE_DIR, "current.json"), "utf8"));
  } catch {
    return null;
  }
  if (!current || typeof current.id !== "string" || typeof current.sources !== "object") return null;
  const b = describe(current.id);
  if (!Object.values(b.files).every((f) => existsSync(f))) return null;
  if (changedSources(current.sources, ROOT).length > 0) return null;
  return { ...b, built: false };
}

async function bundle(entry) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "chrome110",
    write: false,
    metafile: true,
    minify: true,
    keepNames: true,
    legalComments: "none",
    logLevel: "silent",
    absWorkingDir: ROOT,
    inject: [join(ROOT, SHIMS, "process.ts")],
    define: { "import.meta.url": JSON.stringify("file:///yigongti/sim/manifest.ts") },
    plugins: [
      {
        name: "yigongti-browser",
        setup(b) {
          b.onResolve({ filter: /^node:/ }, (args) => {
            const name = args.path.slice("node:".length);
            const to = BUILTINS[name];
            if (!to) return { errors: [{ text: `${args.path} (imported by ${posix(relative(ROOT, args.importer))}) has no browser stand-in in the explorer build` }] };
            return to.startsWith("sim/") ? { path: join(ROOT, to) } : b.resolve(to, { kind: args.kind, resolveDir: ROOT });
          });
          b.onLoad({ filter: NODE_ONLY }, () => ({ contents: NODE_ONLY_STUB, loader: "js" }));
        },
      },
    ],
  }).catch((e) => {
    throw new Error(`explorer build failed:\n${(e.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ""}${m.text}`).join("\n") || e.message}`);
  });
  // import.meta.url is used only by sim/manifest.ts (PACKAGE_ROOT): the define gives it the virtual package root
  const js = result.outputFiles[0].text;
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes(":")).map((p) => resolve(ROOT, p));
  return { js, inputs };
}

/** Build now and make the build current. */
export async function buildExplore() {
  const t0 = performance.now();
  const app = await bundle(ENTRIES.app);
  const worker = await bundle(ENTRIES.worker);
  const inputs = [...new Set([...app.inputs, ...worker.inputs, SELF, join(ROOT, "scripts/build/sources.cjs"), join(ROOT, "node_modules/esbuild/package.json")])].filter((f) => existsSync(f));
  const sources = sourceHashes(inputs, ROOT);
  const id = createHash("sha256").update(JSON.stringify(sources)).digest("hex").slice(0, 16);
  const b = describe(id);
  if (!existsSync(b.dir)) {
    mkdirSync(EXPLORE_DIR, { recursive: true });
    const tmp = join(EXPLORE_DIR, `.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, "app.js"), app.js);
    writeFileSync(join(tmp, "worker-source.js"), `self.YIGONGTI_WORKER_SOURCE = ${JSON.stringify(worker.js)};\n`);
    try {
      renameSync(tmp, b.dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(b.dir)) throw e;
    }
  }
  writeFileAtomic(join(EXPLORE_DIR, "current.json"), `${JSON.stringify({ id, sources })}\n`);
  return { ...b, built: true, ms: performance.now() - t0 };
}

/** The current build if fresh, otherwise a new one. */
export async function ensureExploreBuild() {
  return freshExploreBuild() ?? (await buildExplore());
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const force = process.argv.includes("--force");
  (force ? buildExplore() : ensureExploreBuild()).then(
    (b) => process.stderr.write(b.built ? `built ${posix(relative(process.cwd(), b.dir))} (app.js, worker-source.js) in ${(b.ms / 1000).toFixed(1)} s\n` : `${posix(relative(process.cwd(), b.dir))} is up to date\n`),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
