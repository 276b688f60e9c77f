#!/usr/bin/env node
// yigongti command-line entry point. Runs the compiled engine build (dist/engine/, one
// esbuild bundle of sim/cli/main.ts and one of the runner's worker), rebuilding it first
// if any source changed since it was built — never a stale build, no TypeScript compiled
// at start-up (scripts/build/engine.mjs).
import { pathToFileURL } from "node:url";
import { ensureEngineBuild } from "../scripts/build/engine.mjs";

let build;
try {
  build = await ensureEngineBuild();
} catch (e) {
  process.stderr.write(`yigongti: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
if (process.env.YIGONGTI_DEBUG) process.setSourceMapsEnabled(true); // stack traces name the .ts sources
const { main } = await import(pathToFileURL(build.files.cli).href);
process.exitCode = await main(process.argv.slice(2));
