/** Seed citations in source: fields are checked against the clause index (data/seed-clauses.md §D). */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { citationProblems, clauseIndex, parseCitations } from "../../sim/scenario/citations";
import { loadCounty, loadParameters, loadScenario } from "../../sim/scenario/load";
import { inputProblems } from "../helpers/input-error";
import { BASELINE_SCENARIO, PARAMETERS_FILE, QUJING_COUNTY, REPO_ROOT } from "../helpers/paths";
import { tempDir } from "../helpers/tmp";

const Q = "000_d976d86ac1f892b7.txt";
const W = "001_ca634c5edf7b7e03.txt";
const J = "002_cfc78cb0d70fb95d.txt";
const N = "003_e150340525663deb.txt";
const X = "004_95fd1871afdd6e42.txt";
const tmp = tempDir("yigongti-citations-");
afterAll(() => tmp.cleanup());

const cites = (s: string) => parseCitations(s).map((c) => [c.file.slice(0, 3), c.clause, c.within].filter(Boolean).join(" "));

describe("parseCitations", () => {
  it("reads sections, sub-heading lists, items, ledger rows, annexes and bare seed numbers", () => {
    expect(cites(`${Q} §二(三)(四), §三(一); ${X} §五(一); ${J} §26`)).toEqual(["000 §二(三)", "000 §二(四)", "000 §三(一)", "004 §五(一)", "002 §26"]);
    expect(cites(`${W} item 12 (§六(五)) (医共体内区级医疗机构…); ${W} items 6–8`)).toEqual(["001 item 12 §六(五)", "001 item 6", "001 item 7", "001 item 8"]);
    expect(cites(`${N} 台账二(五) (县招乡用); ${J} 附件1; ${J} Annex 1`)).toEqual(["003 台账二(五)", "002 附件1", "002 附件1"]);
    expect(cites("001 §三 (区域内基层就诊率达到65%左右); 2018 §5")).toEqual(["001 §三"]);
    expect(cites(`none of ${J} §9 / ${X} §五(六) in force`)).toEqual(["002 §9", "004 §五(六)"]);
    // a document without a clause cites the whole document; an assumption cites nothing
    expect(parseCitations(`structure from ${W} (tight community)`)).toEqual([{ file: W, clause: "", within: "", text: W }]);
    expect(parseCitations("assumption — no published figure")).toEqual([]);
  });
});

describe("the clause index", () => {
  const idx = clauseIndex();
  const text = readFileSync(join(REPO_ROOT, "data/seed-clauses.md"), "utf8");

  it("lists the five seeds with their headings, 001's items under their sub-headings", () => {
    expect([...idx.seeds.keys()]).toEqual([Q, W, J, N, X]);
    expect(idx.seeds.get(Q)!.has("§三(七)")).toBe(true);
    expect(idx.seeds.get(Q)!.has("§三(八)")).toBe(false);
    expect(idx.seeds.get(W)!.get("item 10")).toBe("§六(四)");
    expect(idx.seeds.get(J)!.has("§32")).toBe(true);
    expect(idx.seeds.get(J)!.has("§33")).toBe(false);
    expect(idx.seeds.get(N)!.has("台账一(二)")).toBe(true);
    expect(idx.seeds.get(X)!.has("§五(三)")).toBe(true);
  });

  it("has every clause that sections A and B of data/seed-clauses.md quote (the index agrees with itself)", () => {
    const quoted = [...text.matchAll(/^- `(\d{3}_[0-9a-f]{16}\.txt [^`]+)`/gm)].map((m) => m[1]);
    expect(quoted.length).toBeGreaterThan(80);
    const problems = quoted.flatMap((q) => citationProblems(q, `data/seed-clauses.md: ${q}`, idx));
    expect(problems).toEqual([]);
  });

  const seedsDir = join(REPO_ROOT, "../shared/seeds");
  it.skipIf(!existsSync(seedsDir))("quotes each 「…」 of sections A and B verbatim from one line of the seed it cites", () => {
    const seeds = new Map(readdirSync(seedsDir).filter((f) => /^\d{3}_/.test(f)).map((f) => [f, readFileSync(join(seedsDir, f), "utf8").split("\n")]));
    const missing: string[] = [];
    let doc = "";
    for (const line of text.split("\n")) {
      if (line.startsWith("## C.")) break;
      const h = /^### (\d{3}_[0-9a-f]{16}\.txt)/.exec(line);
      if (h) doc = h[1];
      const cited = /^- `(\d{3}_[0-9a-f]{16}\.txt) /.exec(line)?.[1] ?? (line.startsWith("  ") || line.startsWith("- L") ? doc : "");
      if (!cited || !seeds.has(cited)) continue;
      for (const m of line.matchAll(/「([^」]+)」/g)) if (!seeds.get(cited)!.some((l) => l.includes(m[1]))) missing.push(`${cited}: 「${m[1]}」`);
    }
    expect(missing).toEqual([]);
  });
});

describe("the loader checks every source: citation", () => {
  const child = (name: string, body: string) => tmp.write(name, `extends: ${JSON.stringify(BASELINE_SCENARIO)}\n${body}`);

  it("every shipped scenario, the parameters and both counties cite only indexed clauses", () => {
    for (const f of readdirSync(join(REPO_ROOT, "scenarios")).filter((f) => f.endsWith(".yaml"))) expect(() => loadScenario(join(REPO_ROOT, "scenarios", f))).not.toThrow();
  });

  it("a clause not in the index: the file, the field, the clause and what the index has for that seed", () => {
    const f = child("bad-clause.yaml", `timeline:\n  - from: 2019-01\n    source: ${Q} §三(九) (no such sub-heading)\n    set:\n      payment.regime: capitation\n`);
    const [p] = inputProblems(() => loadScenario(f)).filter((m) => m.includes("§三(九)"));
    expect(p).toContain("bad-clause.yaml: timeline[0].source");
    expect(p).toContain(`cites §三(九) of ${Q}, which is not in the clause index (data/seed-clauses.md §D)`);
    expect(p).toContain(`it has for ${Q}: §三, §三(一), §三(二), §三(三), §三(四), §三(五), §三(六), §三(七)`);
  });

  it("an item under the wrong sub-heading, a bare seed number, a policy lever's source, a file that is not a seed", () => {
    const f = child(
      "bad-items.yaml",
      `policy:\n  workforce:\n    source: ${W} item 10 (§六(五)); 001 §八\n    pooledQuota: true\ntimeline:\n  - from: 2019-01\n    source: 005_0000000000000000.txt §一\n    set:\n      payment.regime: capitation\n`,
    );
    const problems = inputProblems(() => loadScenario(f));
    expect(problems.find((m) => m.includes("item 10"))).toMatch(/bad-items\.yaml: policy\.workforce\.source: .*places item 10 of 001_ca634c5edf7b7e03\.txt under §六\(五\), but the index .* has it under §六\(四\)/);
    expect(problems.find((m) => m.includes("§八"))).toMatch(/policy\.workforce\.source: "001 §八" cites §八 of 001_ca634c5edf7b7e03\.txt, which is not in the clause index .*: §一, §二, §三, §四, §五, §六, §七/);
    expect(problems.find((m) => m.includes("005_"))).toMatch(/timeline\[0\]\.source: cites 005_0000000000000000\.txt, which is not a seed document/);
  });

  it("parameter files and county files: the field path of the leaf", () => {
    const params = parse(readFileSync(PARAMETERS_FILE, "utf8"));
    params.choice.habit.source = `assumption; ${J} §33`;
    const pf = tmp.write("params.yaml", stringify(params));
    expect(inputProblems(() => loadParameters(pf))).toEqual([expect.stringMatching(/params\.yaml: choice\.habit\.source: ".*§33" cites §33 of 002_cfc78cb0d70fb95d\.txt, which is not in the clause index .*§30, §31, §32/)]);
    const county = parse(readFileSync(QUJING_COUNTY, "utf8"));
    county.demographics.income.source = `${N} 台账七`;
    const cf = tmp.write("county.yaml", stringify(county));
    expect(inputProblems(() => loadCounty(cf))).toEqual([expect.stringMatching(/county\.yaml: demographics\.income\.source: "003_e150340525663deb\.txt 台账七" cites 台账七 .* 台账一, 台账一\(一\)/)]);
  });
});
