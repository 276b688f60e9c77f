/**
 * Benchmark: simulate the default county (full scale) for 5 years on one core and print
 * wall time, episodes per second and peak memory. `npm run bench -- --json` prints one
 * JSON object. Figures, not assertions: timings never go into tests.
 */
import { loadScenario } from "../sim/scenario/load";
import { simulate } from "../sim/simulate";

const json = process.argv.includes("--json");
const scaleArg = process.argv.indexOf("--scale");
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;
const scenario = loadScenario("scenarios/baseline-2018.yaml");
let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 50);
const t0 = performance.now();
const r = simulate(scenario, { seed: 1, years: 5, scale, onProgress: sample });
const wall = (performance.now() - t0) / 1000;
clearInterval(timer);
sample();
const c = r.counters;
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const episodes = sum(c.episodesOutpatient) + sum(c.episodesInpatient) + sum(c.episodesChronic);
const months = r.months + scenario.parameters.simulation.burnInMonths;
const episodesPerSecond = (episodes * (months / r.months)) / wall; // burn-in months simulate episodes too
const out = {
  residents: r.residents,
  years: 5,
  burnInMonths: scenario.parameters.simulation.burnInMonths,
  wallSeconds: Number(wall.toFixed(2)),
  episodesRecorded: episodes,
  episodesPerSecond: Math.round(episodesPerSecond),
  peakRssMB: Number((peakRss / 2 ** 20).toFixed(1)),
  bytesPerResident: Math.round((peakRss - baseRss) / r.residents),
  node: process.version,
};
if (json) console.log(JSON.stringify(out));
else {
  console.log(`default county: ${out.residents.toLocaleString()} residents, 5 years (+${out.burnInMonths} burn-in months)`);
  console.log(`wall time        ${out.wallSeconds} s`);
  console.log(`episodes         ${out.episodesRecorded.toLocaleString()} recorded, ${out.episodesPerSecond.toLocaleString()} per second`);
  console.log(`peak memory      ${out.peakRssMB} MB RSS (${out.bytesPerResident} bytes per resident above start-up)`);
}
