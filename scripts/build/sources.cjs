/**
 * What the project's two esbuild bundles share, in one place: the engine build
 * (scripts/build/engine.mjs → dist/engine/, run by the CLI and the worker threads) and
 * the notebook library (scripts/notebooks/build-lib.ts → notebooks/node_modules/yigongti).
 *
 * - A build records a content hash (sha256) of every project source it was made from;
 *   `changedSources` re-hashes them, so a build made from other sources is never used.
 * - `importMetaUrlPlugin` maps each project source's `import.meta.url` to that source
 *   file's own URL, so paths computed from it (the package root in sim/manifest.ts, and
 *   from there package.json, data/, fonts, node_modules) resolve as when the sources run
 *   directly under tsx, wherever the bundle lives.
 * - `writeFileAtomic`: write to a temporary file and rename it over the target, so a
 *   concurrent reader sees the old file or the new one, never half of one.
 *
 * Plain CommonJS so that the CommonJS notebook bundle can `require` it at load time, the
 * launcher (bin/yigongti.mjs) can import it without any TypeScript loader, and the
 * TypeScript build script can import it (types: sources.d.cts).
 */
"use strict";
const { createHash } = require("node:crypto");
const { readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { isAbsolute, relative, resolve, sep } = require("node:path");

/** A path with forward slashes (paths recorded in builds are the same on every OS). */
function posix(p) {
  return p.split(sep).join("/");
}

/** sha256 (hex) of a file's bytes, or null when it cannot be read. */
function hashFile(path) {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}

/** {path relative to baseDir (posix): sha256} for the given absolute paths, sorted by path. */
function sourceHashes(paths, baseDir) {
  const out = {};
  for (const abs of [...paths].sort()) {
    const hash = hashFile(abs);
    if (hash === null) throw new Error(`cannot read build source ${abs}`);
    out[posix(relative(baseDir, abs))] = hash;
  }
  return out;
}

/** The absolute paths of the recorded sources whose content differs now (or that are gone). */
function changedSources(sources, baseDir) {
  const changed = [];
  for (const [rel, hash] of Object.entries(sources)) {
    const abs = resolve(baseDir, rel);
    if (hashFile(abs) !== hash) changed.push(abs);
  }
  return changed;
}

/** "a, b, c and 4 more" for an error message. */
function listFiles(files, max = 5) {
  return files.slice(0, max).join(", ") + (files.length > max ? ` and ${files.length - max} more` : "");
}

/**
 * Is this a source file of the project (not a dependency)? With `root`, judged from the
 * path inside the root, so a project that is itself installed under another project's
 * node_modules (the packed package) still maps its own sources.
 */
function isProjectSource(path, root) {
  const inside = root ? relative(root, path) : "..";
  // outside the root (or no root given): any file not under a node_modules folder
  const judged = inside.startsWith("..") || isAbsolute(inside) ? path : inside;
  return !judged.split(/[\\/]/).includes("node_modules");
}

/**
 * esbuild plugin: in the project's TypeScript sources, replace `import.meta.url` by an
 * expression giving the source file's own URL at run time, computed from the bundle's
 * location (`outDir`, the directory the bundle will finally live in):
 * - format "esm": `new URL("<source relative to outDir>", import.meta.url).href`
 *   (import.meta.url of the bundle itself);
 * - format "cjs": `<cjsHelper>("<source relative to outDir>")`, a function the bundle's
 *   prelude defines from __dirname (CommonJS has no import.meta).
 * Any other use of import.meta is an error. `onSource(path, sha256)` is called with the
 * hash of the very bytes compiled, so a build can record what it was made from.
 */
function importMetaUrlPlugin({ outDir, root, format, cjsHelper = "__yigongtiSourceUrl", onSource }) {
  return {
    name: "import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (!isProjectSource(args.path, root)) return undefined;
        const bytes = readFileSync(args.path);
        onSource?.(args.path, createHash("sha256").update(bytes).digest("hex"));
        const text = bytes.toString("utf8");
        if (!text.includes("import.meta")) return { contents: text, loader: "ts" };
        const rel = JSON.stringify(posix(relative(outDir, args.path)));
        const url = format === "esm" ? `new URL(${rel}, import.meta.url).href` : `${cjsHelper}(${rel})`;
        const replaced = text.replace(/\bimport\.meta\.url\b/g, url);
        if (/\bimport\.meta\b/.test(replaced.split(url).join(""))) {
          return { errors: [{ text: `${posix(relative(root, args.path))}: only import.meta.url is supported in a bundle` }] };
        }
        return { contents: replaced, loader: "ts" };
      });
    },
  };
}

/** Write `data` to `path` atomically (temporary file in the same directory, then rename). */
function writeFileAtomic(path, data) {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

module.exports = { posix, hashFile, sourceHashes, changedSources, listFiles, isProjectSource, importMetaUrlPlugin, writeFileAtomic };
