/**
 * Calibrate care-seeking (part 1 of the two-part demand model, sim/care-seeking.ts) and
 * what it disturbs, jointly, on the baseline county's first year:
 *
 *   target                                                  parameter moved (update)
 *   own-price elasticity of outpatient visits −0.519        careSeeking.price.outpatient (ratio, over the forgone share)
 *   own-price elasticity of admissions −0.372               careSeeking.price.inpatient (same)
 *   share of acute outpatient episodes forgone, by severity careSeeking.intercept.outpatient.<severity> (logit shift)
 *   share of chronic follow-ups missed                      careSeeking.chronicFollowUp (logit shift)
 *   share of admissions deferred, by severity               careSeeking.intercept.inpatient.<severity> (logit shift)
 *   visits and admissions per resident as before            incidence.outpatientPerYear.*, inpatientPerYear.* (ratio)
 *   visit and admission split by tier                       choice.tierConstant*, as scripts/calibrate-tier-constants.ts (Berry 1994)
 *
 * "As before" is the model before care-seeking on the same county, seeds and year: given
 * as `visits,admissions` per resident, or else measured first with the outside option off
 * on the parameter file's values (right only while its incidence is still the one from
 * before care-seeking — it no longer is: re-calibrating from the shipped values, pass
 * 5.579,0.1710, what the model gave with the outside option off at scale 0.1, seeds 1 and 2,
 * 2018, on the merge with main). Elasticities are measured as sim/experiments/elasticity.ts does:
 * every patient price of that care +10%, paired common-random-number runs, per seed,
 * averaged. The demographic terms and `inclusiveValue` stay as set (assumptions);
 * `referenceInclusiveValue` and `referenceOop` are set once, to the mean inclusive value
 * and the geometric mean expected OOP where part 1 is drawn in the first run, so the
 * intercepts read as log-odds there. Each iteration is a
 * fixed-point step on every pair at once; it stops when every target is met to its
 * tolerance. Prints each iteration and the values to put in data/parameters.yaml.
 *
 *   node --import tsx scripts/calibrate-care-seeking.ts scenarios/baseline-2018.yaml [scale=0.1] [seeds=1,2] [visits,admissions per resident]
 */
import { loadScenario, type Scenario } from "../sim/scenario/load";
import { setPath } from "../sim/scenario/schema";
import { simulate } from "../sim/simulate";
import { encounters, withPriceFactor } from "../sim/experiments/elasticity";
import type { CareSeeking } from "../sim/care-seeking";
import type { Parameters } from "../sim/parameters";
import { AGE_BANDS, N_SEVERITIES, TIERS } from "../sim/tier";

const [file, scaleArg, seedsArg, utilisationArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: calibrate-care-seeking.ts <scenario.yaml> [scale] [seeds e.g. 1,2] [visits,admissions per resident to keep]");
  process.exit(2);
}
const scenario = loadScenario(file);
const scale = Number(scaleArg ?? 0.1);
const seeds = (seedsArg ?? "1,2").split(",").map(Number);
/** Targets. Forgone shares are assumptions (data/parameters.yaml careSeeking.intercept says why). */
const TARGET = {
  elasticityOp: -0.519,
  elasticityIp: -0.372,
  forgoneOp: { minor: 0.3, common: 0.2, serious: 0.1 },
  forgoneChronic: 0.1,
  forgoneIp: { common: 0.12, serious: 0.08 },
};
const VISIT_SPLIT = { village: 0.28, township: 0.26, county: 0.355, outOfCounty: 0.105 } as Record<string, number>;
const ADMISSION_SPLIT = { village: 0, township: 0.24, county: 0.62, outOfCounty: 0.14 } as Record<string, number>;
const RISE = 0.1;
const SEV = ["minor", "common", "serious"] as const;

const total = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const logit = (p: number) => Math.log(p / (1 - p));

interface Measured {
  visitsPerResident: number;
  admissionsPerResident: number;
  visitSplit: number[];
  admissionSplit: number[];
  /** forgone share by [kind * N_SEVERITIES + severity] (kind 0 acute outpatient, 1 admission, 2 chronic follow-up) */
  forgone: number[];
  /** mean ln(E[OOP] ÷ income index ÷ referenceOop) where part 1 was drawn, same index */
  meanPrice: number[];
  forgoneOp: number;
  forgoneIp: number;
  /** shares of acute outpatient episodes that are minor, common, serious; of admissions that are common, serious */
  episodeShare: number[];
  admissionShare: number[];
  elasticityOp: number;
  elasticityIp: number;
  meanInclusive: [number, number];
  meanLnOop: [number, number];
}

function measure(p: Parameters, withElasticity: boolean): Measured {
  const s: Scenario = { ...scenario, parameters: p };
  const acc = { v: 0, a: 0, res: 0, vt: [0, 0, 0, 0], at: [0, 0, 0, 0], ep: new Float64Array(12), fg: new Float64Array(12), pr: new Float64Array(12), eOp: 0, eIp: 0, iv: [0, 0], lo: [0, 0], n: [0, 0] };
  for (const seed of seeds) {
    let seeking: CareSeeking | undefined;
    const r = simulate(s, {
      seed, scale, years: 1,
      plan: (plan) => plan.insert({ label: "capture care-seeking", module: "scripts/calibrate-care-seeking.ts", doc: "", run: (st) => void ((seeking = st.kernel.seeking).collectDiagnostics = true) }, { before: "residents" }),
    });
    const c = r.counters;
    const vt = [c.visitsVillage, c.visitsTownship, c.visitsCounty, c.visitsOutOfCounty].map(total);
    const at = [c.admissionsVillage, c.admissionsTownship, c.admissionsCounty, c.admissionsOutOfCounty].map(total);
    vt.forEach((x, i) => (acc.vt[i] += x));
    at.forEach((x, i) => (acc.at[i] += x));
    acc.v += vt.reduce((a, b) => a + b);
    acc.a += at.reduce((a, b) => a + b);
    acc.res += r.residents;
    const d = seeking!.diagnostics;
    for (let k = 0; k < 12; k++) {
      acc.ep[k] += d.episodes[k];
      acc.fg[k] += d.forgone[k];
      acc.pr[k] += d.priceSum[k];
    }
    for (const k of [0, 1]) {
      acc.iv[k] += d.inclusiveSum[k];
      acc.lo[k] += d.lnOopSum[k];
      acc.n[k] += d.drawn[k];
    }
    if (withElasticity) {
      const base = { op: encounters(c, "outpatient", 0, 12), ip: encounters(c, "inpatient", 0, 12) };
      const op = encounters(simulate(withPriceFactor(s, "outpatient", 1 + RISE), { seed, scale, years: 1 }).counters, "outpatient", 0, 12);
      const ip = encounters(simulate(withPriceFactor(s, "inpatient", 1 + RISE), { seed, scale, years: 1 }).counters, "inpatient", 0, 12);
      acc.eOp += (op / base.op - 1) / RISE / seeds.length;
      acc.eIp += (ip / base.ip - 1) / RISE / seeds.length;
    }
  }
  const opEpisodes = acc.ep.slice(0, 4).reduce((a, b) => a + b);
  return {
    visitsPerResident: acc.v / acc.res,
    admissionsPerResident: acc.a / acc.res,
    visitSplit: acc.vt.map((x) => x / acc.v),
    admissionSplit: acc.at.map((x) => x / acc.a),
    forgone: Array.from(acc.ep, (e, k) => (e > 0 ? acc.fg[k] / e : 0)),
    meanPrice: Array.from(acc.ep, (e, k) => (e > 0 ? acc.pr[k] / e : 0)),
    forgoneOp: acc.fg.slice(0, 4).reduce((a, b) => a + b) / opEpisodes,
    forgoneIp: acc.fg.slice(4, 8).reduce((a, b) => a + b) / acc.ep.slice(4, 8).reduce((a, b) => a + b),
    episodeShare: [0, 1, 2].map((k) => acc.ep[k] / opEpisodes),
    admissionShare: [5, 6].map((k) => acc.ep[k] / acc.ep.slice(4, 8).reduce((a, b) => a + b)),
    elasticityOp: acc.eOp,
    elasticityIp: acc.eIp,
    meanInclusive: [acc.iv[0] / Math.max(1, acc.n[0]), acc.iv[1] / Math.max(1, acc.n[1])],
    meanLnOop: [acc.lo[0] / Math.max(1, acc.n[0]), acc.lo[1] / Math.max(1, acc.n[1])],
  };
}

const f3 = (x: number) => x.toFixed(3);
const show = (m: Measured) =>
  `visits/resident ${f3(m.visitsPerResident)}, admissions/resident ${m.admissionsPerResident.toFixed(4)}; visits ${m.visitSplit.map(f3).join(" / ")}; admissions ${m.admissionSplit.slice(1).map(f3).join(" / ")}; ` +
  `forgone acute ${f3(m.forgoneOp)} (${m.forgone.slice(0, 3).map(f3).join(" / ")}), chronic ${f3(m.forgone[2 * N_SEVERITIES])}, admissions ${m.forgone.slice(N_SEVERITIES + 1, N_SEVERITIES + 3).map(f3).join(" / ")}; ` +
  `elasticity op ${f3(m.elasticityOp)} ip ${f3(m.elasticityIp)}`;

// 1. The model before care-seeking: the utilisation to keep.
let p = setPath(scenario.parameters, "careSeeking.enabled", false);
const before = measure(p, false);
console.log(`outside option off: ${show(before)}`);
const [visitsArg, admissionsArg] = (utilisationArg ?? "").split(",").map(Number);
const target = utilisationArg ? { visits: visitsArg, admissions: admissionsArg } : { visits: before.visitsPerResident, admissions: before.admissionsPerResident };
console.log(`utilisation to keep: ${target.visits} visits, ${target.admissions} admissions per resident`);

// 2. On; the references from the first run.
p = setPath(p, "careSeeking.enabled", true);
const first = measure(p, false);
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
for (const [k, care] of [[0, "outpatient"], [1, "inpatient"]] as const) {
  const c0 = p.careSeeking;
  const iv = r2(first.meanInclusive[k]);
  const oop = Math.round(Math.exp(first.meanLnOop[k]));
  // keep z as it was: the intercepts take the shifts of the references
  const shift = c0.inclusiveValue * (iv - c0.referenceInclusiveValue[care]) - c0.price[care] * Math.log(oop / c0.referenceOop[care]);
  p = setPath(p, `careSeeking.referenceInclusiveValue.${care}`, iv);
  p = setPath(p, `careSeeking.referenceOop.${care}`, oop);
  for (const sev of SEV) p = setPath(p, `careSeeking.intercept.${care}.${sev}`, c0.intercept[care][sev] + shift);
  if (care === "outpatient") p = setPath(p, "careSeeking.chronicFollowUp", c0.chronicFollowUp + shift);
}
console.log(`references where part 1 is drawn: inclusive value outpatient ${first.meanInclusive[0].toFixed(3)}, inpatient ${first.meanInclusive[1].toFixed(3)}; geometric mean E[OOP] outpatient ${Math.exp(first.meanLnOop[0]).toFixed(1)}, inpatient ${Math.exp(first.meanLnOop[1]).toFixed(1)} yuan`);

const scaleIncidence = (q: Parameters, key: "outpatientPerYear" | "inpatientPerYear", f: number) => {
  for (const a of AGE_BANDS) q = setPath(q, `incidence.${key}.${a}`, q.incidence[key][a] * f);
  return q;
};
const shift = (q: Parameters, path: string, now: number, want: number, sim: number) => setPath(q, path, now + logit(1 - want) - logit(1 - Math.min(0.999, Math.max(0.001, sim))));

for (let it = 0; it < 20; it++) {
  const m = measure(p, true);
  console.log(`iteration ${it}: ${show(m)}`);
  const forgoneErrors = [
    ...SEV.map((sev, s) => m.forgone[s] - TARGET.forgoneOp[sev]),
    m.forgone[2 * N_SEVERITIES] - TARGET.forgoneChronic,
    m.forgone[N_SEVERITIES + 1] - TARGET.forgoneIp.common,
    m.forgone[N_SEVERITIES + 2] - TARGET.forgoneIp.serious,
  ];
  const done =
    Math.abs(m.elasticityOp - TARGET.elasticityOp) < 0.01 &&
    Math.abs(m.elasticityIp - TARGET.elasticityIp) < 0.015 &&
    forgoneErrors.every((e) => Math.abs(e) < 0.003) &&
    Math.abs(m.visitsPerResident / target.visits - 1) < 0.002 &&
    Math.abs(m.admissionsPerResident / target.admissions - 1) < 0.003 &&
    m.visitSplit.every((x, i) => Math.abs(x - VISIT_SPLIT[TIERS[i]]) < 0.002) &&
    m.admissionSplit.every((x, i) => i === 0 || Math.abs(x - ADMISSION_SPLIT[TIERS[i]]) < 0.002);
  if (done) break;
  const c = p.careSeeking;
  // price weights: for a logit share P, ε = price · (1 − P), so the step divides out the
  // forgone share the intercepts are about to fix; bounded to a factor of 2 per iteration
  const forgoneOpTarget = (SEV.reduce((a, sev, s) => a + TARGET.forgoneOp[sev] * m.episodeShare[s], 0));
  const forgoneIpTarget = TARGET.forgoneIp.common * m.admissionShare[0] + TARGET.forgoneIp.serious * m.admissionShare[1];
  const step = (eT: number, eS: number, fS: number, fT: number) => Math.min(2, Math.max(0.5, (eT / Math.min(-1e-4, eS)) * (Math.max(1e-3, fS) / fT)));
  p = setPath(p, "careSeeking.price.outpatient", c.price.outpatient * step(TARGET.elasticityOp, m.elasticityOp, m.forgoneOp, forgoneOpTarget));
  p = setPath(p, "careSeeking.price.inpatient", c.price.inpatient * step(TARGET.elasticityIp, m.elasticityIp, m.forgoneIp, forgoneIpTarget));
  // intercepts: the logit shift that would move a homogeneous group to its target, less
  // what the new price weight adds to the group's mean price term
  const dOp = p.careSeeking.price.outpatient - c.price.outpatient;
  const dIp = p.careSeeking.price.inpatient - c.price.inpatient;
  SEV.forEach((sev, s) => (p = shift(p, `careSeeking.intercept.outpatient.${sev}`, c.intercept.outpatient[sev] - dOp * m.meanPrice[s], TARGET.forgoneOp[sev], m.forgone[s])));
  p = shift(p, "careSeeking.chronicFollowUp", c.chronicFollowUp - dOp * m.meanPrice[2 * N_SEVERITIES], TARGET.forgoneChronic, m.forgone[2 * N_SEVERITIES]);
  p = shift(p, "careSeeking.intercept.inpatient.common", c.intercept.inpatient.common - dIp * m.meanPrice[N_SEVERITIES + 1], TARGET.forgoneIp.common, m.forgone[N_SEVERITIES + 1]);
  p = shift(p, "careSeeking.intercept.inpatient.serious", c.intercept.inpatient.serious - dIp * m.meanPrice[N_SEVERITIES + 2], TARGET.forgoneIp.serious, m.forgone[N_SEVERITIES + 2]);
  p = setPath(p, "careSeeking.intercept.inpatient.minor", p.careSeeking.intercept.inpatient.common); // no minor admissions in the default mix
  // need: what the forgone episodes will take away once their shares are on target
  p = scaleIncidence(p, "outpatientPerYear", target.visits / (m.visitsPerResident * ((1 - forgoneOpTarget) / (1 - m.forgoneOp))));
  p = scaleIncidence(p, "inpatientPerYear", target.admissions / (m.admissionsPerResident * ((1 - forgoneIpTarget) / (1 - m.forgoneIp))));
  // tier constants (county = reference)
  TIERS.forEach((tier, i) => {
    if (tier === "county") return;
    p = setPath(p, `choice.tierConstant.${tier}`, p.choice.tierConstant[tier] + Math.log(VISIT_SPLIT[tier] / m.visitSplit[i]) - Math.log(VISIT_SPLIT.county / m.visitSplit[2]));
    if (ADMISSION_SPLIT[tier] > 0)
      p = setPath(p, `choice.tierConstantInpatient.${tier}`, p.choice.tierConstantInpatient[tier] + Math.log(ADMISSION_SPLIT[tier] / m.admissionSplit[i]) - Math.log(ADMISSION_SPLIT.county / m.admissionSplit[2]));
  });
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;
const round = (o: Record<string, number>, f = r2) => JSON.stringify(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])));
const c = p.careSeeking;
console.log(`\nvalues for data/parameters.yaml (${file}, scale ${scale}, seeds ${seeds.join(",")}, first year):`);
console.log(`careSeeking.intercept.outpatient: ${round(c.intercept.outpatient)}`);
console.log(`careSeeking.intercept.inpatient: ${round(c.intercept.inpatient)}`);
console.log(`careSeeking.chronicFollowUp: ${r2(c.chronicFollowUp)}`);
console.log(`careSeeking.price: ${round(c.price, r3)}`);
console.log(`careSeeking.referenceInclusiveValue: ${round(c.referenceInclusiveValue)}`);
console.log(`careSeeking.referenceOop: ${round(c.referenceOop, (x) => x)}`);
console.log(`incidence.outpatientPerYear: ${round(p.incidence.outpatientPerYear, r3)}`);
console.log(`incidence.inpatientPerYear: ${round(p.incidence.inpatientPerYear, r4)}`);
console.log(`choice.tierConstant: ${round(p.choice.tierConstant)}`);
console.log(`choice.tierConstantInpatient: ${round(p.choice.tierConstantInpatient)}`);
