/** A scenario starting so early that "through 2020" exceeds one run's 50 years is an input error naming the file (compare, brief, regress). */
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE, STACK_LINE, cli, removeTempDirs, tempDir, writeScenario } from "./cli";

afterAll(removeTempDirs);

describe("default horizon through the target year", () => {
  const dir = tempDir();
  const early = writeScenario(dir, "early.yaml", `extends: ${JSON.stringify(BASELINE)}\nname: early\nstart: 1900-01\n`);
  for (const args of [["compare", early], ["brief", early, "--out", `${dir}/brief`], ["regress", "record", early, "--out", `${dir}/ref`]])
    it(args.slice(0, args[0] === "regress" ? 2 : 1).join(" "), () => {
      const r = cli([...args, "--scale", "0.02"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/early\.yaml: start = 1900: through the 2020 target year that is 121 simulated years; at most 50 — give --years N/);
      expect(r.stderr).not.toMatch(STACK_LINE);
    });
});
