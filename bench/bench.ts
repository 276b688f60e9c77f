/**
 * Benchmark: simulate the default county (full scale) for 5 years on one core and print
 * wall time, episodes per second, memory per resident, the ratio of the simulator's
 * per-episode cost to a bare loop doing one logit choice per episode (the roofline), and
 * how an ensemble scales from 1 worker to all cores; the ratio also in CPU time (steadier
 * when other jobs share the machine). `npm run bench -- --json` prints one
 * JSON object. Figures, not assertions: timings never go into tests.
 *
 * Options: --scale F (default 1), --years N (default 5), --scaling-scale F (default 0.1)
 * and --scaling-runs R (default 2 × cores) for the worker-scaling ensemble.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { runJobs } from "../sim/experiments/runner";
import { loadScenario } from "../sim/scenario/load";
import { countyFor, simulate } from "../sim/simulate";
import { bareLoop, cpuSeconds } from "./roofline";

const args = process.argv.slice(2);
const json = args.includes("--json");
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const scale = opt("scale", 1);
const years = opt("years", 5);
const cores = availableParallelism();
const scalingScale = opt("scaling-scale", 0.1);
const scalingRuns = opt("scaling-runs", 2 * cores);
const SCENARIO = fileURLToPath(new URL("../scenarios/baseline-2018.yaml", import.meta.url));
const scenario = loadScenario(SCENARIO);

// ---- one run on one core ----------------------------------------------------------
countyFor(scenario, scale); // build the synthetic county outside the timing (cached)
let peakRss = process.memoryUsage().rss;
const baseRss = peakRss;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 50);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = simulate(scenario, { seed: 1, years, scale, onProgress: sample });
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(cpu0);
clearInterval(timer);
sample();
const c = r.counters;
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const episodes = sum(c.episodesOutpatient) + sum(c.episodesInpatient) + sum(c.episodesChronic);
const burnIn = scenario.parameters.simulation.burnInMonths;
const episodesSimulated = episodes * ((r.months + burnIn) / r.months); // burn-in months simulate episodes too
const episodesPerSecond = episodesSimulated / wall;

// ---- roofline: the same number of episodes, each one bare logit choice (bench/roofline.ts)
const bare = bareLoop(scenario, scale, Math.round(episodesSimulated));
const rooflineRatio = wall / bare.seconds;
// the same ratio in CPU time: steadier than wall time when other jobs share the cores
const rooflineRatioCpu = cpu / bare.cpuSeconds;

// ---- worker scaling: one ensemble, 1 … all cores ---------------------------------------
const counts = [...new Set([1, ...[2, 4, 8, 16, 32, 64].filter((k) => k < cores), cores])];
const jobs = Array.from({ length: scalingRuns }, (_, s) => ({ scenarioFile: SCENARIO, seed: s + 1, years, scale: scalingScale }));
const workerScaling: Record<string, number> = {};
for (const w of counts) {
  const t = performance.now();
  // workers: 1 runs in this thread (as `--workers 1` does); more start that many worker threads
  await runJobs(jobs, { workers: w });
  workerScaling[String(w)] = Number(((performance.now() - t) / 1000).toFixed(2));
}

const out = {
  residents: r.residents,
  years,
  scale,
  burnInMonths: burnIn,
  wallSeconds: Number(wall.toFixed(2)),
  cpuSeconds: Number(cpu.toFixed(2)),
  episodesRecorded: episodes,
  episodesPerSecond: Math.round(episodesPerSecond),
  peakRssMB: Number((peakRss / 2 ** 20).toFixed(1)),
  bytesPerResident: Math.round((peakRss - baseRss) / r.residents),
  rooflineRatio: Number(rooflineRatio.toFixed(2)),
  rooflineRatioCpu: Number(rooflineRatioCpu.toFixed(2)),
  roofline: { bareLoopSeconds: Number(bare.seconds.toFixed(3)), bareLoopCpuSeconds: Number(bare.cpuSeconds.toFixed(3)), episodes: Math.round(episodesSimulated), meanOptionsPerChoice: Number(bare.meanOptions.toFixed(2)) },
  workerScaling,
  workerScalingRuns: { runs: scalingRuns, scale: scalingScale, years, residentsPerRun: countyFor(scenario, scalingScale).residents.count },
  cores,
  node: process.version,
};
if (json) console.log(JSON.stringify(out));
else {
  console.log(`default county: ${out.residents.toLocaleString()} residents, ${years} years (+${out.burnInMonths} burn-in months), scale ${scale}`);
  console.log(`wall time        ${out.wallSeconds} s (one core; ${out.cpuSeconds} s of CPU)`);
  console.log(`episodes         ${out.episodesRecorded.toLocaleString()} recorded, ${out.episodesPerSecond.toLocaleString()} per second per core (burn-in included)`);
  console.log(`peak memory      ${out.peakRssMB} MB RSS (${out.bytesPerResident} bytes per resident above start-up)`);
  console.log(`roofline ratio   ${out.rooflineRatio} (simulator ÷ a bare logit choice per episode over ${out.roofline.meanOptionsPerChoice} options: ${out.roofline.bareLoopSeconds} s); in CPU time ${out.rooflineRatioCpu}`);
  console.log(
    `worker scaling   ${scalingRuns} runs at scale ${scalingScale}: ` +
      Object.entries(workerScaling).map(([w, s]) => `${w} worker${w === "1" ? "" : "s"} ${s} s`).join(", ") +
      ` (speed-up ${(workerScaling["1"] / workerScaling[String(cores)]).toFixed(2)}× on ${cores} cores)`,
  );
}
