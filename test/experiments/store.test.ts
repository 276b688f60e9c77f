import { afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { storeRecords } from "../../sim/experiments/sql";
import { join } from "node:path";
import { ResultsStore, mergeStores, runWithStore } from "../../sim/experiments/store";
import { runJobs, type Job } from "../../sim/experiments/runner";
import { shardJobs } from "../../sim/experiments/jobs";
import { BASELINE_SCENARIO } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const tmp = tempDir("yigongti-store-");
afterAll(() => tmp.cleanup());

const jobs: Job[] = [1, 2, 3, 4].map((seed) => ({ scenarioFile: BASELINE_SCENARIO, seed, years: 1, scale: 0.02 }));
const values = (rs: { yearly: unknown; monthly: unknown; key: string }[]) => JSON.stringify(rs.map((r) => [r.key, r.yearly, r.monthly]));

describe("results store", () => {
  it("resumes: a re-run skips finished jobs and runs only the missing ones, with identical results", async () => {
    const store = new ResultsStore(join(tmp.dir, "resume"));
    const first = await runWithStore([jobs[0], jobs[2]], store, { workers: 1 });
    expect([first.ran, first.skipped]).toEqual([2, 0]);
    const ran: number[] = [];
    const full = await runWithStore(jobs, store, { workers: 1, onResult: (_r, i) => void ran.push(i) });
    expect([full.ran, full.skipped]).toEqual([2, 2]);
    expect(ran.sort()).toEqual([1, 3]);
    expect(store.keys()).toHaveLength(4);
    expect(full.results.map((r) => r.job.seed)).toEqual([1, 2, 3, 4]);
    // what comes back from the store equals a fresh run, bit for bit
    expect(values(full.results)).toBe(values(await runJobs(jobs, { workers: 1 })));
    const rec = store.readRecord(full.results[0].key);
    expect(rec.manifest.seed).toBe(1);
    expect(rec.manifest.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.manifest.git).toHaveProperty("dirty");
    expect(rec.model).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    expect((await runWithStore(jobs, store, { workers: 1 })).ran).toBe(0);
  });

  it("keepResults: false keeps nothing and hands every job's result over once — run now (onResult) or from the store (onStored), duplicate keys included", async () => {
    const store = new ResultsStore(join(tmp.dir, "streamed"));
    await runWithStore([jobs[1]], store, { workers: 1 });
    const tagged = [...jobs, { ...jobs[0], tags: { member: 9 } }]; // the last has the key of the first
    const got = new Map<number, { how: string; seed: number; tags: unknown }>();
    const take = (how: string) => (r: { job: Job }, i: number) => {
      expect(got.has(i), `job ${i} handed over twice`).toBe(false);
      got.set(i, { how, seed: r.job.seed, tags: r.job.tags });
    };
    const out = await runWithStore(tagged, store, { workers: 2, keepResults: false, onResult: take("ran"), onStored: take("stored") });
    expect(out.results).toEqual([]);
    expect([out.ran, out.skipped]).toEqual([3, 2]);
    expect([...got.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4].map((i) => got.get(i)!.how)).toEqual(["ran", "stored", "ran", "ran", "stored"]);
    expect(got.get(4)).toEqual({ how: "stored", seed: 1, tags: { member: 9 } });
    // the same values as a kept run
    const kept = await runWithStore(tagged, store, { workers: 1 });
    expect(kept.results.map((r) => r.job.tags)).toEqual(tagged.map((j) => j.tags));
  });

  it("keeps every finished run when a run is killed half-way, and leaves no partial file", async () => {
    const store = new ResultsStore(join(tmp.dir, "killed"));
    let n = 0;
    const crash = runWithStore(jobs, store, {
      workers: 1,
      onResult: () => {
        if (++n === 2) throw new Error("killed");
      },
    });
    await expect(crash).rejects.toThrow("killed");
    expect(store.keys()).toHaveLength(2);
    expect(readdirSync(store.runsDir).filter((f) => !f.endsWith(".json"))).toEqual([]);
    const again = await runWithStore(jobs, store, { workers: 2 });
    expect([again.ran, again.skipped]).toEqual([2, 2]);
  });

  it("merges shards written to separate stores into one", async () => {
    const dirs = [1, 2].map((i) => join(tmp.dir, `shard-${i}`));
    for (const [i, d] of dirs.entries()) await runWithStore(shardJobs(jobs, { index: i + 1, count: 2 }), new ResultsStore(d), { workers: 1 });
    const merged = join(tmp.dir, "merged");
    expect(mergeStores(merged, dirs)).toEqual({ copied: 4, present: 0, damaged: [] });
    expect(mergeStores(merged, dirs)).toEqual({ copied: 0, present: 4, damaged: [] });
    expect((await runWithStore(jobs, new ResultsStore(merged), { workers: 1 })).skipped).toBe(4);
  });

  it("a zero-length or truncated record (power cut before the flush) is re-run, not an error for every later command", async () => {
    const store = new ResultsStore(join(tmp.dir, "powercut")).open();
    const jobs = [{ scenarioFile: BASELINE_SCENARIO, seed: 1, years: 1, scale: 0.02 }, { scenarioFile: BASELINE_SCENARIO, seed: 2, years: 1, scale: 0.02 }];
    const first = await runWithStore(jobs, store, { workers: 1 });
    const [k1, k2] = first.results.map((r) => r.key);
    writeFileSync(join(store.runsDir, `${k1}.json`), "");
    writeFileSync(join(store.runsDir, `${k2}.json`), readFileSync(join(store.runsDir, `${k2}.json`), "utf8").slice(0, 100));
    expect(store.damaged().sort()).toEqual([k1, k2].sort());
    expect(store.has(k1)).toBe(false);
    expect(store.readAll()).toEqual([]);
    expect(storeRecords([store.dir])).toEqual([]);
    const again = await runWithStore(jobs, store, { workers: 1 });
    expect(again.ran).toBe(2);
    expect(store.damaged()).toEqual([]);
    expect(again.results.map((r) => r.yearly)).toEqual(first.results.map((r) => r.yearly));
  });

  it("reports a corrupt record with its path", () => {
    const store = new ResultsStore(join(tmp.dir, "corrupt")).open();
    writeFileSync(join(store.runsDir, "abc.json"), "{not json");
    expect(() => store.read("abc")).toThrow(/corrupt[/\\]runs[/\\]abc\.json/);
  });
});
