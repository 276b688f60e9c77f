/**
 * The explorer end to end in real Chromium (Debian's, through playwright-core): the page
 * `yigongti explore` serves on 127.0.0.1 and the folder `--export` writes, opened as
 * file://. Moving levers changes the result; the setting saved as a scenario YAML gives,
 * through `yigongti run` with the same seed and scale, the same figures and the same
 * content hash as the page; no console error; every request stays on the machine.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../sim/brief/browser";
import type { SeedResult } from "../../sim/explore/protocol";

const ROOT = join(__dirname, "../..");
const CLI = join(ROOT, "bin/yigongti.mjs");
const LOCAL = /^(http:\/\/127\.0\.0\.1[:/]|file:|blob:|data:)/;

let tmp: string;
let server: ChildProcess;
let url: string;
let browser: Browser;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "yigongti-explore-"));
  server = spawn(process.execPath, [CLI, "explore", "--port", "0", "--no-open"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  url = await new Promise<string>((res, rej) => {
    let out = "";
    let err = "";
    server.stdout!.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) res(m[0]);
    });
    server.stderr!.on("data", (d) => (err += d));
    server.on("exit", (code) => rej(new Error(`explore exited ${code}: ${err}`)));
  });
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  requests: string[];
  errors: string[];
}

async function open(address: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(address);
  await settled(page);
  return { page, requests, errors };
}

/** Wait until the page's computation for the current setting has finished. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, { timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset.state)).toBe("done");
}

const results = (page: Page) => page.evaluate(() => (globalThis as unknown as { yigongtiExplorer: { state: { results: SeedResult[] } } }).yigongtiExplorer.state.results);

/** Move a lever as a user does (the control's change event), then wait for the new result. */
async function move(page: Page, path: string, value: string | boolean): Promise<void> {
  await page.evaluate(
    ([p, v]) => {
      const input = document.querySelector(`[data-lever="${p}"]`) as HTMLInputElement | HTMLSelectElement;
      if (typeof v === "boolean") (input as HTMLInputElement).checked = v;
      else input.value = v;
      document.body.dataset.state = "moving";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    [path, value] as const,
  );
  await settled(page);
}

const finalValue = (r: SeedResult, id: string) => r.yearly[r.yearly.length - 1].values[id].value;

describe("yigongti explore", () => {
  it("served on 127.0.0.1: a moved lever changes the result, and the saved scenario runs in the CLI to the same figures and hash", async () => {
    const { page, requests, errors } = await open(`${url}?lang=en`);
    const before = await results(page);
    expect(before.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    expect(await page.locator("#targets tr[data-indicator=primaryVisitShare] td").first().textContent()).toBe("Primary-care visit share");

    await move(page, "insurance.resident.inpatient.rate.township", "0.95");
    await move(page, "insurance.firstContact.rule", "incentive");
    await move(page, "parameters.leadHospital.responsiveness", "0.9");
    const after = await results(page);
    expect(after[0].hash).not.toBe(before[0].hash);
    expect(finalValue(after[0], "primaryVisitShare")).not.toBe(finalValue(before[0], "primaryVisitShare"));
    expect(await page.locator(".lever.changed").count()).toBe(3);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
    const saved = join(tmp, "explored.yaml");
    await download.saveAs(saved);
    const yaml = readFileSync(saved, "utf8");
    expect(yaml).toMatch(/extends: .*scenarios\/baseline-2018\.yaml/);
    expect(yaml).toContain("source: set in the yigongti explorer");

    const out = join(tmp, "run");
    const run = spawnSync(process.execPath, [CLI, "run", saved, "--seed", "1", "--scale", String(after[0].scale), "--out", out], { cwd: tmp, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const indicators = JSON.parse(readFileSync(join(out, "indicators.json"), "utf8")) as { yearly: SeedResult["yearly"] };
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { scenario: { hash: string } };
    expect(manifest.scenario.hash).toBe(after[0].hash);
    const cliFinal = indicators.yearly[indicators.yearly.length - 1];
    expect(cliFinal.period).toBe(after[0].yearly[after[0].yearly.length - 1].period);
    for (const id of ["primaryVisitShare", "withinCountyVisitRate", "downwardReferralGrowth", "insurerFundBalance"]) {
      expect(finalValue(after[0], id), id).toBe(cliFinal.values[id].value);
    }

    // and a briefing is produced from it, against the scenario it started from
    const brief = join(tmp, "brief");
    const b = spawnSync(process.execPath, [CLI, "brief", join(ROOT, "scenarios/baseline-2018.yaml"), saved, "--seeds", "1", "--scale", String(after[0].scale), "--lang", "en", "--no-pdf", "--out", brief], { cwd: tmp, encoding: "utf8" });
    expect(b.status, b.stderr).toBe(0);
    const html = readFileSync(join(brief, "briefing.html"), "utf8");
    expect(html).toContain(after[0].hash.slice(0, 12));
    expect(html).toContain("set in the yigongti explorer");

    // a setting the loader refuses is shown with the loader's own problem, and the page recovers
    // (the regime choice offers only schemes whose terms the scenario sets, so the setting is made directly)
    expect(await page.locator('[data-lever="payment.regime"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["feeForService", "capitation"]);
    await page.evaluate(() => {
      const x = (globalThis as unknown as { yigongtiExplorer: { state: { moved: Record<string, unknown> }; recompute(): void } }).yigongtiExplorer;
      x.state.moved["payment.regime"] = "drg";
      document.body.dataset.state = "moving";
      x.recompute();
    });
    await page.waitForFunction(() => document.body.dataset.state === "error", null, { timeout: 60_000 });
    expect(await page.locator("#results .problems").textContent()).toMatch(/policy\.payment\.drg: missing/);
    await page.evaluate(() => (document.body.dataset.state = "moving"));
    await page.click("#reset");
    await settled(page);
    expect((await results(page))[0].hash).toBe(before[0].hash);

    // the page in Chinese
    await page.click("#lang");
    expect(await page.locator("#targets tr[data-indicator=primaryVisitShare] td").first().textContent()).toBe("基层诊疗量占比");
    expect(errors).toEqual([]);
    expect(requests.filter((r) => !LOCAL.test(r))).toEqual([]);
    expect(requests.some((r) => r.startsWith("blob:"))).toBe(true); // the workers
    await page.close();
  }, 90_000);

  it("--export DIR: the folder opened as file:// computes the same result, offline", async () => {
    const dir = join(tmp, "export");
    const exp = spawnSync(process.execPath, [CLI, "explore", "--export", dir], { cwd: ROOT, encoding: "utf8" });
    expect(exp.status, exp.stderr).toBe(0);
    const served = await open(`${url}?lang=en`);
    const fromServer = await results(served.page);
    await served.page.close();
    const { page, requests, errors } = await open(`file://${dir}/index.html`);
    const fromFile = await results(page);
    expect(fromFile.map((r) => [r.hash, finalValue(r, "primaryVisitShare")])).toEqual(fromServer.map((r) => [r.hash, finalValue(r, "primaryVisitShare")]));
    expect(errors).toEqual([]);
    expect(requests.filter((r) => !LOCAL.test(r))).toEqual([]);
    expect(requests.every((r) => !r.startsWith("http:"))).toBe(true);
    await page.close();
  }, 60_000);
});
