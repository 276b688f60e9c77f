/**
 * Build the notebook library: notebooks/lib/yigongti.ts, the simulator and the chart
 * module bundled into ONE CommonJS file that tslab can `require`, with type declarations,
 * as a package at notebooks/node_modules/yigongti/ so that a cell writes
 *
 *     import { run, compare } from "yigongti";
 *
 * Why a bundle (tslab's traps, ../../../shared/stack-notes.md):
 * - tslab compiles cells with the notebook's folder as rootDir: `import "../sim/x"` fails.
 * - cells are compiled to CommonJS, so ESM-only packages with top-level await (vega,
 *   vega-lite and their d3 dependencies) cannot be required; here they are bundled into
 *   CommonJS instead (vega-canvas, the only top-level await, is swapped for its browser
 *   build, which returns no canvas — the node build finds none either without the
 *   optional `canvas` package; charts render to SVG with renderer "none").
 * - tslab resolves modules the Node10 way: a package with `main` and `types` is found.
 * - `import.meta.url` does not exist in CommonJS: each source file's use of it is replaced
 *   by that file's own URL in the checkout, so paths relative to a source file
 *   (package.json, fonts, node_modules) resolve as they do under tsx.
 * The source hashes, the staleness check and the import.meta.url mapping are those of the
 * engine build (scripts/build/sources.cjs; the CLI and the runner's workers run that build).
 * Packages that load fine with require (native resvg, playwright-core, danfojs-node,
 * plotly.js-dist-min) stay external and are loaded from the project's node_modules.
 *
 * The bundle is generated (gitignored) and rebuilt before every notebook session
 * (`npm run notebooks`) and notebook test; it also refuses to load if any of its
 * source files changed since it was built (a content hash per file), so a stale build is
 * never used silently. Takes ≈1–3 s.
 *
 *     node --import tsx scripts/notebooks/build-lib.ts      (npm run build:notebook-lib)
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { emitDeclarations } from "../build/declarations.mjs";
import { importMetaUrlPlugin, posix, sourceHashes } from "../build/sources.cjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ENTRY = join(ROOT, "notebooks/lib/yigongti.ts");
/** The generated package, found by Node's and tslab's resolvers from notebooks/. */
export const LIB_DIR = join(ROOT, "notebooks/node_modules/yigongti");

/** CommonJS-loadable packages kept out of the bundle (native binaries, heavy or read from disk). */
const EXTERNAL = ["@resvg/resvg-js", "@duckdb/*", "playwright-core", "danfojs-node", "@tensorflow/*", "plotly.js-dist-min", "tslab", "typescript", "esbuild"];

/** The helpers shared with the engine build (source hashes, the import.meta.url plugin). */
const SOURCES_HELPERS = fileURLToPath(new URL("../build/sources.cjs", import.meta.url));

/**
 * Runtime prelude: source URLs relative to the bundle, and the staleness check — the
 * engine build's (scripts/build/sources.cjs, required from the checkout at load time).
 */
function prelude(sources: Record<string, string>, libDir: string): string {
  const helpers = JSON.stringify(posix(relative(libDir, SOURCES_HELPERS)));
  return `"use strict";
function __yigongtiSourceUrl(rel) { return require("node:url").pathToFileURL(require("node:path").resolve(__dirname, rel)).href; }
(function checkFresh(sources) {
  const { changedSources, listFiles } = require(require("node:path").resolve(__dirname, ${helpers}));
  const changed = changedSources(sources, __dirname);
  if (changed.length) throw new Error("the notebook library (notebooks/node_modules/yigongti) is stale: " + listFiles(changed) + " changed since it was built. Rebuild it with \`npm run build:notebook-lib\` (npm run notebooks and the notebook tests do this), then restart the kernel.");
})(${JSON.stringify(sources)});
`;
}

export interface BuildReport {
  dir: string;
  bytes: number;
  sources: number;
  ms: number;
}

export interface BuildOptions {
  /** the library's entry (default notebooks/lib/yigongti.ts) */
  entry?: string;
  /** the package directory to write (default notebooks/node_modules/yigongti) */
  libDir?: string;
  /** the common root of the entry's sources, for the type declarations (default the repository) */
  rootDir?: string;
}

/** Build into a fresh directory and swap it in; on failure no (possibly stale) library is left behind. */
export async function buildNotebookLib(options: BuildOptions = {}): Promise<BuildReport> {
  const { entry = ENTRY, libDir = LIB_DIR, rootDir = ROOT } = options;
  const t0 = performance.now();
  const tmp = `${libDir}.build-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const outfile = join(tmp, "index.cjs");
    // hashes of the bytes esbuild compiled (an edit during the build must not be recorded as built)
    const compiled = new Map<string, string>();
    // Paths in the bundle are relative to its final home, libDir.
    const first = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile,
      external: EXTERNAL,
      alias: { "vega-canvas": join(ROOT, "node_modules/vega-canvas/build/vega-canvas.browser.js") },
      plugins: [importMetaUrlPlugin({ outDir: libDir, root: ROOT, format: "cjs", onSource: (path, hash) => compiled.set(path, hash) })],
      absWorkingDir: ROOT,
      metafile: true,
      write: false,
      logLevel: "silent",
      legalComments: "none",
    });
    if (first.warnings.length) {
      throw new Error(`esbuild warnings (treated as errors):\n${first.warnings.map((w) => `${w.location?.file ?? ""}:${w.location?.line ?? ""} ${w.text}`).join("\n")}`);
    }
    // metafile paths are relative to absWorkingDir
    const inputs = Object.keys(first.metafile!.inputs).filter((p) => !p.includes("node_modules/")).map((p) => resolve(ROOT, p));
    const sources = Object.fromEntries(
      Object.entries({
        ...sourceHashes(inputs.filter((p) => !compiled.has(p)), libDir),
        ...Object.fromEntries([...compiled].map(([p, h]) => [posix(relative(libDir, p)), h])),
      }).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const code = prelude(sources, libDir) + first.outputFiles![0].text;
    writeFileSync(outfile, code);
    const types = posix(relative(tmp, emitDeclarations({ entry, rootDir, outDir: join(tmp, "types"), what: "the notebook library" })));
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    writeFileSync(
      join(tmp, "package.json"),
      `${JSON.stringify({ name: "yigongti", version, private: true, description: "GENERATED by scripts/notebooks/build-lib.ts from notebooks/lib/yigongti.ts — do not edit", main: "index.cjs", types }, null, 2)}\n`,
    );
    rmSync(libDir, { recursive: true, force: true });
    renameSync(tmp, libDir);
    return { dir: libDir, bytes: Buffer.byteLength(code), sources: inputs.length, ms: performance.now() - t0 };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(libDir, { recursive: true, force: true });
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildNotebookLib().then(
    (r) => process.stderr.write(`built ${relative(process.cwd(), r.dir) || "."} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.sources} project sources) in ${(r.ms / 1000).toFixed(1)} s\n`),
    (e: unknown) => {
      process.stderr.write(`build:notebook-lib failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
