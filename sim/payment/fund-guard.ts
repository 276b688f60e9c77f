/**
 * The fund never goes negative (基金不穿底) as a rule the insurer enforces, not only a
 * number to report. 003_e150340525663deb.txt §三 sets the constraint 「在确保基金不穿底和
 * 群众待遇不降低的前提下」 next to its instruments — global prepayment, surplus retained,
 * reasonable overspend sharing (总额预付、结余留用、合理超支分担) and fund supervision; the
 * other seeds say how a budget is kept: spending within revenue (以收定支和收支平衡,
 * 001_ca634c5edf7b7e03.txt item 16), a package sized on fund revenue whose surpluses cover
 * later shortfalls (000_d976d86ac1f892b7.txt §二(二)), a fund balance kept at a reasonable
 * level (002_cfc78cb0d70fb95d.txt §15). None gives the mechanics or a figure; what follows
 * is how this model's insurer applies them (the order and the claims provision are
 * assumptions, data/parameters.yaml `fundGuard`).
 *
 * When `payment.capitation.fundNeverNegative` is on, each insurance fund (resident and
 * employee are separate pools), every month:
 *   1. premiums come in (the fund's accumulated balance, 结存, opening reserve included, is
 *      used before anything else is cut);
 *   2. claims it deferred earlier are paid first (care already delivered comes first);
 *   3. interim control of the prepayment (预拨): the month's package prepayments of this
 *      fund are paid only out of what the fund holds above a provision for its own claims
 *      (`claimsProvisionMonths` × last month's fee-for-service claims, plus any claims still
 *      deferred); all packages of the fund are cut in the same proportion. A cut is not
 *      owed later: the package's budget is that much smaller, so it shows at year end as
 *      overspend, met from the community's retained reserve, the insurer's share (capped,
 *      4) and the community (超支自付);
 *   4. claims it pays directly (fee-for-service) are paid as far as the balance goes; the
 *      rest is deferred (延付, a payable to the facilities, who have delivered the care and
 *      are owed it) and paid first from later revenue;
 *   5. at year end the insurer's share of a package overspend (合理超支分担) is capped at
 *      the balance net of deferred claims (sim/payment/capitation.ts settleYear).
 * Residents' benefits are never touched (待遇不降低): what residents pay is set by the
 * benefit rules alone. So whatever the fund does not pay is borne by someone named — the
 * community (a smaller package, then 超支自付) or the facilities (deferred claims,
 * outstanding until paid) — and the books show it (sim/books.ts).
 *
 * The functions are pure; each returns an amount ≥ 0 that the books post.
 */

/** What a fund pays on deferred claims this month: all of them if it can, never more than it holds. */
export function deferredRepayment(balance: number, outstanding: number): number {
  return Math.min(Math.max(0, outstanding), Math.max(0, balance));
}

/**
 * The share (0–1) of this month's entitled package prepayments a fund pays: what it holds
 * above the provision for its own claims, over what the packages are entitled to. 1 when
 * nothing binds (then every package gets exactly its entitlement).
 */
export function prepaymentFactor(balance: number, provision: number, entitled: number): number {
  if (!(entitled > 0)) return 1;
  const available = Math.max(0, balance - Math.max(0, provision));
  return available >= entitled ? 1 : available / entitled;
}

/** The provision kept back before prepaying: `months` × last month's direct claims + claims still deferred. */
export function claimsProvision(months: number, lastMonthClaims: number, outstanding: number): number {
  return Math.max(0, months) * Math.max(0, lastMonthClaims) + Math.max(0, outstanding);
}

/** Of this month's claims the fund pays directly: what it pays now (the rest is deferred). */
export function claimsPaidNow(balance: number, claims: number): number {
  return Math.min(Math.max(0, claims), Math.max(0, balance));
}

/** The balance the year-end overspend share may draw on: what the fund holds net of deferred claims. */
export function settlementHeadroom(balance: number, outstanding: number): number {
  return balance - Math.max(0, outstanding);
}
