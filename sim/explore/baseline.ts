/**
 * The scenario the explorer sets a setting against for the siphon verdict, by the CLI's
 * rule (baselineIndex, as `compare` picks a baseline): the first of the starting
 * scenario's extends chain, root first, on the same county and start year — so a Wuhua
 * reform is set against wuhua-baseline, not the Qujing baseline that file extends.
 */
import { loadScenario, type Scenario } from "../scenario/load";
import { baselineIndex } from "../study/comparison";

const loaded = new Map<string, Scenario>();

/** `toFile` turns a chain entry (a path as shown) into the path to load. */
export function explorerBaseline(start: Scenario, toFile: (shown: string) => string = (f) => f): string {
  const files = start.chain.map(toFile);
  const chain = files.map((f) => loaded.get(f) ?? loaded.set(f, loadScenario(f)).get(f)!);
  return files[baselineIndex(chain.map((s) => ({ name: s.name, countyFile: s.countyFile, startYear: s.start.year })), chain.length - 1)];
}
