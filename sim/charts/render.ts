/**
 * Headless rendering: Vega-Lite → Vega → SVG (vega View with renderer "none", no
 * browser), SVG → PNG with resvg and the Noto Sans CJK font files loaded explicitly, so
 * Chinese renders and the PNG is byte-identical run to run on any machine with the same
 * fonts. Provenance (model version, scenario hashes, seed) goes into the SVG's
 * <metadata> and <desc> and into a caption line drawn under the chart.
 *
 * vega and vega-lite are ESM-only; they are imported lazily inside the async functions so
 * this module has no top-level await and stays loadable from a CommonJS build.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PACKAGE_ROOT } from "../manifest";
import type { Chart } from "./chart";
import { chartFontFiles } from "./fonts";
import { FONT, escapeHtml } from "./style";
import { textWidth, wrapText } from "./text";

/**
 * Progress of a rendering step, for a progress bar on stderr: `done` of `total` units of
 * `stage` ("charts": PNGs rendered; "pdf": browser started, page laid out, fonts ready,
 * printed). Called with done = 0 when a stage starts and done = total when it ends.
 */
export type RenderProgress = (stage: string, done: number, total: number) => void;

/** Where the run came from; embedded in every saved chart. */
export interface Provenance {
  modelVersion: string;
  /** the seed of a single-seed chart (the first seed when `seeds` is given) */
  seed: number;
  /** all seeds a chart summarises (an ensemble band): the caption then names them, not one seed */
  seeds?: readonly number[];
  scenarios: { name: string; hash: string }[];
  years?: number;
  scale?: number;
  /** git commit, when known */
  commit?: string | null;
}

/** Directories searched for the Noto Sans CJK font files (Debian fonts-noto-cjk first). */
export const FONT_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk", "/usr/share/fonts/truetype/noto"];
const FONT_FILES = ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"];

/** The Noto Sans CJK font files, or an error saying how to install them. */
export function cjkFontFiles(dirs: readonly string[] = process.env.YIGONGTI_CJK_FONT_DIR ? [process.env.YIGONGTI_CJK_FONT_DIR, ...FONT_DIRS] : FONT_DIRS): string[] {
  for (const d of dirs) {
    const files = FONT_FILES.map((f) => join(d, f));
    if (files.every((f) => existsSync(f))) return files;
  }
  throw new Error(
    `Noto Sans CJK fonts not found (looked for ${FONT_FILES.join(", ")} in ${dirs.join(", ")}): install them with \`apt-get install fonts-noto-cjk\` or set YIGONGTI_CJK_FONT_DIR`,
  );
}

type TextMetrics = { width: (item: Record<string, unknown>, text: unknown) => number };

function cjkWidth(item: Record<string, unknown>, text: unknown): number {
  const t = text ?? item.text;
  const s = Array.isArray(t) ? t.map(String).reduce((a, b) => (a.length > b.length ? a : b), "") : String(t ?? "");
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const w = item.fontWeight;
  return textWidth(s, size, w === "bold" || (typeof w === "number" && w >= 600));
}

/**
 * Every installed copy of vega-scenegraph (npm may nest several versions: vega-view's
 * renderer and vega's re-export can be different copies), so the width estimate is
 * replaced wherever text is measured, laid out or truncated.
 */
function scenegraphEntries(): string[] {
  const root = join(PACKAGE_ROOT, "node_modules");
  const dirs = [join(root, "vega-scenegraph")];
  try {
    for (const d of readdirSync(root)) if (d.startsWith("vega")) dirs.push(join(root, d, "node_modules", "vega-scenegraph"));
  } catch {
    // no node_modules here (e.g. a bundled build): only the copy vega itself imports is patched
  }
  const out: string[] = [];
  for (const d of dirs) {
    const pkg = join(d, "package.json");
    if (!existsSync(pkg)) continue;
    type Conditions = { import?: string; default?: string };
    const meta = JSON.parse(readFileSync(pkg, "utf8")) as { module?: string; main?: string; exports?: string | Conditions | Record<string, string | Conditions> };
    // exports: a path, a conditions object, or a map of subpaths whose "." is either.
    const ex = meta.exports;
    const dot = typeof ex === "object" && ex !== null && "." in ex ? (ex as Record<string, string | Conditions>)["."] : (ex as string | Conditions | undefined);
    const rel = typeof dot === "string" ? dot : (dot?.import ?? dot?.default ?? meta.module ?? meta.main);
    if (rel) out.push(join(d, rel));
  }
  return out;
}

let patched: Promise<void> | undefined;
async function useCjkTextWidths(vega: { textMetrics?: unknown }): Promise<void> {
  patched ??= (async () => {
    for (const entry of scenegraphEntries()) {
      const m = (await import(pathToFileURL(entry).href)) as { textMetrics?: TextMetrics };
      if (m.textMetrics) m.textMetrics.width = cjkWidth;
    }
  })();
  await patched;
  if (vega.textMetrics) (vega.textMetrics as TextMetrics).width = cjkWidth;
}

/** Vega-Lite spec → SVG text (no provenance). */
export async function vegaLiteToSvg(spec: Record<string, unknown>): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  await useCjkTextWidths(vega as unknown as { textMetrics?: unknown });
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One line saying where the numbers come from, in the chart's language. */
export function provenanceCaption(p: Provenance, lang: "zh" | "en"): string {
  const hashes = p.scenarios.map((s) => `${s.name} ${s.hash.slice(0, 8)}`).join("; ");
  const run = [p.years !== undefined ? (lang === "zh" ? `${p.years}年` : `${p.years} yr`) : "", p.scale !== undefined ? (lang === "zh" ? `规模 ${p.scale}` : `scale ${p.scale}`) : ""].filter(Boolean).join(", ");
  const seeds = seedsText(p);
  return lang === "zh"
    ? `yigongti 模型 ${p.modelVersion} · 种子 ${seeds}${run ? ` · ${run}` : ""} · 情景哈希：${hashes}`
    : `yigongti model ${p.modelVersion} · ${p.seeds && p.seeds.length > 1 ? "seeds" : "seed"} ${seeds}${run ? ` · ${run}` : ""} · scenario hash: ${hashes}`;
}

/** "1", "1–8" (consecutive seeds) or "1, 3, 7". */
function seedsText(p: Provenance): string {
  const s = p.seeds && p.seeds.length ? [...p.seeds] : [p.seed];
  if (s.length === 1) return String(s[0]);
  const consecutive = s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  return consecutive ? `${s[0]}–${s[s.length - 1]}` : s.join(", ");
}

const CAPTION_LINE = 15;

/**
 * Add provenance to a rendered SVG: <desc> and <metadata> after the opening tag, and a
 * caption line at the bottom (the canvas grows by one line).
 */
export function embedProvenance(svg: string, chart: Pick<Chart, "title" | "subtitle" | "lang" | "name">, p: Provenance): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error("not an SVG document");
  const w = Number(/\bwidth="([\d.]+)"/.exec(open[0])?.[1]);
  const h = Number(/\bheight="([\d.]+)"/.exec(open[0])?.[1]);
  if (!(w > 0 && h > 0)) throw new Error("SVG without width and height");
  const caption = provenanceCaption(p, chart.lang);
  const lines = wrapText(caption, w - 20, 11);
  const captionHeight = 8 + CAPTION_LINE * lines.length;
  const h2 = h + captionHeight;
  const tag = open[0]
    .replace(/\bheight="[\d.]+"/, `height="${h2}"`)
    .replace(/\bviewBox="0 0 ([\d.]+) [\d.]+"/, `viewBox="0 0 $1 ${h2}"`)
    .replace(/^<svg\b/, `<svg xmlns:yg="https://yigongti.invalid/provenance"`);
  const meta =
    `<desc>${escapeHtml(`${chart.title}. ${chart.subtitle}. ${caption}`)}</desc>` +
    `<metadata><yg:provenance chart="${escapeHtml(chart.name)}" model-version="${escapeHtml(p.modelVersion)}" seed="${p.seed}"` +
    (p.seeds && p.seeds.length > 1 ? ` seeds="${p.seeds.join(" ")}"` : "") +
    (p.years !== undefined ? ` years="${p.years}"` : "") +
    (p.scale !== undefined ? ` scale="${p.scale}"` : "") +
    (p.commit ? ` commit="${escapeHtml(p.commit)}"` : "") +
    `>${p.scenarios.map((s) => `<yg:scenario name="${escapeHtml(s.name)}" hash="${escapeHtml(s.hash)}"/>`).join("")}</yg:provenance></metadata>`;
  const text = lines.map((l, i) => `<text x="10" y="${h + 14 + i * CAPTION_LINE}" font-family="${FONT}" font-size="11" fill="#555555">${escapeHtml(l)}</text>`).join("");
  // The background rect vega draws covers the old height; extend the white under the caption.
  const bg = `<rect x="0" y="${h}" width="${w}" height="${captionHeight}" fill="#ffffff"/>`;
  const body = svg.slice(open[0].length).replace(/<\/svg>\s*$/, "");
  return `${tag}${meta}${body}${bg}${text}</svg>`;
}

/** An SVG rasterised: PNG bytes and the raw RGBA pixels (for checks). */
export interface Raster {
  png: Buffer;
  width: number;
  height: number;
  pixels: Buffer;
}

/** resvg's options for `svg`: the CJK fonts loaded from files (cut down to the SVG's characters: fonts.ts), no system fonts, white background. */
function resvgOptions(zoom: number, svg: string) {
  return {
    font: { fontFiles: chartFontFiles(svg, cjkFontFiles()), loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: "zoom" as const, value: zoom },
    background: "#ffffff",
  };
}

/** Rasterise an SVG with resvg (2× for print), the CJK fonts loaded from files; deterministic. */
export async function rasterize(svg: string, zoom = 2): Promise<Raster> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, resvgOptions(zoom, svg));
  const img = r.render();
  return { png: img.asPng(), width: img.width, height: img.height, pixels: img.pixels };
}

/** SVG → PNG (2× for print). */
export async function svgToPng(svg: string, zoom = 2): Promise<Buffer> {
  return (await rasterize(svg, zoom)).png;
}

/**
 * Worker-thread rasteriser (plain CommonJS, evaluated): resvg is synchronous native code,
 * so several charts are rendered at once, one per core; each message carries its chart's
 * options (its fonts cut in this thread: fonts.ts). Same resvg, same options: the same bytes.
 */
const RESVG_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { Resvg } = require(workerData.resvg);
parentPort.on("message", ({ id, svg, options }) => {
  try {
    parentPort.postMessage({ id, png: new Resvg(svg, options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});
`;

/**
 * SVGs → PNGs (2× for print), rendered in parallel on up to `workers` threads (default:
 * all cores); byte-identical to svgToPng one by one.
 */
export async function svgsToPng(svgs: readonly string[], zoom = 2, workers = availableParallelism(), onRendered?: (done: number, total: number) => void): Promise<Buffer[]> {
  const count = Math.max(1, Math.min(workers, svgs.length));
  let rendered = 0;
  onRendered?.(0, svgs.length);
  if (count <= 1) {
    const out: Buffer[] = [];
    for (const svg of svgs) {
      out.push(await svgToPng(svg, zoom));
      onRendered?.(++rendered, svgs.length);
    }
    return out;
  }
  const workerData = { resvg: createRequire(join(PACKAGE_ROOT, "package.json")).resolve("@resvg/resvg-js") };
  const out: Buffer[] = new Array(svgs.length);
  const pool = Array.from({ length: count }, () => new Worker(RESVG_WORKER, { eval: true, workerData, execArgv: [], stdout: false, stderr: false }));
  try {
    let next = 0;
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= svgs.length) return resolve();
              const id = next++;
              w.postMessage({ id, svg: svgs[id], options: resvgOptions(zoom, svgs[id]) });
            };
            w.on("message", (m: { id: number; png?: Uint8Array; error?: string }) => {
              if (m.error !== undefined || !m.png) return reject(new Error(`rendering chart ${m.id + 1} to PNG: ${m.error}`));
              out[m.id] = Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength);
              onRendered?.(++rendered, svgs.length);
              feed();
            });
            w.on("error", reject);
            w.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`PNG worker exited with code ${code}`))));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}

/** A chart as SVG (with provenance when given). */
export async function chartSvg(chart: Chart, provenance?: Provenance): Promise<string> {
  const svg = await vegaLiteToSvg(chart.vegaLite);
  return provenance ? embedProvenance(svg, chart, provenance) : svg;
}
