/**
 * Measure the statistical regression check's false-alarm rate and the smallest change it
 * detects, for the README (sim/regress/error-rates.ts). Prints JSON; the README's figures
 * read it from test/regress/error-rates.json (npm run docs:figures), e.g.
 *   node --import tsx scripts/regress-error-rates.ts > test/regress/error-rates.json
 *
 *   node --import tsx scripts/regress-error-rates.ts [--scale 0.05] [--seeds 8] [--references 20]
 *       [--checks 5] [--seed 20180101] [--detection-only] [scenario.yaml …]   (default: every shipped scenario)
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { modelFingerprint } from "../sim/experiments/fingerprint";
import { measureDetection, measureFalseAlarms } from "../sim/regress/error-rates";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
// --detection-only: skip the (long) false-alarm measurement
const detectionOnly = args.includes("--detection-only");
if (detectionOnly) args.splice(args.indexOf("--detection-only"), 1);
const scale = opt("scale", 0.05);
const seeds = opt("seeds", 8);
const references = opt("references", 20);
const checks = opt("checks", 5);
const seed = opt("seed", 20180101);
const alpha = opt("alpha", 0.01);
const files = args.length ? args : readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).sort().map((f) => join("scenarios", f));
const s = { scenarioFiles: files, seeds, scale, seed, alpha };
const t0 = performance.now();
const fa = detectionOnly ? null : await measureFalseAlarms(s, references);
process.stderr.write(`false alarms measured in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
const det = await measureDetection(s, "choice.tierConstant.township", [0.03, 0.06], checks, ["primaryVisitShare", "withinCountyVisitRate"]);
process.stdout.write(JSON.stringify({ settings: { ...s, references, checks }, model: modelFingerprint(), falseAlarms: fa, detection: det, seconds: Math.round((performance.now() - t0) / 1000) }, null, 2) + "\n");
