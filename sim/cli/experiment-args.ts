/**
 * Command-line pieces shared by `sweep`, `sensitivity` and `calibrate`: repeatable
 * options (`--param`, `--target` may be given many times, which parseArgs forbids for
 * ordinary options), seeds, workers, the results store and sharding, and a progress line
 * counted in runs rather than months.
 */
import { availableParallelism } from "node:os";
import { parse as parseYamlValue } from "yaml";
import { parseShard } from "../experiments/jobs";
import { parseParameterRange, rangeSetProblems, type ParameterRange } from "../experiments/parameter-ranges";
import { canonicalPath, checkOverrides, type OverrideValue } from "../scenario/overrides";
import { UsageError, parseDir, parseSeed, type OptionDef } from "./args";
import { endProgressLine } from "./progress";

/**
 * Take every `--name value` / `--name=value` of the repeatable options out of argv;
 * returns the remaining arguments (for parseArgs) and the values by option name.
 */
export function takeRepeated(command: string, argv: readonly string[], names: readonly string[]): { rest: string[]; values: Record<string, string[]> } {
  const values: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m || !names.includes(m[1])) {
      rest.push(arg);
      continue;
    }
    let v = m[2];
    if (v === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`--${m[1]} needs a value`, command);
      v = next;
      i++;
    }
    values[m[1]].push(v);
  }
  return { rest, values };
}

/** `--param` values → checked ranges (UsageError naming the bad one). */
export function parameterRanges(command: string, raws: readonly string[], opts: { steps?: "allowed" | "forbidden"; min?: number; option?: string } = {}): ParameterRange[] {
  const option = `--${opts.option ?? "param"}`;
  if (raws.length < (opts.min ?? 1)) {
    throw new UsageError(`needs at least ${opts.min ?? 1} ${option} path=low:high${opts.steps === "forbidden" ? "" : "[:steps]"} (e.g. ${option} choice.quality=3.5:5.5 or ${option} policy.insurance.resident.inpatient.rate.township=0.8:0.95)`, command);
  }
  const ranges = raws.map((raw) => {
    try {
      return parseParameterRange(raw, { steps: opts.steps });
    } catch (e) {
      throw new UsageError(`${option} ${JSON.stringify(raw)}: ${(e as Error).message}`, command);
    }
  });
  const dup = rangeSetProblems(ranges);
  if (dup.length) throw new UsageError(`${option}: ${dup.join("; ")}`, command);
  return ranges;
}

/**
 * `--set PATH=VALUE` values → checked overrides held fixed at every point (UsageError
 * naming the bad one). VALUE is read as a YAML scalar or flow list: 0.9, true,
 * capitation, [renmin, xinglong].
 */
export function fixedOverrides(command: string, raws: readonly string[], ranges: readonly ParameterRange[] = []): Record<string, OverrideValue> {
  const out: Record<string, OverrideValue> = {};
  const seen = new Map(ranges.map((r) => [canonicalPath(r.path), `--param ${r.path}`]));
  for (const raw of raws) {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set ${JSON.stringify(raw)}: must be PATH=VALUE, e.g. --set policy.payment.regime=capitation or --set choice.habit=0.9`, command);
    const path = raw.slice(0, eq).trim();
    let value: unknown;
    try {
      value = parseYamlValue(raw.slice(eq + 1));
    } catch (e) {
      throw new UsageError(`--set ${JSON.stringify(raw)}: the value is not a number, true/false, a word or a [list]: ${(e as Error).message.split("\n")[0]}`, command);
    }
    const problems = checkOverrides({ [path]: value }, { where: "" }).problems;
    if (problems.length) throw new UsageError(`--set ${JSON.stringify(raw)}: ${problems.join("; ")}`, command);
    const key = canonicalPath(path);
    if (seen.has(key)) throw new UsageError(`--set ${path}: also named by ${seen.get(key)}; name each path once`, command);
    seen.set(key, `--set ${path}`);
    out[path] = value as OverrideValue;
  }
  return out;
}

export const SET: OptionDef = {
  name: "set",
  value: "PATH=VALUE",
  help: "hold a parameter or policy leaf at VALUE in every run (repeat for each), e.g.\n--set policy.payment.regime=capitation --set choice.habit=0.9; a policy\nlever set so holds for the whole run (later timeline changes of it are overridden);\n'policy.payment.regime={2019-07: capitation}' sets a lever from a month on",
};

export function parsePositiveInt(max: number, what: string, min = 1): (raw: string) => number {
  return (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(Number.isInteger(n) && n >= min && n <= max)) throw new Error(`must be a whole number of ${what} from ${min} to ${max}`);
    return n;
  };
}

export function parseYear(raw: string): string {
  if (!/^\d{4}$/.test(raw) && !/^\d{4}-\d{2}\+12m$/.test(raw)) throw new Error("must be a simulated year, e.g. 2020");
  return raw;
}

export const SEEDS: OptionDef = { name: "seeds", value: "N", parse: parsePositiveInt(1000, "seeds"), help: "common seeds every point runs on: --seed, --seed+1, … (default 1)" };
export const FIRST_SEED: OptionDef = { name: "seed", value: "N", parse: parseSeed, help: "first seed (default 1)" };
export const WORKERS: OptionDef = {
  name: "workers",
  value: "N",
  parse: parsePositiveInt(1024, "worker threads"),
  help: `worker threads (default: all cores, ${availableParallelism()} here); results are identical whatever N`,
};
export const STORE: OptionDef = {
  name: "store",
  value: "DIR",
  parse: parseDir,
  help: "results store: each finished run is saved there at once and runs already\nthere are skipped, so a killed run resumes where it stopped",
};
export const SHARD: OptionDef = {
  name: "shard",
  value: "i/N",
  parse: (raw) => parseShard(raw),
  help: "run only every N-th job starting at the i-th, into --store (e.g. a Slurm array\ntask); merge the shards' stores, then run again without --shard for the summary",
};
export const YEAR: OptionDef = { name: "year", value: "Y", parse: parseYear, help: "simulated year analysed (default: the last simulated year)" };

/** The seed list from --seed and --seeds. */
export function seedList(o: Record<string, unknown>, defaultCount = 1, firstDefault = 1): number[] {
  const first = (o.seed as number | undefined) ?? firstDefault;
  const n = (o.seeds as number | undefined) ?? defaultCount;
  return Array.from({ length: n }, (_, i) => first + i);
}

/** One progress line on stderr counted in runs: `sweep  [######------]  12/40 runs  30%  4.2s`. */
export class RunProgress {
  private readonly started = performance.now();
  private lastDraw = 0;
  constructor(
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly unit = "runs",
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  readonly update = (done: number, total: number, note = ""): void => {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const w = 20;
    const filled = Math.round(frac * w);
    let line = `${this.label}  [${"#".repeat(filled)}${"-".repeat(w - filled)}]  ${String(done).padStart(String(total).length)}/${total} ${this.unit}  ${String(Math.floor(frac * 100)).padStart(3)}%  ${((now - this.started) / 1000).toFixed(1)}s${note ? `  ${note}` : ""}`;
    const cols = this.stream.isTTY ? this.stream.columns : undefined;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    this.stream.write(`\r${line}${this.stream.isTTY ? "\x1b[K" : ""}`);
  };

  finish(): void {
    if (this.enabled) this.stream.write("\n");
    endProgressLine();
  }
}
