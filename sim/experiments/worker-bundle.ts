/**
 * Which file the runner starts in each worker thread: the compiled worker of the engine
 * build (scripts/build/engine.mjs, dist/engine/<id>/worker.mjs), so a worker starts in
 * milliseconds instead of compiling TypeScript through tsx.
 *
 * - From the CLI bundle, the bundle names its own sibling worker (useWorkerBundle, called
 *   by the bundle's entry), so the main thread and its workers always run the same build.
 * - From the sources (vitest, tsx, bench, the notebook library), the current build is
 *   checked against the sources and rebuilt if any changed (ensureEngineBuild) — a
 *   worker never runs older code than the thread that started it.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../manifest";

type Engine = typeof import("../../scripts/build/engine.mjs");

let bundled: string | undefined;

/** Called by the CLI bundle's entry with the URL of its own worker bundle. */
export function useWorkerBundle(url: string): void {
  bundled = url;
}

/** The worker bundle to start: this build's own, or the fresh engine build of the sources. */
export async function workerBundle(): Promise<URL> {
  if (bundled) return new URL(bundled);
  const engine = (await import(/* @vite-ignore */ pathToFileURL(join(PACKAGE_ROOT, "scripts/build/engine.mjs")).href)) as Engine;
  const build = await engine.ensureEngineBuild();
  return pathToFileURL(build.files.worker);
}

/**
 * The parent's Node options for a worker, without module loaders (`--import tsx`,
 * `--loader`, `--require`): the worker bundle is plain JavaScript, and a loader would
 * only slow its start.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (/^(--import|--loader|--experimental-loader|--require|-r)$/.test(a)) i++;
    else if (!/^(--import|--loader|--experimental-loader|--require)=/.test(a)) out.push(a);
  }
  return out;
}
