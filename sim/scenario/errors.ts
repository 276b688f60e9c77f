import { relative } from "node:path";

/**
 * Input errors a user can fix: each line names the file, the field path and what is
 * allowed, e.g. `scenarios/x.yaml: insurance.reimbursement.township.inpatient = 1.4:
 * must be between 0 and 1`. The CLI prints them without a stack trace.
 */
export class InputError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "InputError";
  }
}

/**
 * A file as an error message names it: relative to the working directory when inside it,
 * else as given (the working directory itself, whose relative path is empty, as given).
 */
export function shownPath(path: string): string {
  const r = relative(process.cwd(), path);
  return r === "" || r.startsWith("..") ? path : r;
}

/** Short, readable rendering of a value inside an error message. */
export function showValue(v: unknown): string {
  if (v === undefined) return "(missing)";
  if (typeof v === "string") return JSON.stringify(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
}
