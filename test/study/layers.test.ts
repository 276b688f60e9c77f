/**
 * The layers, held by scanning the source tree: nothing outside sim/cli imports from
 * sim/cli (the command line only reads the study layer; bin/ and the engine build's entry
 * name sim/cli/main.ts, and are not imports), and the study layer sits below the
 * briefing, the charts, the notebooks and the command line.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/paths";

const SOURCE = /\.(ts|mts|cts|mjs|cjs|js)$/;
const SCANNED = ["sim", "notebooks/lib", "scripts", "bench"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(p).isDirectory() ? files(p) : SOURCE.test(name) ? [p] : [];
  });
}

/** Every module specifier a file imports: static and type imports, re-exports, import(), require(). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

const rel = (p: string) => relative(REPO_ROOT, p).split(sep).join("/");
const within = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** [importing file, imported path] for every relative import in the scanned folders, repository-relative. */
const edges: [string, string][] = SCANNED.flatMap((d) => files(join(REPO_ROOT, d))).flatMap((f) =>
  importsOf(readFileSync(f, "utf8"))
    .filter((s) => s.startsWith("."))
    .map((s): [string, string] => [rel(f), rel(resolve(dirname(f), s))]),
);

describe("layers", () => {
  it("the scan sees the imports (positive controls)", () => {
    expect(importsOf('import { a } from "./x";\nimport type { B } from "../y";\nexport * from "./z";\nconst w = await import("./w");\nrequire("./v");\n// import { no } from "./comment";\n')).toEqual(["./x", "../y", "./z", "./w", "./v"]);
    expect(edges).toContainEqual(["sim/cli/compare.ts", "sim/study/study"]);
    expect(edges).toContainEqual(["sim/brief/build.ts", "sim/study/study"]);
    expect(edges.length).toBeGreaterThan(300);
  });

  it("nothing outside sim/cli imports from sim/cli", () => {
    const bad = edges.filter(([from, to]) => within(to, "sim/cli") && !within(from, "sim/cli"));
    expect(bad.map(([from, to]) => `${from} imports ${to}`)).toEqual([]);
  });

  it("the study layer imports neither the command line, the briefing, the charts nor the notebooks", () => {
    const above = ["sim/cli", "sim/brief", "sim/charts", "notebooks", "scripts"];
    const bad = edges.filter(([from, to]) => within(from, "sim/study") && above.some((d) => within(to, d)));
    expect(bad.map(([from, to]) => `${from} imports ${to}`)).toEqual([]);
  });

});
