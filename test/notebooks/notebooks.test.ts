/**
 * The notebooks run headless, top to bottom, in Debian's Jupyter with the project's tslab
 * kernel (as a researcher would run them after `npm run setup`): any throwing cell or
 * TypeScript error fails. Each must also show its narrative — markdown built from the run's
 * numbers. Without Jupyter these tests FAIL and say to run `npm run setup`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { JUPYTER, KERNEL_NAME, NOTEBOOK_DIR } from "../../scripts/notebooks/jupyter";
import { prepareNotebooks } from "../../scripts/notebooks/prepare";

const run = promisify(execFile);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string } };
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : (v ?? ""));
const readNotebook = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Notebook;

/** Notebooks that must exist, and what each one's executed output must show. */
const EXPECTED: Record<string, RegExp[]> = {
  "01-quickstart.ipynb": [/primary-care visits/i, /within the county/i],
  "02-scenarios-vs-2020-targets.ipynb": [/65%/, /90%/, /full-package-qujing/, /wuhua-tight-community/],
  "03-siphon-risk.ipynb": [/siphon risk \*\*(high|moderate|low)\*\*/, /siphon-risk/, /capitation-with-staff-sinking/],
  "05-uncertainty-and-sensitivity.ipynb": [/10–90%/, /paired effect/, /most sensitive to `choice\./],
  "04-capitation-fund.ipynb": [/capitation-package/, /nanyang-overspend-sharing/, /out of (the )?county/i],
};

const notebooks = readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith(".ipynb")).sort();

let env: NodeJS.ProcessEnv;
let outDir: string;
let setupError: unknown;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "yigongti-notebooks-"));
  try {
    env = await prepareNotebooks("execute");
  } catch (e) {
    // kept, so that each test below FAILS with it ("… run `npm run setup` …") instead of being skipped
    setupError = e;
  }
}, 120_000);

/** Throws the setup error (Jupyter missing, library build failed), if any. */
function needsJupyter(): void {
  if (setupError) throw setupError;
}

const nbconvert = (path: string, dir: string, extra: string[] = []) =>
  run(
    JUPYTER,
    ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`, "--ExecutePreprocessor.timeout=600", ...extra, "--output-dir", dir, path],
    { env, cwd: NOTEBOOK_DIR, maxBuffer: 64 << 20, timeout: 900_000 },
  );

/**
 * Execute a notebook headless; resolves to the executed notebook, rejects on any cell error.
 * nbclient's error names the failing cell but not tslab's message (a TypeScript diagnostic or
 * a stack trace goes to the cell's stderr), so a failure is re-run with --allow-errors to
 * put the cells' error output into the test failure.
 */
async function execute(path: string): Promise<{ notebook: Notebook; seconds: number }> {
  const t0 = performance.now();
  try {
    await nbconvert(path, outDir);
  } catch (e) {
    const failed = e instanceof Error ? e.message : String(e);
    const dir = mkdtempSync(join(tmpdir(), "yigongti-notebook-errors-"));
    let detail = "";
    try {
      await nbconvert(path, dir, ["--allow-errors"]);
      detail = readNotebook(join(dir, basename(path)))
        .cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error" || o.name === "stderr").map((o) => `--- cell: ${text(c.source).split("\n")[0]}\n${o.output_type === "error" ? `${o.ename}: ${o.evalue}` : text(o.text)}`))
        .join("\n");
    } catch {
      // the re-run failed as well: the first error is all there is
    }
    // the command line, then nbclient's message (without the Python traceback between them)
    const at = failed.indexOf("CellExecutionError:");
    const summary = at >= 0 ? `${failed.split("\n")[0]}\n${failed.slice(at)}` : failed;
    throw new Error(`${summary}${detail ? `\nCell error output:\n${detail}` : ""}`);
  }
  return { notebook: readNotebook(join(outDir, basename(path))), seconds: (performance.now() - t0) / 1000 };
}

/** Everything a reader sees in the outputs: markdown/plain/html displays and printed text. */
function shown(nb: Notebook): string {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map((o) => (o.output_type === "stream" ? text(o.text) : [o.data?.["text/markdown"], o.data?.["text/plain"], o.data?.["text/html"]].map(text).join("\n")))
    .join("\n");
}

describe("notebooks", () => {
  it("the documented notebooks exist, are stored without outputs and use the TypeScript kernel", () => {
    for (const name of Object.keys(EXPECTED)) expect(notebooks).toContain(name);
    for (const name of notebooks) {
      const nb = readNotebook(join(NOTEBOOK_DIR, name));
      expect(nb.metadata.kernelspec?.name, name).toBe(KERNEL_NAME);
      for (const c of nb.cells.filter((x) => x.cell_type === "code")) {
        expect({ name, outputs: c.outputs, count: c.execution_count }).toEqual({ name, outputs: [], count: null });
      }
      // the narrative states the policy question, the assumptions and what the results say
      const md = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => text(c.source)).join("\n");
      expect(md, name).toMatch(/question/i);
      expect(md, name).toMatch(/assum/i);
    }
  });

  for (const name of notebooks) {
    it(`${name} runs top to bottom and shows its results`, async () => {
      needsJupyter();
      const { notebook, seconds } = await execute(join(NOTEBOOK_DIR, name));
      // nbconvert stops at the first failing cell and exits non-zero (tslab reports no
      // execution_count, so success of the whole run is the evidence every cell ran)
      const code = notebook.cells.filter((c) => c.cell_type === "code");
      expect(code.length).toBeGreaterThan(0);
      expect(code.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error")).toEqual([]);
      // narrative built from the run: markdown displayed from code, with numbers in it
      const narrative = notebook.cells.flatMap((c) => c.outputs ?? []).map((o) => text(o.data?.["text/markdown"])).join("\n");
      expect(narrative).toMatch(/\d+(\.\d+)?%/);
      for (const re of EXPECTED[name] ?? []) expect(shown(notebook)).toMatch(re);
      process.stderr.write(`${name}: executed in ${seconds.toFixed(1)} s\n`);
    }, 900_000);
  }

  it("a throwing cell or a TypeScript error fails the execution", async () => {
    needsJupyter();
    const cell = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
    const nb = (source: string) => ({
      cells: [cell('const ok: number = 1;'), cell(source)],
      metadata: { kernelspec: { name: KERNEL_NAME, display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    });
    const dir = mkdtempSync(join(tmpdir(), "yigongti-failing-"));
    const throwing = join(dir, "throwing.ipynb");
    const mistyped = join(dir, "mistyped.ipynb");
    writeFileSync(throwing, JSON.stringify(nb('throw new Error("boom");')));
    writeFileSync(mistyped, JSON.stringify(nb('const n: number = "not a number";')));
    // nbclient names the failing cell (tslab prints the TypeScript diagnostic into the cell's output)
    await Promise.all([
      expect(execute(throwing)).rejects.toThrow(/CellExecutionError[\s\S]*throw new Error\("boom"\)/),
      expect(execute(mistyped)).rejects.toThrow(/CellExecutionError[\s\S]*const n: number = "not a number"/),
    ]);
  }, 300_000);
});
