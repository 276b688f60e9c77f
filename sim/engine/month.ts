/**
 * One month of the model as a plan (sim/engine/plan.ts): the steps in the order they
 * run, each a function of the engine's state and context (sim/engine/state.ts). This
 * list is the model's causal order; `yigongti plan` prints it.
 *
 * Before the first recorded month the plan runs `simulation.burnInMonths` times under
 * the start month's policy so that habits and crowding have settled; books open at zero
 * in the first recorded month.
 */
import { AccountingError } from "../ledger";
import { perceivedLoad, waiting } from "../staff/capacity";
import { januaryPlan } from "../supply";
import { Plan, type Step } from "./plan";
import type { EngineContext, EngineState } from "./state";

export type MonthStep = Step<EngineState, EngineContext>;
export type MonthPlan = Plan<EngineState, EngineContext>;

const isJanuary = (s: EngineState) => s.cal % 12 === 0;
const isLastMonth = (s: EngineState, c: EngineContext) => s.step === c.months - 1;

/** The lead hospitals' operational levers for this month's payment (and last year's observation), into the kernel. */
function leadLevers(s: EngineState): void {
  s.supply.setMonthlyLevers(s.policy, s.payment);
  s.kernel.setLeadLevers();
}

/** The month's steps, in order. A fresh plan each call: inserting into it changes no other run. */
export function monthPlan(): MonthPlan {
  const january = januaryPlan();
  const steps: MonthStep[] = [
    {
      label: "policy",
      module: "sim/scenario/load.ts",
      doc: "the policy in force (scenario timeline; burn-in: the start policy) → rate tables, the payment scheme of each community × insurance scheme (sim/payment/registry.ts), lead hospitals' operational levers, static utilities, the month's OOP table",
      run: (s, c) => {
        const yearIndex = Math.floor(s.step / 12);
        const p = s.recording ? c.policyAt(s.cal) : c.startPolicy;
        s.policy = p;
        s.pricer.prepare(p, Math.pow(1 + c.P.costs.annualPriceGrowth, Math.max(0, yearIndex)));
        s.kernel.setPolicy(p, yearIndex);
        s.payment.set(p);
        leadLevers(s);
        s.pricer.buildFreshTable();
        s.kernel.options.setFreshOop();
      },
    },
    {
      label: "open books",
      module: "sim/books.ts",
      when: "first recorded month",
      doc: "every account at zero; insurance funds given their opening reserve (期初结存)",
      run: (s) => {
        if (s.step === 0) s.books.open(s.policy);
      },
    },
    {
      label: "new year",
      module: "sim/books.ts",
      when: "January",
      doc: "residents' annual deductibles, reimbursement and OOP reset (also at the start of burn-in and of recording); last year's enrolled claims become the basis of claims-sized packages",
      run: (s, c) => {
        if (isJanuary(s)) s.books.newYear(s.step - 12 >= -c.burnIn);
        if (isJanuary(s) || s.step === -c.burnIn || s.step === 0) {
          const r = s.residents;
          r.opDeductiblePaid.fill(0);
          r.opReimbursed.fill(0);
          r.ipReimbursed.fill(0);
          r.oopThisYear.fill(0);
        }
      },
    },
    {
      label: "population",
      module: "sim/population/state.ts",
      when: "recorded months, population: changing",
      doc: "January: everyone a year older, chronic onset on entering an older age band; deaths (age-specific rates) and departures; births to women aged 15–44; in-migrants aged 15–44 by village population; the insured and enrolled counts (premiums, capitation packages) follow the living",
      run: (s, c) => {
        if (s.population !== null && s.recording) s.population.month(s.cal, s.step, c.insured, c.enrolled, c.tables.villageCommunity);
      },
    },
    {
      label: "supply",
      module: "sim/supply.ts",
      when: "January of a recorded year",
      doc: "the supply side moves one year on (plan below); then the operational levers and static utilities follow the new quality and capacity",
      plan: january,
      run: (s) => {
        // recorded years only, so the starting staff are the county description's
        if (!(s.recording && isJanuary(s))) return;
        s.supply.january(s.policy, s.payment, s.books, s.rec, Math.floor(s.cal / 12), january);
        // the year just closed is now the one the levers read; quality and capacity have moved
        leadLevers(s);
      },
    },
    {
      label: "funding",
      module: "sim/books.ts",
      doc: "premiums into the insurance funds; each payment scheme's monthly pre-allocation (capitation: 总额预拨 to the community's package); under fundNeverNegative (基金不穿底) deferred claims are paid first and prepayments cut to what the fund holds above its claims provision (sim/payment/fund-guard.ts)",
      run: (s, c) => s.books.fund(s.policy, s.payment, s.rec, c.P.fundGuard),
    },
    {
      label: "crowding",
      module: "sim/staff/capacity.ts",
      doc: "waiting at every facility from its perceived load ÷ capacity; the wait each village option's patient meets where treated",
      run: (s, c) => {
        const L = s.load;
        const cap = s.supply;
        for (let f = 0; f < c.F; f++) {
          L.opCrowd[f] = waiting(L.op[f], cap.opCapacity[f]);
          L.ipCrowd[f] = waiting(L.ip[f], cap.ipCapacity[f]);
        }
        L.opNow.fill(0);
        L.ipNow.fill(0);
        s.kernel.options.setCrowding(s.kernel.greenChannel);
      },
    },
    {
      label: "provider response",
      module: "sim/provider-response.ts",
      doc: "each facility's service intensity under this month's payment — less care for its own community's package patients when the community keeps what it saves, more with the fee-for-service margin — which sets the cost of care delivered, the perceived quality in the static utilities and the chance of a repeat visit",
      run: (s) => {
        s.kernel.intensity.setMonth(s.payment);
        s.kernel.options.buildUtilityStatic();
      },
    },
    {
      label: "care-seeking",
      module: "sim/care-seeking.ts",
      doc: "what seeking care offers each village's residents this month: the inclusive value (logsum) of its options and the OOP an episode is expected to cost there, per insurance group × care × severity (the outside option's part 1)",
      run: (s) => s.kernel.seeking.prepareMonth(),
    },
    {
      label: "residents",
      module: "sim/engine/kernel.ts",
      doc: "episodes arise → taken to a facility or not (the outside option, sim/care-seeking.ts) → choose a facility (logit) → treat or refer up (a required first contact: the primary doctor first, sim/gatekeeping.ts) → insurance prices each encounter → a county hospital may refer down; induced return visits under fee-for-service → encounters to the sinks (books, supply, counters, trace)",
      run: (s) => {
        const k = s.kernel;
        k.residentsMonth(s.cal);
        s.episodesAll += k.episodesOut + k.episodesIn + k.episodesChronic;
      },
    },
    {
      label: "perceived load",
      module: "sim/staff/capacity.ts",
      doc: "the load residents expect adapts to what they met (last month's alone made crowded and empty months alternate); the supply side observes the month",
      run: (s, c) => {
        const L = s.load;
        const a = c.P.capacity.perceivedLoadAdjustment;
        const first = s.step === -c.burnIn;
        for (let f = 0; f < c.F; f++) {
          L.op[f] = perceivedLoad(L.op[f], L.opNow[f], a, first);
          L.ip[f] = perceivedLoad(L.ip[f], L.ipNow[f], a, first);
        }
        s.supply.observeMonth(L.opNow, L.ipNow);
      },
    },
    {
      label: "payments",
      module: "sim/books.ts",
      doc: "the month's claims post to the books, paid by whom each scheme says (the insurer, or the community's package; under fundNeverNegative a fund pays what it holds and defers the rest, 延付); OOP and medical assistance to facilities; package balances recorded before any settlement",
      run: (s, c) => {
        s.books.payClaims(s.rec);
        // as they stand before any December settlement, so a year's balance is visible in December
        if (!s.recording) return;
        const mi = s.step;
        for (let k = 0; k < c.C; k++) {
          s.communityPackage[mi * c.C + k] = s.books.packageBalance(k);
          s.counters.packageBalance[mi] += s.communityPackage[mi * c.C + k];
        }
      },
    },
    {
      label: "year end",
      module: "sim/payment/capitation-package.ts",
      when: "December, or the last month",
      doc: "each package settled by its scheme's rules (年终结算; capitation: surplus retained or returned 结余留用, overspend covered from reserve, shared or borne 超支分担); a DRG budget at the point value that spends it exactly (年终清算, sim/payment/drg.ts)",
      run: (s, c) => {
        if (s.cal % 12 === 11 || isLastMonth(s, c)) s.books.settle(s.payment, isLastMonth(s, c) && s.cal % 12 !== 11, s.rec);
      },
    },
    {
      label: "financial protection",
      module: "sim/protection.ts",
      when: "December, or the last month (recorded)",
      doc: "each resident's OOP of the insurance year against their income: catastrophic expenditure (SDG 3.8.2, > 10% / 25%), OOP by income quintile, registered-poor status and township — one pass over the typed arrays",
      run: (s, c) => {
        if (!s.recording || !(s.cal % 12 === 11 || isLastMonth(s, c))) return;
        // months since the insurance year's reset: January, or the first recorded month
        const covered = Math.min((s.cal % 12) + 1, s.step + 1);
        const incomeIndex = Math.pow(1 + c.county.description.demographics.income.annualGrowth, Math.max(0, Math.floor(s.step / 12)));
        s.protection.record(s.counters, s.step, s.residents.oopThisYear, covered, incomeIndex);
      },
    },
    {
      label: "books check",
      module: "sim/books.ts",
      doc: "accounting identities; every episode treated exactly once or forgone; residents conserved (a changing population at each year's end: births − deaths ± migration, per village × scheme) — any failure stops the run (AccountingError)",
      run: (s, c) => checkBooks(s, c),
    },
    {
      label: "record",
      module: "sim/indicators.ts",
      when: "recorded months",
      doc: "the month's episodes, stocks (staff, beds, capacity), fund balances, reserves and enrolment into the counters",
      run: (s, c) => {
        if (!s.recording) return;
        const k = s.counters;
        const mi = s.step;
        k.episodesOutpatient[mi] = s.kernel.episodesOut;
        k.episodesInpatient[mi] = s.kernel.episodesIn;
        k.episodesChronic[mi] = s.kernel.episodesChronic;
        const living = s.population !== null ? s.population.total : c.n;
        k.residents[mi] = living;
        s.supply.recordStocks(s.rec!, living);
        k.insurerFundBalance[mi] = s.books.insuranceFunds();
        k.deferredClaimsOutstanding[mi] = s.books.deferredClaims();
        k.communityReserve[mi] = s.books.retainedReserves();
        k.capitationEnrolled[mi] = c.county.communities.reduce((a, _c, ci) => a + s.payment.packageFlag(ci, 0) * c.enrolled[ci * 2] + s.payment.packageFlag(ci, 1) * c.enrolled[ci * 2 + 1], 0);
        c.onProgress?.(mi + 1, c.months);
      },
    },
  ];
  return new Plan("one month", steps);
}

/** The accounting identities (books) and conservation of episodes and people. */
function checkBooks(s: EngineState, c: EngineContext): void {
  const when = `${Math.floor(s.cal / 12)}-${String((s.cal % 12) + 1).padStart(2, "0")}`;
  s.books.check(when);
  const treated = s.kernel.treated;
  const forgone = s.kernel.seeking.forgone;
  if (treated + forgone !== s.episodesAll)
    throw new AccountingError(`${when}: ${s.episodesAll} episodes arose but ${treated} were treated and ${forgone} forgone; every episode must end in exactly one treatment or be forgone (sim/care-seeking.ts)`);
  let people = 0;
  for (const v of c.county.villages) people += v.population;
  if (people !== c.n) throw new AccountingError(`${when}: residents not conserved (${people} in villages, ${c.n} simulated)`);
  // a changing population: start + births − deaths − departures + arrivals = living, per village × scheme, at each year's end
  if (s.population !== null && s.recording && (s.step % 12 === 11 || isLastMonth(s, c))) s.population.closeYear(s.step, when, c.county);
}

/** Set the calendar for month index `step` (−burnIn … months − 1): what is recorded, and where. */
export function beginMonth(s: EngineState, c: EngineContext, step: number): void {
  s.step = step;
  s.cal = c.startCal + step;
  s.recording = step >= 0;
  s.rec = s.recording ? { counters: s.counters, month: step } : null;
  s.counts.month = s.recording ? step : -1;
  s.kernel.recording = s.recording;
  if (s.traceSink) s.traceSink.recording = s.recording;
}
