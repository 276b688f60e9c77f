/**
 * A whole simulation as a worker task: `compare` and `brief` need each scenario's full
 * SimulationResult (counters, per-facility and per-community series, and for `compare`
 * the per-resident trace behind moved-up.csv), not only the indicators a Job returns.
 * A pure function of the task (and the files it names), like a Job: the result is
 * bit-identical in a worker and in this thread.
 */
import type { SimulationResult } from "../simulate";
import type { Scenario } from "../scenario/load";
import type { OverrideValue } from "../scenario/overrides";
import { cachedScenario } from "./execute";
import { simulateShared } from "./forks";
import { withOverrides } from "./jobs";

export interface SimulationTask {
  scenarioFile: string;
  /**
   * the resolved scenario itself, for one no file holds (built in code with extend):
   * a worker gets it by structured clone instead of loading scenarioFile
   */
  scenario?: Scenario;
  seed: number;
  years: number;
  scale: number;
  /** keep the per-resident trace (scenario differences, moved-up.csv) */
  traceResidents?: boolean;
  /** parameter or policy leaves by dotted path (a parameter draw), applied to the scenario first */
  overrides?: Record<string, OverrideValue>;
}

export function executeSimulation(task: SimulationTask, onProgress?: (monthsDone: number, monthsTotal: number) => void): SimulationResult {
  const { scenarioFile, scenario, overrides, ...options } = task;
  return simulateShared(withOverrides(scenario ?? cachedScenario(scenarioFile), overrides), { ...options, onProgress });
}
