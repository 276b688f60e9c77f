/**
 * Calibrate the tier constants (alternative-specific constants) of the choice model to
 * target shares of visits and admissions by tier, with the contraction mapping used for
 * logit models (Berry 1994): ASC_j ← ASC_j + ln(target_j / simulated_j) − ln(target_ref /
 * simulated_ref), the county tier being the reference. Prints the shares at each
 * iteration and the constants to put in the parameter file (or a scenario's
 * `parameters:`), with the targets as their source.
 *
 *   node --import tsx scripts/calibrate-tier-constants.ts scenarios/baseline-2018.yaml \
 *     '{"village":0.28,"township":0.26,"county":0.355,"outOfCounty":0.105}' \
 *     '{"township":0.24,"county":0.62,"outOfCounty":0.14}' [scale=0.05] [seed=3]
 */
import { loadScenario } from "../sim/scenario/load";
import { setPath } from "../sim/scenario/schema";
import { simulate } from "../sim/simulate";
import { TIERS } from "../sim/tier";

const [file, opJson, ipJson, scaleArg, seedArg] = process.argv.slice(2);
if (!file || !opJson || !ipJson) {
  console.error("usage: calibrate-tier-constants.ts <scenario.yaml> <outpatient shares JSON> <inpatient shares JSON> [scale] [seed]");
  process.exit(2);
}
const scenario = loadScenario(file);
const targetOp: Record<string, number> = JSON.parse(opJson);
const targetIp: Record<string, number> = JSON.parse(ipJson);
const scale = Number(scaleArg ?? 0.05);
const seed = Number(seedArg ?? 3);
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const shares = (xs: number[]) => xs.map((x) => x / xs.reduce((a, b) => a + b, 0));

let p = scenario.parameters;
for (let it = 0; it < 10; it++) {
  const c = simulate({ ...scenario, parameters: p }, { seed, scale, years: 1 }).counters;
  const op = shares([c.visitsVillage, c.visitsTownship, c.visitsCounty, c.visitsOutOfCounty].map(sum));
  const ip = shares([c.admissionsVillage, c.admissionsTownship, c.admissionsCounty, c.admissionsOutOfCounty].map(sum));
  console.log(`iteration ${it}: visits ${op.map((x) => x.toFixed(3)).join(" / ")}; admissions ${ip.map((x) => x.toFixed(3)).join(" / ")}`);
  TIERS.forEach((tier, i) => {
    if (tier === "county") return;
    if (targetOp[tier] > 0) p = setPath(p, `choice.tierConstant.${tier}`, p.choice.tierConstant[tier] + Math.log(targetOp[tier] / op[i]) - Math.log(targetOp.county / op[2]));
    if (targetIp[tier] > 0) p = setPath(p, `choice.tierConstantInpatient.${tier}`, p.choice.tierConstantInpatient[tier] + Math.log(targetIp[tier] / ip[i]) - Math.log(targetIp.county / ip[2]));
  });
}
const round = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));
console.log(`choice.tierConstant: ${JSON.stringify(round(p.choice.tierConstant))}`);
console.log(`choice.tierConstantInpatient: ${JSON.stringify(round(p.choice.tierConstantInpatient))}`);
