/**
 * Worker-thread side of the runner: receives {id, job} messages, runs each with
 * executeJob (or {id, simulation}: executeSimulation), and posts back {id, result} or
 * {id, error}. The entry of the engine build's worker bundle (scripts/build/engine.mjs →
 * dist/engine/<id>/worker.mjs), which is what the runner starts (worker-bundle.ts).
 */
import { parentPort } from "node:worker_threads";
import { InputError } from "../scenario/errors";
import { executeJob } from "./execute";
import type { Job, JobResult } from "./jobs";
import { executeSimulation, type SimulationTask } from "./simulate-task";
import type { SimulationResult } from "../simulate";

export type WorkerTask = { job: Job } | { simulation: SimulationTask };
export type WorkerRequest = { id: number } & WorkerTask;
export type WorkerReply =
  | { id: number; result: JobResult | SimulationResult }
  | { id: number; error: { message: string; problems?: string[]; stack?: string } };

if (!parentPort) throw new Error("sim/experiments/worker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (msg: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, result: "job" in msg ? executeJob(msg.job) : executeSimulation(msg.simulation) };
  } catch (e) {
    const err = e as Error;
    reply = { id: msg.id, error: { message: err.message, problems: e instanceof InputError ? e.problems : undefined, stack: err.stack } };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
