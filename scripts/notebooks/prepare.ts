/**
 * Make the notebooks runnable: check Debian's Jupyter, register the tslab kernel in
 * .jupyter/ and build the notebook library (notebooks/node_modules/yigongti).
 * Run by `npm run setup`; `npm run notebooks` and the notebook tests do the same.
 *
 *     node --import tsx scripts/notebooks/prepare.ts
 */
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNotebookLib } from "./build-lib";
import { JupyterMissing, prepareJupyter, writeKernelSpec } from "./jupyter";

export async function prepareNotebooks(use: "execute" | "notebook"): Promise<NodeJS.ProcessEnv> {
  const env = prepareJupyter(use);
  await buildNotebookLib();
  return env;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepareNotebooks("execute").then(
    () => process.stderr.write(`notebooks ready: kernel spec in ${relative(process.cwd(), writeKernelSpec())}, library in notebooks/node_modules/yigongti\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof JupyterMissing ? "" : "notebook preparation failed: "}${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
