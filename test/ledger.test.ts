import { describe, expect, it } from "vitest";
import { AccountingError, Ledger, assertClose } from "../sim/ledger";

describe("Ledger", () => {
  it("moves money between accounts and keeps the books balanced", () => {
    const l = new Ledger();
    const fund = l.account("insurer:resident");
    const payer = l.account("external:contributors");
    const clinic = l.account("facility:v01");
    l.post(payer, fund, 1000, "premiums");
    l.post(fund, clinic, 250.5, "claims");
    expect(l.balance("insurer:resident")).toBe(749.5);
    expect(l.balance("external:contributors")).toBe(-1000);
    expect(l.balance("facility:v01")).toBe(250.5);
    expect(l.balance("no:such")).toBe(0);
    expect(Array.from(l.balances).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("returns the same index for the same name and keeps balances when accounts are added", () => {
    const l = new Ledger();
    const a = l.account("a");
    l.post(l.account("b"), a, 5, "x");
    expect(l.account("a")).toBe(a);
    l.account("c");
    expect(l.balance("a")).toBe(5);
    expect(l.names).toEqual(["a", "b", "c"]);
  });

  it("totals accounts by prefix", () => {
    const l = new Ledger();
    const src = l.account("external:residents");
    l.post(src, l.account("facility:a"), 10, "oop");
    l.post(src, l.account("facility:b"), 32, "oop");
    l.post(src, l.account("fund"), 100, "oop");
    expect(l.total("facility:")).toBe(42);
    expect(l.total("external:")).toBe(-142);
  });

  it("rejects negative, NaN and infinite amounts with AccountingError and leaves balances unchanged", () => {
    const l = new Ledger();
    const a = l.account("a");
    const b = l.account("b");
    l.post(a, b, 7, "ok");
    for (const bad of [-1, -1e-9, NaN, Infinity, -Infinity]) {
      let err: unknown;
      try {
        l.post(a, b, bad, "bad posting");
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).toBeInstanceOf(AccountingError);
      expect((err as Error).message).toContain("bad posting");
      expect((err as Error).message).toContain("from a to b");
    }
    expect(l.balance("a")).toBe(-7);
    expect(l.balance("b")).toBe(7);
  });

  it("accepts zero", () => {
    const l = new Ledger();
    l.post(l.account("a"), l.account("b"), 0, "nothing");
    expect(l.balance("b")).toBe(0);
  });
});

describe("assertClose", () => {
  it("passes for sums equal up to rounding", () => {
    expect(() => assertClose("x", 0.1 + 0.2, 0.3)).not.toThrow();
    expect(() => assertClose("big", 1e12, 1e12 + 1e-4)).not.toThrow();
    expect(() => assertClose("tiny", 0, 5e-7)).not.toThrow();
  });
  it("throws AccountingError naming the identity on a mismatch", () => {
    expect(() => assertClose("facility revenue = cost", 100, 100.01)).toThrow(AccountingError);
    expect(() => assertClose("facility revenue = cost", 100, 100.01)).toThrow(/facility revenue = cost: 100\.00 ≠ 100\.01/);
    expect(() => assertClose("relative", 1e9, 1e9 + 10)).toThrow(AccountingError);
    expect(() => assertClose("nan", NaN, 0)).toThrow(AccountingError);
  });
  it("respects an explicit scale", () => {
    // tolerance = 1e-9 × scale + 1e-6: with scale 1e9 a difference of 0.5 passes
    expect(() => assertClose("scaled", 0, 0.5, 1e9)).not.toThrow();
    expect(() => assertClose("scaled", 0, 0.5, 1)).toThrow(AccountingError);
  });
});
