/**
 * Hand-rolled argument parsing: `--name value`, `--name=value`, boolean flags with a
 * `--no-` form, `-h`/`--help`, and `--` to end options. Every mistake becomes a
 * UsageError whose one-line message names the option and what is allowed.
 */
import { parseYearMonth, type YearMonth } from "../scenario/months";

/** A mistake on the command line (exit 2). `command` picks the help to point at. */
export class UsageError extends Error {
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface OptionDef {
  /** long name without dashes, e.g. "seed" */
  name: string;
  /** placeholder for the value (e.g. "N"); absent for a boolean flag */
  value?: string;
  /** for a flag: also accept --no-<name> */
  negatable?: boolean;
  /** help text (may span lines) */
  help: string;
  /** turn the raw text into a value; throw an Error whose message says what is allowed */
  parse?: (raw: string) => unknown;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, unknown>;
  help: boolean;
}

export function parseArgs(command: string, argv: readonly string[], defs: readonly OptionDef[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, unknown> = {};
  const byName = new Map(defs.map((d) => [d.name, d]));
  const allowed = () => ["--help", ...defs.flatMap((d) => (d.negatable ? [`--${d.name}`, `--no-${d.name}`] : [`--${d.name}`]))].join(", ");
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unknown option ${arg}; allowed: ${allowed()}`, command);
    const eq = arg.indexOf("=");
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    let def = byName.get(key);
    let flagValue = true;
    if (!def && key.startsWith("no-")) {
      const d = byName.get(key.slice(3));
      if (d?.negatable) {
        def = d;
        flagValue = false;
      }
    }
    if (!def) throw new UsageError(`unknown option --${key}; allowed: ${allowed()}`, command);
    if (def.value === undefined) {
      if (inline !== undefined) throw new UsageError(`--${key} takes no value (got --${key}=${inline})`, command);
      options[def.name] = flagValue;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`--${key} needs a value: --${key} ${def.value}`, command);
      raw = next;
      i++;
    }
    if (def.name in options) throw new UsageError(`--${key} given more than once`, command);
    try {
      options[def.name] = def.parse ? def.parse(raw) : raw;
    } catch (e) {
      throw new UsageError(`--${key} ${JSON.stringify(raw)}: ${(e as Error).message}`, command);
    }
  }
  return { positionals, options, help };
}

// ---- value parsers (messages say what is allowed) -----------------------------------

export const MAX_YEARS = 50;

export function parseSeed(raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

export function parseYears(raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(Number.isInteger(n) && n >= 1 && n <= MAX_YEARS)) throw new Error(`must be a whole number of years from 1 to ${MAX_YEARS}`);
  return n;
}

/** A month option's value, YYYY-MM (run --at, solve --from). */
export function parseMonth(raw: string): YearMonth {
  const m = parseYearMonth(raw);
  if (!m) throw new Error("must be a month written YYYY-MM, e.g. 2019-01");
  return m;
}

export function parseScale(raw: string): number {
  const n = /^\+?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n > 0 && n <= 1)) throw new Error("must be a number greater than 0 and at most 1 (the fraction of the county simulated, e.g. 0.05 for a quick run)");
  return n;
}

export function parseChoice<T extends string>(choices: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new Error(`must be one of ${choices.join(", ")}`);
    return raw as T;
  };
}

export function parseDir(raw: string): string {
  if (raw.trim() === "") throw new Error("must be a directory path");
  return raw;
}

// ---- options shared by the commands that simulate -----------------------------------

export const SEED: OptionDef = { name: "seed", value: "N", parse: parseSeed, help: "random seed, a whole number ≥ 0 (default 1); same seed → identical results" };
export const SCALE: OptionDef = {
  name: "scale",
  value: "F",
  parse: parseScale,
  help: "simulate this fraction of the county's residents, staff and beds, 0 < F ≤ 1\n(default 1; 0.05 runs about 20× faster for quick checks)",
};
export const PROGRESS: OptionDef = {
  name: "progress",
  negatable: true,
  help: "--progress shows a progress bar on stderr even when it is not a terminal;\n--no-progress hides it (default: shown only when stderr is a terminal)",
};

export interface SimOptions {
  seed: number;
  scale: number;
  years?: number;
  out?: string;
  progress: boolean;
}

/** The common simulation options from parsed args, with defaults. */
export function simOptions(o: Record<string, unknown>): SimOptions {
  return {
    seed: (o.seed as number | undefined) ?? 1,
    scale: (o.scale as number | undefined) ?? 1,
    years: o.years as number | undefined,
    out: o.out as string | undefined,
    progress: (o.progress as boolean | undefined) ?? Boolean(process.stderr.isTTY),
  };
}
