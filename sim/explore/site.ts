/**
 * The explorer as files (node side): index.html, files.js (the virtual file map and the
 * page's settings), and the browser build (app.js, worker-source.js,
 * scripts/build/explore.mjs) with plotly.min.js from the package — every asset local, all
 * classic scripts, so the folder works served by any static server and opened as file://.
 * `yigongti explore` serves these from memory on 127.0.0.1; `--export DIR` writes them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative, resolve } from "node:path";
import { PACKAGE_ROOT } from "../manifest";
import type { Scenario } from "../scenario/load";
import { VIRTUAL_ROOT } from "./vfs";

/** Package files the loader may read in the page, besides the scenarios and counties folders. */
const DATA_FILES = ["data/parameters.yaml", "data/lever-labels.yaml", "data/seed-clauses.md", "package.json"];

export interface SiteOptions {
  /** scenarios named on the command line (loaded); none: the shipped ones */
  scenarios: readonly Scenario[];
  seeds?: number;
  scale?: number;
  /** the built bundles (scripts/build/explore.mjs) */
  build: { files: { app: string; workerSource: string } };
}

const inPackage = (abs: string) => abs.startsWith(`${PACKAGE_ROOT}/`);
/** A host file's path in the page: under the virtual root when it is a package file, else as on this machine. */
const virtualPath = (abs: string) => (inPackage(abs) ? `${VIRTUAL_ROOT}/${relative(PACKAGE_ROOT, abs).split("\\").join("/")}` : abs);

/** The file map (path in the page → text) and the scenarios offered. */
export function explorerFiles(named: readonly Scenario[]): { files: Record<string, string>; scenarios: string[] } {
  const files: Record<string, string> = {};
  const add = (abs: string, key = virtualPath(abs)) => (files[key] = readFileSync(abs, "utf8"));
  for (const dir of ["scenarios", "data/counties"]) for (const f of readdirSync(join(PACKAGE_ROOT, dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) add(join(PACKAGE_ROOT, dir, f));
  for (const f of DATA_FILES) add(join(PACKAGE_ROOT, f));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(process.cwd(), p));
  for (const s of named) {
    // the whole chain, county and parameter file at their paths on this machine (a relative extends: resolves to them)
    for (const p of [...s.chain, s.countyFile, s.parameterFile]) add(abs(p), abs(p));
  }
  const shipped = Object.keys(files).filter((p) => p.startsWith(`${VIRTUAL_ROOT}/scenarios/`));
  const baseline = `${VIRTUAL_ROOT}/scenarios/baseline-2018.yaml`;
  const scenarios = named.length ? named.map((s) => virtualPath(abs(s.file))) : [baseline, ...shipped.filter((p) => p !== baseline)];
  for (const s of named) files[virtualPath(abs(s.file))] ??= readFileSync(abs(s.file), "utf8");
  return { files, scenarios };
}

const PAGE = (lang: string) => `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>医共体政策探索器 · County medical community explorer</title>
<style>
  :root { --ink: #1d2733; --muted: #5b6776; --line: #d9dee5; --accent: #1f5fa8; --met: #1e7b3a; --miss: #b3261e; --mixed: #a26a00; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", system-ui, sans-serif; color: var(--ink); background: #f6f7f9; }
  header { display: flex; align-items: baseline; gap: 1rem; padding: .8rem 1.2rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 1.25rem; margin: 0; }
  header p { margin: 0; color: var(--muted); flex: 1; font-size: .9rem; }
  header button { flex: none; }
  main { display: grid; grid-template-columns: minmax(330px, 420px) 1fr; gap: 1rem; padding: 1rem 1.2rem; align-items: start; }
  #controls { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; max-height: calc(100vh - 6rem); overflow: auto; position: sticky; top: 1rem; }
  .pickers label { display: flex; flex-direction: column; font-weight: 600; font-size: .85rem; margin-bottom: .5rem; }
  .pickers select, .pickers input { font: inherit; font-weight: 400; padding: .25rem; margin-top: .15rem; }
  .pickers .row { display: flex; gap: .6rem; } .pickers .row label { flex: 1; }
  .buttons { display: flex; gap: .5rem; margin: .4rem 0; }
  button { font: inherit; padding: .35rem .8rem; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  .moved { color: var(--muted); font-size: .85rem; margin: .2rem 0 .6rem; }
  fieldset { border: 1px solid var(--line); border-radius: 5px; margin: 0 0 .7rem; padding: .4rem .6rem .5rem; }
  legend { font-weight: 700; font-size: .9rem; padding: 0 .3rem; }
  fieldset .note { margin: 0 0 .3rem; color: var(--muted); font-size: .8rem; }
  .lever { display: grid; grid-template-columns: 1fr 110px 78px; align-items: center; gap: .4rem; padding: .18rem .2rem; border-radius: 3px; font-size: .85rem; }
  .lever.changed { background: #fff4d6; }
  .lever.changed .name::after { content: " ●"; color: var(--mixed); }
  .lever output { text-align: right; font-variant-numeric: tabular-nums; }
  .lever.enum { grid-template-columns: 1fr 190px; }
  .lever select { width: 100%; font: inherit; font-size: .8rem; }
  .lever input[type=checkbox] { justify-self: start; }
  #status { min-height: 1.4rem; color: var(--accent); font-weight: 600; }
  #status.busy::before { content: "⟳ "; }
  #results section, #results table, #settings { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; margin: 0 0 1rem; }
  #settings { color: var(--muted); font-size: .85rem; }
  .small { font-size: .8rem; }
  table { border-collapse: collapse; width: 100%; }
  caption { text-align: left; font-weight: 700; font-size: 1rem; padding-bottom: .4rem; }
  th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: left; }
  th { font-size: .8rem; color: var(--muted); font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr.met td.verdict { color: var(--met); font-weight: 700; } tr.missed td.verdict { color: var(--miss); font-weight: 700; } tr.mixed td.verdict { color: var(--mixed); font-weight: 700; }
  h3 { margin: 0 0 .4rem; font-size: 1rem; }
  #siphon p { margin: .25rem 0; } #siphon .rule { color: var(--muted); font-size: .8rem; }
  .pill { display: inline-block; padding: .05rem .5rem; border-radius: 999px; margin-right: .3rem; font-weight: 700; color: #fff; }
  .pill.high { background: var(--miss); } .pill.moderate { background: var(--mixed); } .pill.low { background: var(--met); }
  .problems { background: #fdecea; border: 1px solid #f5c2be; border-radius: 6px; padding: .7rem .9rem; }
  .chart { min-height: 230px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } #controls { position: static; max-height: none; } }
</style>
</head>
<body data-state="loading">
<header><h1 id="title">医共体政策探索器</h1><p id="intro"></p><button id="lang" type="button">English</button></header>
<main>
  <aside id="controls"></aside>
  <div><div id="status"></div><div id="results"></div></div>
</main>
<script src="plotly.min.js"></script>
<script src="files.js"></script>
<script src="worker-source.js"></script>
<script src="app.js"></script>
</body>
</html>
`;

/** The explorer's files: name → content. */
export function explorerSite(options: SiteOptions): Record<string, string | Buffer> {
  const { files, scenarios } = explorerFiles(options.scenarios);
  const config = { files, cwd: VIRTUAL_ROOT, hostRoot: PACKAGE_ROOT, scenarios, seeds: options.seeds ?? 4, scale: options.scale ?? 0.02 };
  const plotly = createRequire(join(PACKAGE_ROOT, "package.json")).resolve("plotly.js-dist-min/plotly.min.js");
  return {
    "index.html": PAGE("zh-CN"),
    // </script> cannot occur in it: it is loaded by src, never inlined
    "files.js": `self.YIGONGTI_EXPLORER = ${JSON.stringify(config)};\n`,
    "app.js": readFileSync(options.build.files.app),
    "worker-source.js": readFileSync(options.build.files.workerSource),
    "plotly.min.js": readFileSync(plotly),
  };
}
