/**
 * The CJK fonts resvg renders a chart with, cut down to the characters the chart uses.
 *
 * Why: resvg-js reads a font file from disk again for every text element it lays out
 * (thx/resvg-js#367, open), and Noto Sans CJK's collections are 20 MB each, so a chart
 * spent ≈2.5 s of system time copying them — most of the time of every briefing and
 * prefecture run's charts. A subset holding only the SVG's characters, cut by HarfBuzz's
 * hb-subset (the harfbuzzjs package's WebAssembly build), has the same glyph outlines and
 * metrics, so resvg draws the same pixels (the PNGs are byte-identical to those drawn with
 * the full collections: test/charts/render.test.ts) in well under a tenth of the time.
 * (resvg-js's fontBuffers option would avoid files, but it ignores `fitTo` and is slower.)
 *
 * Each subset is cut once per character set and kept as a file in a per-user temp folder
 * shared by every process (cacheDir). When no subset can be cut (a collection without the
 * Simplified Chinese face, HarfBuzz failing) the full files are used, as before.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { PACKAGE_ROOT } from "../manifest";
import { FONT } from "./style";

/** The face every chart names (style.ts FONT) in each collection file. */
const FACE = FONT;

/** hb-subset's set of layout features to keep (HB_SUBSET_SETS_LAYOUT_FEATURE_TAG), all of them as --layout-features='*'. */
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_MEMORY_MODE_READONLY = 1;

interface HarfBuzz {
  memory: { buffer: ArrayBuffer };
  _initialize(): void;
  malloc(n: number): number;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_set_clear(set: number): void;
  hb_set_invert(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

/**
 * The family names of the faces of a font file (a collection's, or a single font's): name
 * ID 16 (typographic family) or else 1, Windows Unicode English. Read by hand: a table
 * directory and the name table are a few fixed-size records, and harfbuzzjs's subset
 * build, the one library here that reads fonts, does not export name lookups.
 */
export function faceFamilies(buf: Buffer): (string | null)[] {
  const collection = buf.toString("latin1", 0, 4) === "ttcf";
  const offsets = collection ? Array.from({ length: buf.readUInt32BE(8) }, (_, i) => buf.readUInt32BE(12 + 4 * i)) : [0];
  return offsets.map((off) => {
    const tables = buf.readUInt16BE(off + 4);
    for (let t = 0; t < tables; t++) {
      const rec = off + 12 + 16 * t;
      if (buf.toString("latin1", rec, rec + 4) !== "name") continue;
      const at = buf.readUInt32BE(rec + 8);
      const count = buf.readUInt16BE(at + 2);
      const strings = at + buf.readUInt16BE(at + 4);
      const found = new Map<number, string>();
      for (let k = 0; k < count; k++) {
        const e = at + 6 + 12 * k;
        const [platform, encoding, language, id, length, offset] = [0, 2, 4, 6, 8, 10].map((d) => buf.readUInt16BE(e + d));
        if (platform !== 3 || (encoding !== 1 && encoding !== 10) || language !== 0x409 || (id !== 1 && id !== 16)) continue;
        const utf16be = Buffer.from(buf.subarray(strings + offset, strings + offset + length));
        found.set(id, utf16be.swap16().toString("utf16le"));
      }
      return found.get(16) ?? found.get(1) ?? null;
    }
    return null;
  });
}

/** One collection loaded into HarfBuzz: its face of FACE, null when it has none. */
interface LoadedFile {
  path: string;
  face: number | null;
}

/** Node's WebAssembly global (this project's TypeScript libs, without the DOM's, do not declare it). */
const WASM = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly;

let loaded: { hb: HarfBuzz; files: LoadedFile[] } | null = null;
/** character set → files, this process's; at most CUT_ENTRIES kept (a long-lived notebook kernel draws many charts) */
const cut = new Map<string, string[]>();
const CUT_ENTRIES = 256;

function load(fontFiles: readonly string[]): NonNullable<typeof loaded> {
  if (loaded && loaded.files.map((f) => f.path).join("\n") === fontFiles.join("\n")) return loaded;
  const wasm = createRequire(join(PACKAGE_ROOT, "package.json")).resolve("harfbuzzjs/dist/harfbuzz-subset.wasm");
  const hb = new WASM.Instance(new WASM.Module(readFileSync(wasm)), {}).exports as HarfBuzz;
  hb._initialize();
  const files = fontFiles.map((path): LoadedFile => {
    const buf = readFileSync(path);
    const index = faceFamilies(buf).indexOf(FACE);
    if (index < 0) return { path, face: null };
    const at = hb.malloc(buf.length);
    if (at === 0) return { path, face: null };
    new Uint8Array(hb.memory.buffer).set(buf, at);
    // the blob and the face stay for the process: every chart is cut from them
    return { path, face: hb.hb_face_create(hb.hb_blob_create(at, buf.length, HB_MEMORY_MODE_READONLY, 0, 0), index) };
  });
  cut.clear();
  loaded = { hb, files };
  return loaded;
}

/** `face` cut down to `codepoints`, keeping every layout feature; null when hb-subset fails. */
function subset(hb: HarfBuzz, face: number, codepoints: readonly number[]): Buffer | null {
  const input = hb.hb_subset_input_create_or_fail();
  if (input === 0) return null;
  try {
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const c of codepoints) hb.hb_set_add(unicodes, c);
    const features = hb.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    hb.hb_set_clear(features);
    hb.hb_set_invert(features);
    const result = hb.hb_subset_or_fail(face, input);
    if (result === 0) return null;
    const blob = hb.hb_face_reference_blob(result);
    const length = hb.hb_blob_get_length(blob);
    const bytes = length > 0 ? Buffer.from(new Uint8Array(hb.memory.buffer, hb.hb_blob_get_data(blob, 0), length)) : null;
    hb.hb_blob_destroy(blob);
    hb.hb_face_destroy(result);
    return bytes;
  } finally {
    hb.hb_subset_input_destroy(input);
  }
}

/**
 * The characters an SVG can draw: every character of its text (markup included, a
 * superset) and those its numeric character references (&#20013; &#x4E2D;) stand for.
 */
export function svgCodepoints(svg: string): number[] {
  const set = new Set(Array.from(svg, (ch) => ch.codePointAt(0)!));
  for (const m of svg.matchAll(/&#(x[0-9a-f]+|[0-9]+);/gi)) {
    const c = m[1][0] === "x" || m[1][0] === "X" ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (c >= 0 && c <= 0x10ffff) set.add(c);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The folder the cut fonts are kept in: one per user, shared by every process — each file
 * is named by the hash of its collection's version and character set, and written to a
 * temporary name, then renamed into place, so processes never see half a file and nothing
 * needs removing when a process is killed (a few files of ≈50–90 KB per character set;
 * the system's temp cleaning clears them).
 */
function cacheDir(): string {
  const dir = join(tmpdir(), `yigongti-fonts-${typeof process.getuid === "function" ? process.getuid() : "user"}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Font file `path` cut down to `codepoints`, as a file in the cache folder; null when it
 * cannot be cut. A cut another process (or an earlier run) left there is used without
 * loading the collection: it is named by the collection's path, size and modification
 * time and the character set.
 */
function cutFile(fontFiles: readonly string[], i: number, codepoints: readonly number[]): string | null {
  const path = fontFiles[i];
  const st = statSync(path);
  const key = createHash("sha256").update(`${path}\0${st.size}\0${st.mtimeMs}\0${FACE}`).update(Uint32Array.from(codepoints)).digest("hex").slice(0, 32);
  const file = join(cacheDir(), `${key}.otf`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  const state = load(fontFiles);
  const face = state.files[i].face;
  const bytes = face === null ? null : subset(state.hb, face, codepoints);
  if (!bytes) return null;
  const part = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.part`;
  writeFileSync(part, bytes);
  renameSync(part, file);
  return file;
}

/**
 * Font files for resvg to render `svg` with: each of `fontFiles` (the CJK collections)
 * cut down to FACE and the SVG's characters (svgCodepoints), or the file itself when it
 * cannot be cut (no such face, HarfBuzz failing, no writable temp folder) — slower, the
 * same drawing.
 */
export function chartFontFiles(svg: string, fontFiles: readonly string[]): string[] {
  const codepoints = svgCodepoints(svg);
  const key = createHash("sha256").update(fontFiles.join("\n")).update(Uint32Array.from(codepoints)).digest("hex");
  const known = cut.get(key);
  if (known) return known;
  const out = fontFiles.map((path, i) => {
    try {
      return cutFile(fontFiles, i, codepoints) ?? path;
    } catch {
      return path;
    }
  });
  if (cut.size >= CUT_ENTRIES) cut.clear();
  cut.set(key, out);
  return out;
}
