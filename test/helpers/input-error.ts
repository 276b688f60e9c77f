/** Assertions on input errors: what a loader throws for a bad file. */
import { expect } from "vitest";
import { InputError } from "../../sim/scenario/errors";

/** Run `load` and return the InputError it throws (fails the test on anything else). */
export function inputError(load: () => unknown): InputError {
  let caught: unknown;
  try {
    load();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected an InputError to be thrown").toBeInstanceOf(InputError);
  const err = caught as InputError;
  expect(err.problems.length).toBeGreaterThan(0);
  expect(err.message).toBe(err.problems.join("\n"));
  return err;
}

/** The problem lines of the InputError `load` throws. */
export const inputProblems = (load: () => unknown): string[] => inputError(load).problems;
