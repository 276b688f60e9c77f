/**
 * `npm run notebooks`: open the notebooks in Jupyter's classic notebook UI with the
 * TypeScript (tslab) kernel. Rebuilds the notebook library first, so a cell always
 * imports the current simulator. Extra arguments go to jupyter, e.g.
 *
 *     npm run notebooks -- --no-browser --port 8890
 */
import { spawn } from "node:child_process";
import { JUPYTER, JupyterMissing, NOTEBOOK_DIR } from "./jupyter";
import { prepareNotebooks } from "./prepare";

async function main(): Promise<number> {
  const env = await prepareNotebooks("notebook");
  const args = ["notebook", `--notebook-dir=${NOTEBOOK_DIR}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...process.argv.slice(2)];
  process.stderr.write(`${JUPYTER} ${args.join(" ")}\n(kernel "TypeScript"; stop with Ctrl-C)\n`);
  const child = spawn(JUPYTER, args, { env, stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  return new Promise((done) => child.on("exit", (code, signal) => done(code ?? (signal ? 130 : 1))));
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof JupyterMissing ? "" : "npm run notebooks failed: "}${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
