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
 * Never stale, as the engine build: a build records a sha256 of every project file it
 * bundled and of this script, and the version of every package inside the bundle (read
 * from the package.json Node resolves from the root, so an installed copy of yigongti,
 * whose dependencies sit in a parent node_modules, still finds its shipped build fresh);
 * it is used only while all are unchanged, and rebuilt otherwise (≈1 s). Built on first use
 * by `yigongti explore`, by `npm run setup` and before `npm pack` (the build ships).
 *
 *     node scripts/build/explore.mjs [--force] [--only-current]   (--only-current: remove every other build; npm pack runs it)
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
  if (JSON.stringify(packageVersions(Object.keys(current.packages ?? {}))) !== JSON.stringify(current.packages ?? {})) return null;
  return { ...b, built: false };
}

/**
 * The bundled packages' names → their installed versions (null when not found), sorted by
 * name: the package.json Node would find from the root (looked up folder by folder, as
 * some packages' `exports` do not expose it).
 */
function packageVersions(names) {
  const out = {};
  for (const name of [...names].sort()) {
    out[name] = null;
    for (let dir = ROOT; ; dir = dirname(dir)) {
      const pj = join(dir, "node_modules", name, "package.json");
      if (existsSync(pj)) {
        out[name] = JSON.parse(readFileSync(pj, "utf8")).version ?? null;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return out;
}

/** The package an input under node_modules belongs to ("yaml", "@noble/hashes"). */
const packageOf = (path) => {
  const parts = path.split("node_modules/").pop().split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
};

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
  const all = [...new Set([...app.inputs, ...worker.inputs])];
  const inputs = [...all.filter((f) => !f.includes("node_modules/")), SELF, join(ROOT, "scripts/build/sources.cjs")].filter((f) => existsSync(f));
  const sources = sourceHashes(inputs, ROOT);
  const packages = packageVersions(new Set([...all.filter((f) => f.includes("node_modules/")).map(packageOf), "esbuild"]));
  const id = createHash("sha256").update(JSON.stringify({ sources, packages })).digest("hex").slice(0, 16);
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
  writeFileAtomic(join(EXPLORE_DIR, "current.json"), `${JSON.stringify({ id, sources, packages })}\n`);
  prune(id);
  return { ...b, built: true, ms: performance.now() - t0 };
}

/** Remove other builds unused for an hour, or all others (`--only-current`, before npm pack); a running explorer has read its files into memory. */
function prune(keep, maxIdleMs = 60 * 60 * 1000) {
  for (const name of readdirSync(EXPLORE_DIR)) {
    if (name === keep || !/^([0-9a-f]{16}|\.tmp-.*)$/.test(name)) continue;
    try {
      if (Date.now() - statSync(join(EXPLORE_DIR, name)).mtimeMs >= maxIdleMs) rmSync(join(EXPLORE_DIR, name), { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}

/** The current build if fresh, otherwise a new one. */
export async function ensureExploreBuild() {
  return freshExploreBuild() ?? (await buildExplore());
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const force = process.argv.includes("--force");
  (force ? buildExplore() : ensureExploreBuild()).then(
    (b) => (process.argv.includes("--only-current") && prune(b.id, 0), b),
  ).then(
    (b) => process.stderr.write(b.built ? `built ${posix(relative(process.cwd(), b.dir))} (app.js, worker-source.js) in ${(b.ms / 1000).toFixed(1)} s\n` : `${posix(relative(process.cwd(), b.dir))} is up to date\n`),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
