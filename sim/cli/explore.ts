/**
 * `yigongti explore [scenario…]`: the offline explorer — a page where a committee moves
 * the main levers and sees the 2020 targets, the siphon verdict, the fund and the
 * trajectories, the simulator running in the page itself (sim/explore/). Served on
 * 127.0.0.1 only; `--export DIR` writes the same page as a static folder (USB stick,
 * intranet, or opened as file://).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../manifest";
import { explorerSite } from "../explore/site";
import { UsageError, parseArgs, parseDir, type OptionDef } from "./args";
import { EXIT_CODES, commandHelp } from "./help";
import { loadScenarios } from "./results";

const parsePort = (raw: string): number => {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(Number.isInteger(n) && n >= 0 && n <= 65535)) throw new Error("must be a port number from 0 to 65535 (0: any free port)");
  return n;
};

const OPTIONS: OptionDef[] = [
  { name: "port", value: "N", parse: parsePort, help: "port on 127.0.0.1 to serve the page on (default 8737; 0: any free port)" },
  { name: "export", value: "DIR", parse: parseDir, help: "write the page as a static folder to DIR instead of serving it: open DIR/index.html\n(file://) or put DIR on any static web server" },
  { name: "no-open", help: "do not try to open the page in a browser (the URL is printed either way)" },
];

export const EXPLORE_HELP = commandHelp(
  "yigongti explore [<scenario.yaml>…] [options]",
  `Open the offline explorer: pick a county and a starting scenario (the shipped ones, or
the scenarios named here), move the main levers (reimbursement rates and deductibles by
tier, first-contact and bypass rules, the capitation package's terms, family-doctor
contracting, staff levers, the lead hospital's responsiveness) and see within seconds
the 2020 targets met or missed over a few seeds, the siphon verdict, the insurance fund
and the trajectories against their target lines, in Chinese or English. The simulator
runs in the page (Web Workers); nothing is fetched from the network. "Save as scenario"
downloads the setting as a YAML file that \`yigongti run\` and \`yigongti brief\` take.`,
  OPTIONS,
  `Examples:
  yigongti explore
  yigongti explore scenarios/capitation-package.yaml my-reform.yaml --port 9000
  yigongti explore --export /media/usb/explorer

${EXIT_CODES}`,
);

async function buildSite(files: readonly string[]) {
  const scenarios = files.length ? loadScenarios(files) : [];
  const { ensureExploreBuild } = (await import(pathToFileURL(join(PACKAGE_ROOT, "scripts/build/explore.mjs")).href)) as { ensureExploreBuild(): Promise<{ files: { app: string; workerSource: string } }> };
  return explorerSite({ scenarios, build: await ensureExploreBuild() });
}

const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8" };

export async function exploreCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("explore", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(EXPLORE_HELP);
    return 0;
  }
  const out = a.options.export as string | undefined;
  if (out !== undefined) {
    if (a.options.port !== undefined) throw new UsageError("--export writes a folder and --port serves the page: give one", "explore");
    const dir = resolve(out);
    if (existsSync(dir) && readdirSync(dir).length && !existsSync(join(dir, "index.html"))) throw new UsageError(`--export ${out}: the folder holds other files (not an earlier export); name an empty or new folder`, "explore");
    const site = await buildSite(a.positionals);
    mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(site)) writeFileSync(join(dir, name), body);
    process.stdout.write(`wrote the explorer to ${out} (${Object.keys(site).join(", ")}); open ${join(out, "index.html")} or serve the folder\n`);
    return 0;
  }
  const site = await buildSite(a.positionals);
  const port = (a.options.port as number | undefined) ?? 8737;
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://127.0.0.1").pathname.slice(1) || "index.html";
    const body = Object.hasOwn(site, name) ? site[name] : undefined;
    if (req.method !== "GET" || body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[name.split(".").pop()!] ?? "application/octet-stream", "cache-control": "no-cache" }).end(body);
  });
  await new Promise<void>((res, rej) => {
    server.once("error", (e: NodeJS.ErrnoException) => rej(e.code === "EADDRINUSE" ? new UsageError(`--port ${port}: already in use on 127.0.0.1; choose another (or --port 0 for any free one)`, "explore") : e));
    server.listen(port, "127.0.0.1", () => res());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}/`;
  process.stdout.write(`yigongti explorer: ${url}  (Ctrl-C to stop)\n`);
  if (!a.options["no-open"]) openBrowser(url);
  await new Promise<void>((res) => {
    const stop = () => server.close(() => res());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

/** Try the desktop's opener; on a machine without one the printed URL is enough. */
function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const p = spawn(opener, [url], { stdio: "ignore", detached: true });
    p.on("error", () => undefined);
    p.unref();
  } catch {
    // no opener: the URL is printed
  }
}
