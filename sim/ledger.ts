/**
 * Double-entry books of the county's health money.
 *
 * Accounts: each insurance fund (医保基金), each community's package (打包基金) and retained
 * reserve (结余), each community's own funds (bearing overspend), each facility's revenue,
 * and three outside sources — residents (OOP), contributors (premiums) and medical
 * assistance (医疗救助). Money only moves by `post(from, to, amount)`, which refuses
 * negative or non-finite amounts. `AccountingError` is thrown when an identity fails.
 */
export class AccountingError extends Error {
  constructor(message: string) {
    super(`accounting identity broken: ${message}`);
    this.name = "AccountingError";
  }
}

export class Ledger {
  readonly names: string[] = [];
  balances = new Float64Array(0);
  private index = new Map<string, number>();

  account(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
      const b = new Float64Array(this.names.length);
      b.set(this.balances);
      this.balances = b;
    }
    return i;
  }

  post(from: number, to: number, amount: number, what: string): void {
    if (!(amount >= 0) || !Number.isFinite(amount)) {
      throw new AccountingError(`posting ${what} of ${amount} from ${this.names[from]} to ${this.names[to]}: amounts must be finite and ≥ 0`);
    }
    this.balances[from] -= amount;
    this.balances[to] += amount;
  }

  balance(name: string): number {
    const i = this.index.get(name);
    return i === undefined ? 0 : this.balances[i];
  }

  /** Sum of balances of accounts whose name starts with `prefix`. */
  total(prefix: string): number {
    let s = 0;
    this.names.forEach((n, i) => {
      if (n.startsWith(prefix)) s += this.balances[i];
    });
    return s;
  }
}

/** Relative-tolerance equality for money sums accumulated in different orders. */
export function assertClose(what: string, a: number, b: number, scale = Math.max(1, Math.abs(a), Math.abs(b))): void {
  if (!(Math.abs(a - b) <= 1e-9 * scale + 1e-6)) {
    throw new AccountingError(`${what}: ${a.toFixed(2)} ≠ ${b.toFixed(2)} (difference ${(a - b).toFixed(4)})`);
  }
}
