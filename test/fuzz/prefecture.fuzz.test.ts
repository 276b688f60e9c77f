/**
 * Property-based fuzzing of the prefecture files (issue 12's prefecture, after issue 14's
 * suite): mutations of the shipped prefecture description (counties, their files, pilots,
 * neighbours, the city's hospitals) and of the staged-rollout scenario (join dates,
 * pooling, the baseline and reform it names) either load — every county's scenario built
 * and the smallest county simulated through the rollout — or are refused with problems that each
 * name a file, never another exception. A sample of the refused ones goes through the real
 * CLI: exit 2, no stack trace, nothing written. Seeded and bounded (fast-check).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { monthlyIndicators, yearlyIndicators } from "../../sim/indicators";
import { countyScenario, loadPrefectureScenario } from "../../sim/prefecture/scenario";
import { simulate } from "../../sim/simulate";
import { STACK_LINE, cli } from "../cli/cli";
import { REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";
import { edited, mutationOf, nonFiniteIndicators, ranOrRefused, type Mutation } from "./mutate";

// A copy of the repository's layout in which only the mutants are new files: data/ holds
// links to the shipped data (the county files among them) beside a real prefectures/ folder
// for mutated descriptions; scenarios/ links the shipped scenarios beside a prefecture/ folder.
const tmp = tempDir("yigongti-fuzz-prefecture-");
afterAll(() => tmp.cleanup());
const data = join(tmp.dir, "data");
const scenarios = join(tmp.dir, "scenarios");
mkdirSync(join(data, "prefectures"), { recursive: true });
mkdirSync(join(scenarios, "prefecture"), { recursive: true });
for (const f of readdirSync(join(REPO_ROOT, "data"))) if (f !== "prefectures") symlinkSync(join(REPO_ROOT, "data", f), join(data, f));
for (const f of readdirSync(join(REPO_ROOT, "scenarios"))) if (f.endsWith(".yaml")) symlinkSync(join(REPO_ROOT, "scenarios", f), join(scenarios, f));
symlinkSync(join(REPO_ROOT, "data/prefectures/qujing-like.yaml"), join(data, "prefectures/qujing-like.yaml"));

const DESCRIPTION = readFileSync(join(REPO_ROOT, "data/prefectures/qujing-like.yaml"), "utf8");
const ROLLOUT = readFileSync(join(REPO_ROOT, "scenarios/prefecture/qujing-rollout.yaml"), "utf8");
/** A problem line names a file (path:… or path:line:col …; a path as written, such as a missing `reform: t01`) or a command-line option. */
const NAMES_A_FILE = /^(\S+\.ya?ml)(:\d+:\d+)?[: ]|^\S*\/\S*: |^--|^county /;
/** Scale small enough that a county's run is mostly its fixed monthly cost, large enough that every village keeps a resident (every scale from 0.0015 up works for beishan, the most demanding county). */
const SCALE = 0.003;

type County = { id: string; file: string; pilot?: boolean; neighbours?: string[] };
const counties = (t: Record<string, unknown>) => t.counties as County[];
const DESCRIPTION_CASES: Mutation[] = [
  edited(DESCRIPTION, "two counties in one county file", (t) => (counties(t)[1].file = counties(t)[0].file), /already the file of counties\[0\]/),
  edited(DESCRIPTION, "no pilot county (the rollout joins pilots first)", (t) => counties(t).forEach((c) => (c.pilot = false)), /no county of .* is marked pilot: true/),
  edited(DESCRIPTION, "every county a pilot", (t) => counties(t).forEach((c) => (c.pilot = true))),
  edited(DESCRIPTION, "neighbours left out everywhere (documentation only)", (t) => counties(t).forEach((c) => delete c.neighbours)),
  edited(DESCRIPTION, "a neighbour the county file does not offer", (t) => (counties(t)[0].neighbours = [counties(t)[8].id]), /neighbours = .*lets its residents choose/),
  edited(DESCRIPTION, "a county's file is a scenario", (t) => (counties(t)[2].file = "../../scenarios/baseline-2018.yaml"), /this is a county scenario, not a county description/),
  edited(DESCRIPTION, "the city hospital renamed (county files still name it)", (t) => ((t.hospitals as { id: string }[])[0].id = "city2"), /inPrefecture is true, so the id must be/),
  edited(DESCRIPTION, "only the smallest county (it still names its neighbours)", (t) => (t.counties = counties(t).filter((c) => c.id === "fuyuan")), /neighbours\[0\] = "malin": not a county of this prefecture/),
];
const ROLLOUT_CASES: Mutation[] = [
  edited(ROLLOUT, "city-level pooling from the start", (t) => ((t.pooling as Record<string, unknown>).level = "city")),
  edited(ROLLOUT, "pooling moves to the city in 2020", (t) => ((t.pooling as Record<string, unknown>).changes = [{ from: "2020-01", level: "city" }])),
  edited(ROLLOUT, "pooling changes out of date order", (t) => ((t.pooling as Record<string, unknown>).changes = [{ from: "2020-01", level: "city" }, { from: "2019-01", level: "county" }]), /list changes in date order/),
  edited(ROLLOUT, "every county joins at the start", (t) => ((t.rollout as Record<string, unknown>).join = [{ from: "2018-01", counties: "all" }])),
  edited(ROLLOUT, "a join before the start", (t) => ((t.rollout as Record<string, unknown>).join = [{ from: "2010-01", counties: "all" }])),
  edited(ROLLOUT, "counties joining by a list of ids", (t) => ((t.rollout as Record<string, unknown>).join = [{ from: "2019-06", counties: ["fuyuan", "xihe"] }])),
  edited(ROLLOUT, "an unknown county joins", (t) => ((t.rollout as Record<string, unknown>).join = [{ from: "2019-06", counties: "atlantis" }]), /"atlantis" is not a county/),
  edited(ROLLOUT, "the reform is the baseline", (t) => (t.reform = t.baseline)),
  edited(ROLLOUT, "the reform file is missing (said once, not once per county)", (t) => (t.reform = "nowhere.yaml"), /^\S+: reform = "nowhere\.yaml": the file it names has problems \(below\)\n\S+nowhere\.yaml: scenario file not found$/),
  edited(ROLLOUT, "the baseline is the prefecture", (t) => (t.baseline = t.prefecture), /baseline = .*the file it names has problems[\s\S]*this is a prefecture description, not a county scenario .*baseline: must name a county scenario/),
  edited(ROLLOUT, "the prefecture is a county file", (t) => (t.prefecture = "../../data/counties/qujing-like.yaml"), /this is a county description, not a prefecture description/),
];

/** Load a prefecture scenario, build every county's scenario (as the CLI does) and simulate the smallest county through the rollout. */
function loadAndRun(file: string): void {
  const ps = loadPrefectureScenario(file);
  const built = ps.prefecture.counties.map((c) => countyScenario(ps, c.id));
  const smallest = ps.prefecture.counties.reduce((a, b) => (sizeOf(ps, a.id) <= sizeOf(ps, b.id) ? a : b)).id;
  const r = simulate(built[ps.prefecture.counties.findIndex((c) => c.id === smallest)], { seed: 1, years: 3, scale: SCALE });
  expect(nonFiniteIndicators([...yearlyIndicators(r.counters, r.start, r.months), ...monthlyIndicators(r.counters, r.start, r.months)]), `${file} county ${smallest}`).toEqual([]);
}
const sizeOf = (ps: ReturnType<typeof loadPrefectureScenario>, id: string) => ps.prefecture.countyDescriptions[id].townships.reduce((n, t) => n + t.population, 0);

/**
 * Write a mutant where its references resolve and return the prefecture scenario to load:
 * a mutated description is named by a copy of the rollout scenario; a mutated rollout names
 * the shipped description.
 */
function mutantScenario(kind: "description" | "rollout", id: string, bytes: Buffer): string {
  if (kind === "rollout") {
    const file = join(scenarios, "prefecture", `rollout-${id}.yaml`);
    writeFileSync(file, bytes);
    return file;
  }
  writeFileSync(join(data, "prefectures", `${id}.yaml`), bytes);
  const file = join(scenarios, "prefecture", `description-${id}.yaml`);
  writeFileSync(file, ROLLOUT.replace("qujing-like.yaml", `${id}.yaml`));
  return file;
}

function fuzz(kind: "description" | "rollout", seed: number, runs: number) {
  const text = kind === "description" ? DESCRIPTION : ROLLOUT;
  const tally = { cases: 0, refused: 0, simulated: 0, refusedFiles: [] as string[] };
  let n = 0;
  fc.assert(
    fc.property(mutationOf(text, kind === "description" ? DESCRIPTION_CASES : ROLLOUT_CASES), (m) => {
      const file = mutantScenario(kind, `mutant-${n++}`, m.bytes);
      tally.cases++;
      if (ranOrRefused(m, () => loadAndRun(file), NAMES_A_FILE) === "ran") tally.simulated++;
      else {
        tally.refused++;
        tally.refusedFiles.push(file);
      }
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  return tally;
}

// The domain cases are drawn by chance in the fuzz below; each is also tried once here, so none is left out.
describe("prefecture domain cases, each tried", () => {
  let n = 0;
  it.each([
    ...DESCRIPTION_CASES.map((m) => ["description", m.describe, m] as const),
    ...ROLLOUT_CASES.map((m) => ["rollout", m.describe, m] as const),
  ])("%s: %s", (kind, _title, m) => {
    const file = mutantScenario(kind, `case-${n++}`, m.bytes);
    // a case to refuse is refused (ranOrRefused fails it otherwise); every other case must load and run
    expect(ranOrRefused(m, () => loadAndRun(file), NAMES_A_FILE), m.describe).toBe(m.mustRefuse ? "refused" : "ran");
  }, 120_000);
});

describe("fuzz: prefecture files", () => {
  it.each([
    ["description", 21, 50],
    ["rollout", 22, 50],
  ] as const)("every mutation of the prefecture %s loads and runs, or is refused naming a file", (kind, seed, runs) => {
    const t = fuzz(kind, seed, runs);
    console.log(`prefecture fuzz (${kind}): ${t.cases} cases, ${t.refused} refused with a clear error, ${t.simulated} simulated, 0 crashes`);
    expect(t.cases).toBe(runs);
    expect(t.refused).toBeGreaterThan(0);
    expect(t.simulated).toBeGreaterThan(0);
    // a sample through the real CLI: exit 2, no stack trace, nothing written
    for (const f of t.refusedFiles.filter((_, i) => i % 15 === 0)) {
      const out = join(tmp.dir, `out-${f.replace(/\W/g, "")}`);
      const r = cli(["prefecture", f, "--seeds", "1", "--scale", String(SCALE), "--years", "1", "--no-charts", "--out", out]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(existsSync(out)).toBe(false);
    }
  }, 600_000);
});
