#!/usr/bin/env node
// yigongti command-line entry point. Registers tsx so the TypeScript sources run
// directly from the repository (no build step), then hands over to sim/cli/main.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../sim/cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
