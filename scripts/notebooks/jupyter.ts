/**
 * The project's Jupyter: Debian's /usr/bin/jupyter (installed by `npm run setup`) with the
 * tslab TypeScript kernel registered in a project-local prefix (.jupyter/, gitignored), so
 * nothing outside the checkout is touched and the kernel always runs this checkout's tslab
 * with the Node that prepared it.
 *
 * `prepareJupyter()` checks the Debian pieces, (re)writes the kernel spec and returns the
 * environment for running jupyter; `npm run notebooks`, the notebook tests and
 * `npm run setup` all go through it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./build-lib";

/** Debian's Jupyter (the `python3` on PATH may be another Python without Jupyter). */
export const JUPYTER = "/usr/bin/jupyter";
export const PYTHON = "/usr/bin/python3";
/** Project-local Jupyter data directory: kernels/tslab/kernel.json. */
export const JUPYTER_DATA = join(ROOT, ".jupyter/share/jupyter");
export const KERNEL_NAME = "tslab";
export const NOTEBOOK_DIR = join(ROOT, "notebooks");

export class JupyterMissing extends Error {}

/** Python modules each Jupyter use needs, and the Debian package that provides it. */
const NEEDED = {
  execute: [["nbconvert", "jupyter-nbconvert"], ["nbclient", "python3-nbclient"], ["ipykernel", "python3-ipykernel"], ["jupyter_client", "jupyter-client"]],
  notebook: [["notebook", "jupyter-notebook"], ["jupyter_client", "jupyter-client"]],
} as const;

/** Throws JupyterMissing (telling to run `npm run setup`) unless Debian's Jupyter can `use`. */
export function checkJupyter(use: keyof typeof NEEDED): void {
  const missing: string[] = [];
  if (!existsSync(JUPYTER) || !existsSync(PYTHON)) missing.push(`${JUPYTER} (jupyter-core)`);
  else {
    for (const [module, pkg] of NEEDED[use]) {
      try {
        execFileSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore", timeout: 30_000 });
      } catch {
        missing.push(`python module ${module} (Debian package ${pkg})`);
      }
    }
  }
  if (missing.length) {
    throw new JupyterMissing(`Jupyter is not set up on this machine — missing ${missing.join(", ")}. Run \`npm run setup\` (installs the Debian packages and registers the TypeScript kernel), then try again.`);
  }
}

/** Write .jupyter/share/jupyter/kernels/tslab/kernel.json for this checkout (the same spec `tslab install` writes). */
export function writeKernelSpec(): string {
  const tslab = join(ROOT, "node_modules/tslab/bin/tslab");
  if (!existsSync(tslab)) throw new JupyterMissing(`${tslab} is missing: run \`npm ci\` first.`);
  const dir = join(JUPYTER_DATA, "kernels", KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
  writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
  return dir;
}

/** Environment for running /usr/bin/jupyter with the project's kernel. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: [JUPYTER_DATA, base.JUPYTER_PATH].filter(Boolean).join(":"),
    // debugpy's harmless "frozen modules" warning under Debian's Python
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

/** Check Jupyter for `use`, register the kernel, and return the environment to run it in. */
export function prepareJupyter(use: keyof typeof NEEDED): NodeJS.ProcessEnv {
  checkJupyter(use);
  writeKernelSpec();
  return jupyterEnv();
}
