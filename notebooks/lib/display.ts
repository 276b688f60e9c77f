/**
 * Charts in a notebook: the chart module (sim/charts) renders SVG headless; these helpers
 * attach the runs' provenance (model version, seed, scenario hashes, years, scale) so a
 * chart copied out of a notebook still says where its numbers came from.
 */
import { chartSvg, type Chart, type Provenance } from "../../sim/charts";
import { gitState, modelVersion } from "../../sim/manifest";
import type { StudyRun } from "../../sim/study/study";

/** Provenance of a set of runs made with one seed, horizon and scale (as compare() makes them). */
export function provenanceOf(runs: readonly StudyRun[]): Provenance {
  if (runs.length === 0) throw new Error("provenanceOf: no runs");
  const s = runs[0].settings;
  return {
    modelVersion: modelVersion(),
    seed: s.seed,
    scenarios: runs.map((r) => ({ name: r.name, hash: r.scenario.hash })),
    years: runs.every((r) => r.settings.years === s.years) ? s.years : undefined,
    scale: s.scale,
    commit: gitState().commit,
  };
}

/** A chart as SVG markup with the runs' provenance, for `tslab.display.html(...)`. */
export async function chartHtml(chart: Chart, runs: readonly StudyRun[]): Promise<string> {
  return chartSvg(chart, provenanceOf(runs));
}
