/**
 * The notebook library build: a CommonJS package that plain `require` loads (what tslab
 * does), with type declarations, `import.meta.url` mapped to each source's own file, and
 * a staleness check that refuses to load after a source changed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildNotebookLib } from "../../scripts/notebooks/build-lib";

/** require the package from a fresh Node process (as a tslab kernel would) and print `expr`. */
function requireAndPrint(dir: string, expr: string): string {
  return execFileSync(process.execPath, ["-e", `const lib = require(${JSON.stringify(dir)}); console.log(JSON.stringify(${expr}))`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

describe("notebook library build", () => {
  it("bundles an entry, maps import.meta.url to the source file, and refuses to load when stale", async () => {
    const root = mkdtempSync(join(tmpdir(), "yigongti-lib-"));
    mkdirSync(join(root, "src"));
    const dep = join(root, "src/where.ts");
    writeFileSync(dep, 'import { fileURLToPath } from "node:url";\nexport const here = (): string => fileURLToPath(import.meta.url);\nexport const answer = 42;\n');
    writeFileSync(join(root, "src/entry.ts"), 'export { answer, here } from "./where";\n');
    const libDir = join(root, "out/lib");
    await buildNotebookLib({ entry: join(root, "src/entry.ts"), libDir, rootDir: root });

    const pkg = JSON.parse(readFileSync(join(libDir, "package.json"), "utf8")) as { main: string; types: string };
    expect(pkg.main).toBe("index.cjs");
    expect(readFileSync(join(libDir, pkg.types), "utf8")).toContain("answer");
    expect(requireAndPrint(libDir, "[lib.answer, lib.here()]")).toBe(JSON.stringify([42, dep]));

    writeFileSync(dep, readFileSync(dep, "utf8").replace("42", "43"));
    expect(() => requireAndPrint(libDir, "lib.answer")).toThrow(/stale: .*where\.ts changed since it was built/);
  }, 60_000);

  it("a failed build leaves no library behind", async () => {
    const root = mkdtempSync(join(tmpdir(), "yigongti-lib-"));
    writeFileSync(join(root, "entry.ts"), 'export const n: number = "not a number";\n');
    const libDir = join(root, "lib");
    mkdirSync(libDir);
    writeFileSync(join(libDir, "index.cjs"), "// an old build\n");
    await expect(buildNotebookLib({ entry: join(root, "entry.ts"), libDir, rootDir: root })).rejects.toThrow(/type errors in the notebook library[\s\S]*not assignable/);
    expect(existsSync(libDir)).toBe(false);
  }, 60_000);
});
