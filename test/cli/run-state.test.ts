/**
 * `yigongti run --save-state FILE [--at YYYY-MM]` and `--from-state FILE`: a reform run
 * from the baseline's saved state writes the same indicators as its run from the start;
 * a state from another run is refused, naming the file and what differs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE, FAST, cli, removeTempDirs, tempDir } from "./cli";

afterAll(removeTempDirs);

describe("yigongti run with a saved state", () => {
  it("saves the baseline's state at its reform month; a reform from it writes what it writes from the start", () => {
    const dir = tempDir();
    const state = join(dir, "2018.state");
    const reform = BASELINE.replace("baseline-2018", "differential-reimbursement");
    const run = ["--years", "2", "--seed", "3"];
    const saved = cli(["run", BASELINE, ...FAST, ...run, "--save-state", state, "--out", join(dir, "base")]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/wrote the state at the start of 2019-01 to .*2018\.state \(\d+\.\d MB\)/);
    expect(existsSync(state)).toBe(true);
    const forked = cli(["run", reform, ...FAST, ...run, "--from-state", state, "--out", join(dir, "forked")]);
    expect(forked.code).toBe(0);
    const plain = cli(["run", reform, ...FAST, ...run, "--out", join(dir, "plain")]);
    expect(readFileSync(join(dir, "forked", "indicators.csv"), "utf8")).toBe(readFileSync(join(dir, "plain", "indicators.csv"), "utf8"));
    expect(plain.code).toBe(0);
    const other = cli(["run", reform, ...FAST, "--years", "2", "--seed", "4", "--from-state", state, "--out", join(dir, "other")]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--from-state .*2018\.state: cannot fork from the state saved at 2019-01: the run's seed differs from the snapshot's \(seed: 3 in the snapshot, 4 here\)/);
  });

  it("refuses --at outside the run and --at without --save-state", () => {
    const dir = tempDir();
    const late = cli(["run", BASELINE, ...FAST, "--years", "2", "--at", "2030-01", "--save-state", join(dir, "s"), "--out", join(dir, "x")]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/--at 2030-01: not a month of the run \(2018-01 and the 23 months after\)/);
    const alone = cli(["run", BASELINE, ...FAST, "--at", "2019-01", "--out", join(dir, "y")]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--at names the month of the state --save-state writes/);
  });
});
