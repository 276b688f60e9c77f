/**
 * Benchmark of issue 12's prefecture target: the Qujing-like prefecture (≈6 M residents,
 * nine counties, 2018–2020) with one seed at full scale on all cores, as
 * `yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 1 --scale 1`
 * runs it (county jobs largest first, one county per worker at a time). Prints wall
 * time, CPU time of the whole process (main thread and workers) and peak RSS per
 * resident. Target: < 60 s wall on 2 cores, < 200 bytes per resident. Figures, not
 * assertions. `npm run bench:prefecture -- --scale 0.2 --json`.
 *
 * This machine's speed is not the same from day to day (the same run has taken 36 s and
 * 118 s on machines of the same kind), so after the run the bare logit loop of `npm run
 * bench` (bench/roofline.ts) is timed on the default county for the recorded run's
 * episodes (bench/recorded.json): its time against the recorded one tells how fast this
 * machine is, and the wall time scaled by it is what the run would have taken on the
 * recorded machine — an estimate (the loop does not touch memory as a county run does),
 * for comparing runs of different days. `--no-reference` skips it.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { runJobs } from "../sim/experiments/runner";
import { countyPopulation } from "../sim/prefecture/description";
import { loadPrefectureScenario } from "../sim/prefecture/scenario";
import { loadScenario } from "../sim/scenario/load";
import { bareLoop } from "./roofline";

const args = process.argv.slice(2);
const json = args.includes("--json");
const reference = !args.includes("--no-reference");
const at = args.indexOf("--scale");
const scale = at >= 0 ? Number(args[at + 1]) : 1;
if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
const FILE = fileURLToPath(new URL("../scenarios/prefecture/qujing-rollout.yaml", import.meta.url));
const ps = loadPrefectureScenario(FILE);
const size = (id: string) => countyPopulation(ps.prefecture.countyDescriptions[id]);
const jobs = [...ps.prefecture.counties].sort((a, b) => size(b.id) - size(a.id)).map((c) => ({ scenarioFile: `${ps.file}#${c.id}`, seed: 1, scale }));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const results = await runJobs(jobs, { workers: availableParallelism() });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const residents = results.reduce((n, r) => n + r.residents, 0);
const peak = process.resourceUsage().maxRSS * 1024; // bytes (read before the reference loop's county is built)
const machine = reference ? machineReference() : null;
const out = {
  residents,
  counties: jobs.length,
  years: results[0].years,
  scale,
  cores: availableParallelism(),
  wallSeconds: Number(wall.toFixed(1)),
  cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
  peakRssMB: Number((peak / 2 ** 20).toFixed(0)),
  bytesPerResident: Math.round(peak / residents),
  node: process.version,
  ...(machine ? { machineReference: { ...machine, wallSecondsAtRecordedSpeed: Number((wall * machine.speedRatio).toFixed(1)) } } : {}),
};
if (json) console.log(JSON.stringify(out));
else {
  console.log(`prefecture ${ps.name}: ${residents.toLocaleString("en-US")} residents in ${out.counties} counties, ${out.years} years, scale ${scale}, ${out.cores} cores`);
  console.log(`wall time   ${out.wallSeconds} s (target < 60 s); CPU ${out.cpuSeconds} s (all threads)`);
  console.log(`peak memory ${out.peakRssMB} MB RSS = ${out.bytesPerResident} bytes per resident (target < 200)`);
  if (machine)
    console.log(
      `machine     the bare logit loop took ${machine.bareLoopSeconds} s against ${machine.recordedBareLoopSeconds} s in the recorded run of ${machine.recordedNode} ` +
        `(bench/recorded.json): this machine runs at ${machine.speedRatio.toFixed(2)}× its speed; at the recorded machine's speed the wall time would be ≈${out.machineReference?.wallSecondsAtRecordedSpeed} s`,
    );
}

/** The bare logit loop of the recorded `npm run bench` (same county, same episodes), timed here. */
function machineReference() {
  const rec = JSON.parse(readFileSync(fileURLToPath(new URL("./recorded.json", import.meta.url)), "utf8")) as {
    scale: number;
    node: string;
    roofline: { bareLoopSeconds: number; episodes: number };
  };
  const scenario = loadScenario(fileURLToPath(new URL("../scenarios/baseline-2018.yaml", import.meta.url)));
  const bare = bareLoop(scenario, rec.scale, rec.roofline.episodes);
  return {
    bareLoopSeconds: Number(bare.seconds.toFixed(3)),
    recordedBareLoopSeconds: rec.roofline.bareLoopSeconds,
    recordedNode: rec.node,
    episodes: rec.roofline.episodes,
    /** recorded ÷ here: > 1 when this machine is faster than the recorded one */
    speedRatio: Number((rec.roofline.bareLoopSeconds / bare.seconds).toFixed(3)),
  };
}
