/**
 * Benchmark of issue 12's prefecture target: the Qujing-like prefecture (≈6 M residents,
 * nine counties, 2018–2020) with one seed at full scale on all cores, as
 * `yigongti prefecture scenarios/prefecture/qujing-rollout.yaml --seeds 1 --scale 1`
 * runs it (county jobs largest first, one county per worker at a time). Prints wall
 * time, CPU time of the whole process (main thread and workers) and peak RSS per
 * resident. Target: < 60 s wall on 2 cores, < 200 bytes per resident. Figures, not
 * assertions. `npm run bench:prefecture -- --scale 0.2 --json`.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { runJobs } from "../sim/experiments/runner";
import { countyPopulation } from "../sim/prefecture/description";
import { loadPrefectureScenario } from "../sim/prefecture/scenario";

const args = process.argv.slice(2);
const json = args.includes("--json");
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
const peak = process.resourceUsage().maxRSS * 1024; // bytes
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
};
if (json) console.log(JSON.stringify(out));
else {
  console.log(`prefecture ${ps.name}: ${residents.toLocaleString("en-US")} residents in ${out.counties} counties, ${out.years} years, scale ${scale}, ${out.cores} cores`);
  console.log(`wall time   ${out.wallSeconds} s (target < 60 s); CPU ${out.cpuSeconds} s (all threads)`);
  console.log(`peak memory ${out.peakRssMB} MB RSS = ${out.bytesPerResident} bytes per resident (target < 200)`);
}
