/**
 * Headless Chromium through playwright-core, using the machine's Debian `chromium`
 * (never a downloaded browser): the briefing PDF is printed with it, and the tests open
 * the briefing in it. Every request that is not a data: or file: URL is aborted and
 * recorded, so a page that tried to reach the network is caught, not silently served.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RenderProgress } from "../charts/render";

const PDF_STEPS = 4;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium binary: $YIGONGTI_CHROMIUM or /usr/bin/chromium; an error saying how to install it otherwise. */
export function chromiumPath(): string {
  const p = process.env.YIGONGTI_CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(p)) {
    throw new Error(`Chromium not found at ${p}: install Debian's browser with \`apt-get install chromium\` (npm run setup does) or set YIGONGTI_CHROMIUM to its path`);
  }
  return p;
}

export interface OfflineBrowser {
  context: BrowserContext;
  /** every URL the pages asked for that was not data: or file: (all were aborted) */
  blocked: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launch Chromium with a fresh profile directory and the network cut off. */
export async function launchOffline(): Promise<OfflineBrowser> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "yigongti-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`cannot start Chromium (${chromiumPath()}): ${(e as Error).message.split("\n")[0]}`, { cause: e });
  }
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("file:") || url === "about:blank") return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  return {
    context,
    blocked,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser, Page };

/**
 * Print HTML to an A4 PDF with page numbers in the footer. `onProgress` hears ("pdf",
 * step, 4): browser started, page laid out, fonts ready, printed.
 */
export async function htmlToPdf(html: string, footer: string, options: { onProgress?: RenderProgress } = {}): Promise<Buffer> {
  const step = (done: number) => options.onProgress?.("pdf", done, PDF_STEPS);
  step(0);
  const b = await launchOffline();
  try {
    step(1);
    const page = await b.newPage();
    await page.setContent(html, { waitUntil: "load", timeout: 60_000 });
    step(2);
    await page.evaluate("document.fonts.ready.then(() => true)");
    step(3);
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: "<div></div>",
      footerTemplate: `<div style="font-family:'Noto Sans CJK SC',sans-serif;font-size:7.5px;color:#666;width:100%;padding:0 13mm;display:flex;justify-content:space-between"><span>${footer}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
    });
    if (b.blocked.length) throw new Error(`the briefing asked for network resources: ${b.blocked.join(", ")}`);
    step(PDF_STEPS);
    return pdf;
  } finally {
    await b.close();
  }
}
