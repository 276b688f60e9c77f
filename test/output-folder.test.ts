/** Output folders written whole (sim/output.ts): what is replaced, what is refused, what killed runs leave. */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OUTPUT_KINDS, listFiles, outputFolderProblem, recoverOutputFolder, writeFileGroup, writeOutputFolder, writeOutputFolderWith } from "../sim/output";
import { tempDir, type TempDir } from "./helpers/tmp";

let t: TempDir;
afterEach(() => t?.cleanup());

const RUN = OUTPUT_KINDS.run;
const DEAD = 2 ** 22 + 4321; // above Linux's pid_max: no such process
const hidden = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("."));

describe("an output folder is written whole", () => {
  it("a new folder, nested paths included, with nothing left beside it", () => {
    t = tempDir();
    const out = join(t.dir, "a", "b");
    const written = writeOutputFolder(out, RUN, { "manifest.json": "{}\n", "x/y.csv": "a\n1\n" });
    expect(written).toEqual([join(out, "manifest.json"), join(out, "x/y.csv")]);
    expect(listFiles(out)).toEqual(["manifest.json", "x/y.csv"]);
    expect(hidden(join(t.dir, "a"))).toEqual([]);
  });

  it("replaces an earlier output as a unit: files the new one lacks go with the old one", () => {
    t = tempDir();
    const out = join(t.dir, "out");
    writeOutputFolder(out, RUN, { "manifest.json": "old", "old-only.csv": "x\n", "s/old.json": "{}" });
    writeOutputFolder(out, RUN, { "manifest.json": "new", "indicators.csv": "y\n" });
    expect(listFiles(out)).toEqual(["indicators.csv", "manifest.json"]);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe("new");
    expect(hidden(t.dir)).toEqual([]);
  });

  it("an empty folder may be used; one holding anything else is refused, and nothing is written", () => {
    t = tempDir();
    const empty = join(t.dir, "empty");
    mkdirSync(empty);
    expect(outputFolderProblem(empty, RUN)).toBeNull();
    const mine = join(t.dir, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "mine");
    expect(outputFolderProblem(mine, RUN)).toMatch(/holds files that are not an earlier output of yigongti run \(notes\.txt; no manifest\.json\), and an output folder is replaced as a whole: choose a new or empty folder/);
    expect(() => writeOutputFolder(mine, RUN, { "manifest.json": "{}" })).toThrow(/cannot write results to .*mine: .*notes\.txt/);
    expect(readdirSync(mine)).toEqual(["notes.txt"]);
    expect(hidden(t.dir)).toEqual([]);
    // another command's output is not this one's
    writeOutputFolder(join(t.dir, "ens"), OUTPUT_KINDS.ensemble, { "ensemble.json": "{}" });
    expect(outputFolderProblem(join(t.dir, "ens"), RUN)).toMatch(/not an earlier output of yigongti run \(ensemble\.json; no manifest\.json\)/);
    expect(outputFolderProblem(join(t.dir, "ens"), OUTPUT_KINDS.ensemble)).toBeNull();
  });

  it("a folder holding an input of the command (a scenario, a store) or the working directory is refused", () => {
    t = tempDir();
    const out = join(t.dir, "out");
    writeOutputFolder(out, RUN, { "manifest.json": "{}" });
    const scenario = t.write("out/my.yaml", "name: x\n");
    expect(outputFolderProblem(out, RUN, [scenario])).toMatch(/holds .*out\/my\.yaml, an input of this command, and an output folder is replaced as a whole: choose another folder/);
    expect(outputFolderProblem(out, RUN, [out])).toMatch(/an input of this command/);
    expect(outputFolderProblem(out, RUN, [join(t.dir, "elsewhere.yaml")])).toBeNull();
    expect(outputFolderProblem(process.cwd(), RUN)).toMatch(/is the working directory or holds it/);
    expect(outputFolderProblem(join(process.cwd(), ".."), RUN)).toMatch(/is the working directory or holds it/);
  });

  it("a file where the folder should be is refused", () => {
    t = tempDir();
    const f = t.write("file", "x");
    expect(outputFolderProblem(f, RUN)).toBe("exists and is not a directory; choose another folder");
  });

  it("a symbolic link to a folder: the folder it points to is replaced, the link kept", () => {
    t = tempDir();
    const real = join(t.dir, "real");
    writeOutputFolder(real, RUN, { "manifest.json": "old" });
    symlinkSync(real, join(t.dir, "link"));
    writeOutputFolder(join(t.dir, "link"), RUN, { "manifest.json": "new" });
    expect(readFileSync(join(real, "manifest.json"), "utf8")).toBe("new");
    expect(readdirSync(t.dir).sort()).toEqual(["link", "real"]);
  });

  it("a failure while writing leaves the old folder and no temporary", () => {
    t = tempDir();
    const out = join(t.dir, "out");
    writeOutputFolder(out, RUN, { "manifest.json": "old" });
    expect(() => writeOutputFolder(out, RUN, { "manifest.json": "new", "../escape.txt": "x" })).toThrow(/not a path inside the output folder/);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe("old");
    expect(readdirSync(t.dir)).toEqual(["out"]);
  });

  it("files written by another library into the staged folder (writeOutputFolderWith)", async () => {
    t = tempDir();
    const out = join(t.dir, "out");
    await writeOutputFolderWith(out, OUTPUT_KINDS.export, async (f) => {
      f.write("runs.csv", "a\n");
      writeFileSync(join(f.path, "other.bin"), Buffer.from([1, 2, 3]));
    });
    expect(listFiles(out)).toEqual(["other.bin", "runs.csv"]);
    await expect(writeOutputFolderWith(out, OUTPUT_KINDS.export, async () => Promise.reject(new Error("boom")))).rejects.toThrow(/cannot write results to .*out: boom/);
    expect(listFiles(out)).toEqual(["other.bin", "runs.csv"]);
    expect(hidden(t.dir)).toEqual([]);
  });
});

describe("what killed runs leave beside a folder", () => {
  it("an unfinished copy of a process that is gone is removed; one of a live process is left alone", () => {
    t = tempDir();
    const out = join(t.dir, "out");
    writeOutputFolder(out, RUN, { "manifest.json": "old" });
    mkdirSync(join(t.dir, `.out.partial-${DEAD}`));
    mkdirSync(join(t.dir, ".out.partial-1")); // pid 1 runs
    mkdirSync(join(t.dir, `.other.partial-${DEAD}`)); // another folder's: not ours to touch
    expect(recoverOutputFolder(out)).toEqual([expect.stringMatching(/removed .*\.out\.partial-\d+ \(an unfinished folder of a killed run\)/)]);
    expect(hidden(t.dir).sort()).toEqual([`.other.partial-${DEAD}`, ".out.partial-1"]);
  });

  it("a folder renamed aside by a run killed between its two renames is put back, by the next check or write", () => {
    t = tempDir();
    const out = join(t.dir, "out");
    writeOutputFolder(out, RUN, { "manifest.json": "old" });
    cpSync(out, join(t.dir, `.out.partial-${DEAD}`), { recursive: true });
    renameSync(out, join(t.dir, `.out.old-${DEAD}`));
    expect(existsSync(out)).toBe(false);
    expect(outputFolderProblem(out, RUN)).toBeNull();
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe("old");
    expect(hidden(t.dir)).toEqual([]);
    // when the new folder did get in, the old one left aside is deleted
    mkdirSync(join(t.dir, `.out.old-${DEAD}`));
    writeOutputFolder(out, RUN, { "manifest.json": "new" });
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe("new");
    expect(hidden(t.dir)).toEqual([]);
  });
});

describe("a group of files in a shared folder (calibrate)", () => {
  it("each written whole, no temporaries left, other files untouched", () => {
    t = tempDir();
    t.write("theirs.txt", "keep");
    const written = writeFileGroup(t.dir, { "c.fit.md": "# fit\n", "c.yaml": "a: 1\n" }, "c.yaml");
    expect(written).toEqual([join(t.dir, "c.fit.md"), join(t.dir, "c.yaml")]);
    expect(readdirSync(t.dir).sort()).toEqual(["c.fit.md", "c.yaml", "theirs.txt"]);
  });
});
