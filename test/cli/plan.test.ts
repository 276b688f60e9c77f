import { describe, expect, it } from "vitest";
import { cli } from "./cli";

describe("yigongti plan", () => {
  it("prints the month's steps in order, sub-plans nested, exit 0", () => {
    const r = cli(["plan"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("one month, in order:");
    const labels = ["policy", "new year", "supply", "funding", "crowding", "provider response", "care-seeking", "residents", "payments", "year end", "books check", "record"];
    const at = labels.map((l) => lines.findIndex((x) => new RegExp(`^\\d+ +${l} `).test(x)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.stdout).toMatch(/\n {4}5\.6\.3 +exits +sim\/staff\/workforce\.ts/);
  });

  it("--format json gives one object per step; --help describes it; arguments are refused", () => {
    const j = cli(["plan", "--format", "json"]);
    expect(j.code).toBe(0);
    const rows = JSON.parse(j.stdout) as { number: string; label: string; depth: number }[];
    expect(rows[0]).toMatchObject({ number: "1", label: "policy", depth: 0 });
    expect(rows.some((x) => x.label === "recruitment" && x.depth === 2)).toBe(true);
    const h = cli(["plan", "--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: yigongti plan/);
    expect(h.stdout).toContain("--format");
    expect(cli(["--help"]).stdout).toContain("yigongti plan");
    const bad = cli(["plan", "extra"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("see yigongti plan --help");
  });

  it("--time SCENARIO runs it and shows each step's time, share and runs; --scale without --time is refused", () => {
    const r = cli(["plan", "--time", "scenarios/baseline-2018.yaml", "--scale", "0.02", "--years", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/time in each step/);
    expect(r.stdout).toMatch(/s +[\d.]+% +24× +10 +residents /); // 12 burn-in + 12 recorded months
    expect(r.stdout).toMatch(/s +[\d.]+% +1× +5\.6\.3 +exits /);
    const bad = cli(["plan", "--scale", "0.02"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("go with --time");
  });
});
