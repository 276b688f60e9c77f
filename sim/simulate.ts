/**
 * The monthly loop. One month, in this order (each step one call below):
 *
 *   1. policy      — the policy in force this month (scenario timeline) → rate tables
 *   2. new year    — in January, residents' annual deductibles and caps reset
 *   3. funding     — premiums flow into the insurance funds; capitation packages are
 *                    pre-allocated to the communities paid that way (总额预拨)
 *   3b. supply     — in January of a recorded year: the lead hospitals set their
 *                    strategy, staff move, capacity and quality follow (sim/supply.ts)
 *   4. crowding    — perceived load (adapting month by month) / capacity at every facility
 *   5. residents   — episodes arise → residents choose a facility (logit) → the facility
 *                    treats or refers up → insurance settles the claim (deductible, rate,
 *                    caps, referral rules) → the county hospital may refer down
 *   6. payments    — claims post to the books: insurer (fee-for-service) or package
 *   7. year end    — in December, each package is settled (结余留用 / 超支分担)
 *   8. books       — accounting identities checked; indicators recorded
 *
 * Before the first recorded month the model runs `simulation.burnInMonths` under the
 * start month's policy so that habits and crowding have settled; books start at zero.
 *
 * Hot path: residents are typed-array columns, randomness is counter-based
 * (sim/random.ts), and nothing is allocated per episode.
 */
import { generateCounty, type County } from "./county/generate";
import { newCounters, type Counters } from "./indicators";
import { ClaimPricer } from "./insurance/claims";
import { NOT_REFERRED, REFERRED_DOWN, REFERRED_UP } from "./insurance/deductible";
import { CLAIM_ASSISTANCE, CLAIM_DEDUCTIBLE_PAID, CLAIM_OOP, CLAIM_REIMBURSED } from "./insurance/reimbursement";
import { CountyBooks, type Recorder } from "./books";
import { AccountingError } from "./ledger";
import { capabilityIndex } from "./parameters";
import { SupplySide } from "./supply";
import { perceivedLoad, waiting } from "./staff/capacity";
import type { Policy } from "./policy";
import { gumbelFromHash, hashFromPrefix, hashPrefix, streamKey, uniform, uniformFromPrefix, STREAMS } from "./random";
import { downwardReferralProbability, referralDirectory } from "./referral";
import { incidenceTables, drawCount, drawSeverity, rateGroup } from "./episodes";
import { applyTimeline, canonicalJson, type Scenario, type YearMonth } from "./scenario/load";
import {
  COMMON, COUNTY, INPATIENT, MINOR, N_SEVERITIES, N_TIERS, OUTPATIENT, OUT_OF_COUNTY, SERIOUS,
  SEVERITIES, TIERS, TOWNSHIP, VILLAGE,
} from "./tier";

export interface SimulateOptions {
  seed?: number;
  /** simulated years from the scenario start (default: the scenario's `years`) */
  years?: number;
  /** population, staff and beds multiplied by this (quick checks) */
  scale?: number;
  /** keep a per-resident summary (encounters by tier, OOP) for scenario differences */
  traceResidents?: boolean;
  /** called after each recorded month */
  onProgress?: (monthsDone: number, monthsTotal: number) => void;
}

export interface ResidentTrace {
  /** encounters (visits + admissions) per resident per tier: [i * 4 + tier] */
  encounters: Uint16Array;
  /** total out-of-pocket per resident over the run, yuan */
  oop: Float64Array;
}

export interface SimulationResult {
  scenario: Pick<Scenario, "name" | "title" | "file" | "hash" | "countyFile" | "parameterFile" | "start">;
  seed: number;
  scale: number;
  months: number;
  start: YearMonth;
  residents: number;
  facilities: { id: string; name: { zh: string; en: string }; tier: string; community: string | null }[];
  communities: { id: string; name: { zh: string; en: string } }[];
  counters: Counters;
  /** visits per facility per month: [month * F + f] */
  facilityVisits: Float64Array;
  /** admissions per facility per month: [month * F + f] */
  facilityAdmissions: Float64Array;
  /** package balance per community at the end of each month (before December settlement): [month * C + c] */
  communityPackage: Float64Array;
  /** final balance of every ledger account */
  accounts: Record<string, number>;
  trace?: ResidentTrace;
}

const countyCache = new Map<string, County>();

/** Build (or reuse) the county for a description and scale. */
export function countyFor(s: Scenario, scale: number): County {
  const key = `${canonicalJson(s.county)}|${scale}`;
  let c = countyCache.get(key);
  if (!c) {
    if (countyCache.size > 4) countyCache.clear();
    c = generateCounty(s.county, scale);
    countyCache.set(key, c);
  }
  return c;
}

/** Run one scenario. Same scenario + seed + years + scale → bit-identical result. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const years = options.years ?? scenario.years;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  if (!(Number.isInteger(years) && years >= 1 && years <= 50)) throw new RangeError(`years must be an integer 1–50, got ${years}`);
  const county = countyFor(scenario, scale);
  const P = scenario.parameters;
  const R = county.residents;
  const n = R.count;
  const F = county.facilities.length;
  const C = county.communities.length;
  const months = years * 12;
  const burnIn = P.simulation.burnInMonths;
  const startCal = scenario.start.year * 12 + scenario.start.month - 1;

  // ---- static tables -------------------------------------------------------------
  const capable = new Int8Array(N_TIERS * 2);
  TIERS.forEach((t, ti) => {
    capable[ti * 2 + OUTPATIENT] = capabilityIndex(P.capability.outpatient[t]);
    capable[ti * 2 + INPATIENT] = capabilityIndex(P.capability.inpatient[t]);
  });
  const refDir = referralDirectory(county, capable);
  const facTier = Int8Array.from(county.facilities, (f) => f.tier);
  const facCommunity = Int16Array.from(county.facilities, (f) => f.community);
  const facQuality = Float64Array.from(county.facilities, (f) => f.qualityOffset);
  // Staff, beds, capacity and perceived quality change over the run (sim/supply.ts).
  const supply = new SupplySide(county, P, streamKey(seed, STREAMS.staff));
  const opCapacity = supply.opCapacity;
  const ipCapacity = supply.ipCapacity;
  const qualityShift = supply.qualityShift;
  /** episodes a township centre can treat: [care * N_SEVERITIES + sev] */
  const primaryTreatable = new Uint8Array(2 * N_SEVERITIES);
  for (let care = 0; care < 2; care++) for (let sev = 0; sev < N_SEVERITIES; sev++) primaryTreatable[care * N_SEVERITIES + sev] = sev <= capable[TOWNSHIP * 2 + care] ? 1 : 0;
  const villageCommunity = Int16Array.from(county.villages, (v) => county.townships[v.township].community);
  const villageCentre = Int32Array.from(county.villages, (v) => county.townships[v.township].centre);
  const villageClinic = Int32Array.from(county.villages, (v) => v.clinic);
  const perceivedQuality = new Float64Array(N_TIERS * N_SEVERITIES);
  const tierConstant = new Float64Array(N_TIERS * 2); // [tier * 2 + care]
  TIERS.forEach((t, ti) => {
    tierConstant[ti * 2 + OUTPATIENT] = P.choice.tierConstant[t];
    tierConstant[ti * 2 + INPATIENT] = P.choice.tierConstantInpatient[t];
    SEVERITIES.forEach((s, si) => (perceivedQuality[ti * N_SEVERITIES + si] = P.choice.perceivedQuality[t][s]));
  });
  const inc = incidenceTables(P.incidence);
  const K = inc.maxK;
  const ch = P.choice;
  const enrolled = new Float64Array(C * 2);
  const insured = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    insured[R.scheme[i]]++;
    const c = villageCommunity[R.village[i]];
    if (c >= 0) enrolled[c * 2 + R.scheme[i]]++;
  }

  // ---- state ---------------------------------------------------------------------
  const lastFacility = new Int32Array(n).fill(-1);
  const opDeductiblePaid = new Float32Array(n);
  const opReimbursed = new Float32Array(n);
  const ipReimbursed = new Float32Array(n);
  const oopThisYear = new Float32Array(n);
  const loadAdjustment = P.capacity.perceivedLoadAdjustment;
  const opLoad = new Float64Array(F);
  const ipLoad = new Float64Array(F);
  const opLoadNow = new Float64Array(F);
  const ipLoadNow = new Float64Array(F);
  const opCrowd = new Float64Array(F);
  const ipCrowd = new Float64Array(F);
  const trace: ResidentTrace | undefined = options.traceResidents
    ? { encounters: new Uint16Array(n * N_TIERS), oop: new Float64Array(n) }
    : undefined;

  // ---- books ---------------------------------------------------------------------
  const books = new CountyBooks(county, insured, enrolled);
  let enrolSlot = -1; // this resident's community × scheme, for claims-sized packages

  const counters = newCounters(months);
  const visitsByTier = [counters.visitsVillage, counters.visitsTownship, counters.visitsCounty, counters.visitsOutOfCounty];
  const admissionsByTier = [counters.admissionsVillage, counters.admissionsTownship, counters.admissionsCounty, counters.admissionsOutOfCounty];
  let treated = 0;
  let episodesAll = 0;
  const facilityVisits = new Float64Array(months * F);
  const facilityAdmissions = new Float64Array(months * F);
  const communityPackage = new Float64Array(months * C);

  // ---- per-month policy tables ---------------------------------------------------
  const pricer = new ClaimPricer(facTier, refDir, P);
  const claim = pricer.claim;
  const costOp = pricer.costOutpatient;
  const costIp = pricer.costInpatient;
  const capitated = new Uint8Array(C * 2); // [c * 2 + scheme]
  const downIp = new Float64Array(C + 1); // [c + 1], index 0 = no community (fee-for-service)
  const downChronic = new Float64Array(C + 1);
  let greenChannel = false;
  let coveragePriority = 0;
  let coverageGeneral = 0;
  let longRx = 0;
  let incomeIndex = 1;
  let repeatTestFactor = 1;
  let policy: Policy = scenario.basePolicy;

  const preparePolicy = (p: Policy, yearIndex: number) => {
    policy = p;
    const fd = p.familyDoctor;
    pricer.prepare(p, Math.pow(1 + P.costs.annualPriceGrowth, Math.max(0, yearIndex)));
    greenChannel = p.insurance.referralRules.greenChannel;
    coveragePriority = fd.coverage.priority;
    coverageGeneral = fd.coverage.general;
    longRx = fd.longPrescriptionMonths === 2 ? 1 : 0;
    // Incomes grow too: OOP is weighed against this year's income, not the start year's.
    incomeIndex = Math.pow(1 + county.description.demographics.income.annualGrowth, Math.max(0, yearIndex));
    // 检查检验结果互认: a referred patient's repeat tests are not done again
    repeatTestFactor = p.workforce.sharedDiagnostics ? 1 - P.quality.repeatTestCostShare : 1;
    const cap = p.payment.capitation;
    const rd = P.referral.downward;
    downIp[0] = rd.inpatientFeeForService;
    downChronic[0] = rd.chronicFeeForService;
    county.communities.forEach((c, ci) => {
      const on = p.payment.regime === "capitation" && (cap.communities === "all" || cap.communities.includes(c.id));
      capitated[ci * 2] = on ? 1 : 0;
      capitated[ci * 2 + 1] = on && cap.coversEmployeeScheme ? 1 : 0;
    });
    applyLeadLevers();
  };

  /** The lead hospitals' operational levers for this month's payment regime (and last year's observation). */
  const applyLeadLevers = () => {
    const rd = P.referral.downward;
    supply.setMonthlyLevers(policy, capitated);
    county.communities.forEach((_c, ci) => {
      downIp[ci + 1] = downwardReferralProbability(rd.inpatientFeeForService, rd.inpatientCapitation, supply.downwardEffort[ci]);
      downChronic[ci + 1] = downwardReferralProbability(rd.chronicFeeForService, rd.chronicCapitation, supply.downwardEffort[ci]);
    });
    buildUtilityStatic();
  };

  /** Price an encounter of resident i into `claim` under the resident's annual state. */
  const price = (i: number, g: number, f: number, care: number, cost: number, referral: number, paidEarlier: number, refTownshipStd: number): void =>
    pricer.price(g, f, care, cost, referral, paidEarlier, refTownshipStd, opDeductiblePaid[i], opReimbursed[i], ipReimbursed[i], oopThisYear[i]);

  // Static part of each option's utility, per (village option k, care, severity): tier
  // constant, quality where the patient ends up, travel there (and on, if referred),
  // referral hassle. [(k * 2 + care) * N_SEVERITIES + sev]
  // Rebuilt with each month's policy: quality follows staff, openness follows the payment regime.
  const nOptions = county.optionFacility.length;
  const utilityStatic = new Float64Array(nOptions * 2 * N_SEVERITIES);
  function buildUtilityStatic(): void {
    for (let v = 0; v < county.villages.length; v++) {
      const o0 = county.optionStart[v];
      const o1 = county.optionStart[v + 1];
      // The village's community steers primary-treatable patients: when volume pays its lead
      // hospital draws them in (openness > 0 on its own options); when the package makes
      // primary care pay it sends them to the village's own clinic and centre (options 0, 1).
      const cv = villageCommunity[v];
      const open = cv >= 0 ? P.leadHospital.opennessUtility * supply.openness[cv] : 0;
      for (let k = o0; k < o1; k++) {
        const f = county.optionFacility[k];
        const t = facTier[f];
        const steer =
          open > 0 && t === COUNTY && facCommunity[f] === cv ? open :
          open < 0 && k - o0 < 2 ? -open : 0;
        for (let care = 0; care < 2; care++) {
          for (let sev = 0; sev < N_SEVERITIES; sev++) {
            const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
            const minutes = county.optionMinutes[k] + (dest !== f ? county.travelMinutes[v * F + dest] : 0);
            utilityStatic[(k * 2 + care) * N_SEVERITIES + sev] =
              tierConstant[t * 2 + care] +
              (k - o0 === 1 ? ch.ownTownshipCentre : 0) + // option 1 is the resident's own township centre
              (dest !== f ? ch.referralHassle : 0) +
              ch.quality * (perceivedQuality[facTier[dest] * N_SEVERITIES + sev] + facQuality[dest] + qualityShift[dest]) +
              (county.optionMinutes[k] < 60 ? ch.travelWithinHour : 0) +
              (ch.travelPerHour * minutes) / 60 +
              (primaryTreatable[care * N_SEVERITIES + sev] ? steer : 0);
          }
        }
      }
    }
  }

  let mi = 0; // recorded month index (valid when recording)
  let recording = false;
  let payerOfResident = 0;
  let communityOfResident = -1;

  /** Apply the claim in `claim` as a real encounter at facility f. */
  const encounter = (i: number, f: number, care: number, cost: number): void => {
    const reimbursed = claim[CLAIM_REIMBURSED];
    const oop = claim[CLAIM_OOP];
    const assistance = claim[CLAIM_ASSISTANCE];
    if (care === OUTPATIENT) {
      opDeductiblePaid[i] += claim[CLAIM_DEDUCTIBLE_PAID];
      opReimbursed[i] += reimbursed;
      opLoadNow[f]++;
    } else {
      ipReimbursed[i] += reimbursed;
      ipLoadNow[f]++;
    }
    oopThisYear[i] += oop;
    const ft = facTier[f];
    supply.tierCost[ft] += cost;
    supply.tierClaims[ft] += reimbursed;
    supply.tierEncounters[ft]++;
    books.facilityOop[f] += oop;
    books.facilityInsurance[f] += reimbursed;
    books.facilityAssistance[f] += assistance;
    books.payerClaims[payerOfResident] += reimbursed;
    if (enrolSlot >= 0) books.enrolledClaimsYear[enrolSlot] += reimbursed;
    books.charged.cost += cost;
    books.charged.oop += oop;
    books.charged.assistance += assistance;
    if (payerOfResident >= 2 && communityOfResident >= 0 && facCommunity[f] !== communityOfResident) {
      if (recording) counters.packageOutsideClaims[mi] += reimbursed;
    }
    if (!recording) return;
    const t = facTier[f];
    if (care === OUTPATIENT) {
      counters.costOutpatient[mi] += cost;
      visitsByTier[t][mi]++;
      if (t === TOWNSHIP && f !== villageCentre[R.village[i]]) counters.visitsOtherTownship[mi]++;
      facilityVisits[mi * F + f]++;
    } else {
      counters.costInpatient[mi] += cost;
      admissionsByTier[t][mi]++;
      facilityAdmissions[mi * F + f]++;
    }
    counters.oop[mi] += oop;
    counters.reimbursed[mi] += reimbursed;
    counters.assistance[mi] += assistance;
    if (care === INPATIENT) {
      counters.inpatientInPolicyCost[mi] += cost * pricer.inPolicy[t];
      counters.inpatientReimbursed[mi] += reimbursed;
    }
    if (trace) {
      trace.encounters[i * N_TIERS + t]++;
      trace.oop[i] += oop;
    }
  };

  let downKey = 0;

  /** Downward referral from a county hospital after treating an eligible patient. */
  const maybeReferDown = (i: number, g: number, f: number, care: number, sev: number, chronicFollowUp: boolean, cal: number, slot: number): void => {
    if (facTier[f] !== COUNTY) return;
    const slotC = facCommunity[f] + 1;
    const v = R.village[i];
    if (care === INPATIENT && (sev === COMMON || sev === SERIOUS)) {
      if (uniform(downKey, i, cal, slot) < downIp[slotC]) {
        const centre = villageCentre[v];
        const cost = P.costs.rehabilitationStayFactor * costIp[TOWNSHIP * N_SEVERITIES + COMMON];
        price(i, g, centre, INPATIENT, cost, REFERRED_DOWN, 0, 0);
        encounter(i, centre, INPATIENT, cost);
        if (recording) counters.downwardReferralsInpatient[mi]++;
        lastFacility[i] = centre;
      }
    } else if (care === OUTPATIENT && chronicFollowUp) {
      if (uniform(downKey, i, cal, slot) < downChronic[slotC]) {
        if (recording) counters.downwardReferralsChronic[mi]++;
        lastFacility[i] = villageClinic[v];
      }
    }
  };

  let choiceKey = 0;
  /** One episode: choose, treat or refer, settle. */
  const episode = (i: number, g: number, care: number, sev: number, slot: number, cal: number, chronicFollowUp: boolean): void => {
    const v = R.village[i];
    const o0 = county.optionStart[v];
    const o1 = county.optionStart[v + 1];
    const income = R.monthlyIncome[i] * incomeIndex;
    const oopWeight = ((care === INPATIENT ? ch.inpatientOopScale : 1) * ch.oopPer100Yuan * ch.referenceMonthlyIncome) / (100 * income);
    const contracted = (g & 1) === 1;
    const last = lastFacility[i];
    const crowdTable = care === OUTPATIENT ? opCrowd : ipCrowd;
    const costTable = care === OUTPATIENT ? costOp : costIp;
    const row = (g * 2 + care) * N_SEVERITIES + sev;
    // The month's table is exact when the resident's annual state cannot bind on any option.
    const fresh = pricer.isFresh(g, row, opDeductiblePaid[i], opReimbursed[i], ipReimbursed[i], oopThisYear[i]);
    const oopFresh = pricer.oopFresh;
    const h = hashPrefix(choiceKey, i, cal);
    let best = -1;
    let bestScore = -Infinity;
    for (let k = o0; k < o1; k++) {
      const f = county.optionFacility[k];
      const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
      const oop = fresh ? oopFresh[row * F + f] : pricer.optionOop(g, f, care, sev, opDeductiblePaid[i], opReimbursed[i], ipReimbursed[i], oopThisYear[i]);
      const crowd = dest === f ? crowdTable[f] : greenChannel ? 0 : crowdTable[dest];
      const u =
        utilityStatic[(k * 2 + care) * N_SEVERITIES + sev] +
        oopWeight * oop +
        (last === f ? ch.habit : 0) +
        // the contracted team works at the resident's own clinic and centre (options 0 and 1)
        (contracted && k - o0 < 2 ? ch.familyDoctorContract : 0) +
        ch.crowding * crowd;
      const score = u + gumbelFromHash(hashFromPrefix(h, slot * 16 + (k - o0)));
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    const f = county.optionFacility[best];
    const dest = refDir[f * 2 * N_SEVERITIES + care * N_SEVERITIES + sev];
    const t = facTier[f];
    if (recording && primaryTreatable[care * N_SEVERITIES + sev]) {
      counters.primaryTreatable[mi]++;
      if (facTier[dest] === COUNTY) counters.primaryTreatableAtCounty[mi]++;
    }
    if (dest === f) {
      const cost = costTable[t * N_SEVERITIES + sev];
      price(i, g, f, care, cost, NOT_REFERRED, 0, 0);
      encounter(i, f, care, cost);
      treated++;
      lastFacility[i] = f;
      maybeReferDown(i, g, f, care, sev, chronicFollowUp, cal, slot);
      return;
    }
    // Gateway encounter at f, then treatment at dest with referral status.
    let paid = 0;
    let refStd = 0;
    if (care === INPATIENT && t !== VILLAGE) {
      const cost = P.costs.transferStayFactor * costIp[t * N_SEVERITIES + sev];
      price(i, g, f, INPATIENT, cost, NOT_REFERRED, 0, 0);
      paid = claim[CLAIM_DEDUCTIBLE_PAID];
      if (t === TOWNSHIP) refStd = pricer.ipDeductible[g * N_TIERS + t];
      encounter(i, f, INPATIENT, cost);
    } else {
      const cost = costOp[t * N_SEVERITIES + MINOR];
      price(i, g, f, OUTPATIENT, cost, NOT_REFERRED, 0, 0);
      encounter(i, f, OUTPATIENT, cost);
    }
    const dt = facTier[dest];
    if (recording) {
      counters.upwardReferrals[mi]++;
      if (dt === OUT_OF_COUNTY) counters.outOfCountyReferrals[mi]++;
    }
    const cost = costTable[dt * N_SEVERITIES + sev] * repeatTestFactor;
    price(i, g, dest, care, cost, REFERRED_UP, paid, refStd);
    encounter(i, dest, care, cost);
    treated++;
    lastFacility[i] = dest;
    maybeReferDown(i, g, dest, care, sev, chronicFollowUp, cal, slot);
  };

  // ---- the loop ------------------------------------------------------------------
  const keyIllness = streamKey(seed, STREAMS.illness);
  const keyContract = streamKey(seed, STREAMS.contract);
  choiceKey = streamKey(seed, STREAMS.choice);
  downKey = streamKey(seed, STREAMS.downwardReferral);
  const startPolicy = applyTimeline(scenario.basePolicy, scenario.timeline, scenario.start);
  const timelineAt = (cal: number) => applyTimeline(scenario.basePolicy, scenario.timeline, { year: Math.floor(cal / 12), month: (cal % 12) + 1 });

  for (let step = -burnIn; step < months; step++) {
    const cal = startCal + step;
    recording = step >= 0;
    mi = step;
    // 1. policy
    preparePolicy(recording ? timelineAt(cal) : startPolicy, Math.floor(step / 12));
    pricer.buildFreshTable();
    // Books open at the first recorded month, under the policy then in force.
    if (step === 0) books.open(policy);
    const rec: Recorder = recording ? { counters, month: mi } : null;
    // 2. new year
    if (cal % 12 === 0) books.newYear(step - 12 >= -burnIn);
    if (cal % 12 === 0 || step === -burnIn || step === 0) {
      opDeductiblePaid.fill(0);
      opReimbursed.fill(0);
      ipReimbursed.fill(0);
      oopThisYear.fill(0);
    }
    // 3b. supply side: strategy, staff, capacity and quality (recorded years only, so the
    // starting staff are the county description's)
    if (recording && cal % 12 === 0) {
      supply.january(policy, capitated, books, rec, Math.floor(cal / 12));
      // the year just closed is now the one the levers read; quality and capacity have moved
      applyLeadLevers();
    }
    // 3. funding
    books.fund(policy, capitated, rec);
    // 4. crowding
    for (let f = 0; f < F; f++) {
      opCrowd[f] = waiting(opLoad[f], opCapacity[f]);
      ipCrowd[f] = waiting(ipLoad[f], ipCapacity[f]);
    }
    opLoadNow.fill(0);
    ipLoadNow.fill(0);
    // 5. residents
    let episodesOut = 0;
    let episodesIn = 0;
    let episodesChronic = 0;
    for (let i = 0; i < n; i++) {
      const chronic = R.chronic[i] !== 0;
      const rg = rateGroup(R.ageBand[i], chronic);
      const ill = hashPrefix(keyIllness, i, cal);
      const nOut = drawCount(inc.outpatientCdf, rg * K, uniformFromPrefix(ill, 0));
      const nIn = drawCount(inc.inpatientCdf, rg * K, uniformFromPrefix(ill, 1));
      const nChronic = chronic ? drawCount(inc.chronicCdf, longRx * K, uniformFromPrefix(ill, 2)) : 0;
      if (nOut + nIn + nChronic === 0) continue;
      const s = R.scheme[i];
      const poor = R.poor[i];
      // 家庭医生签约 priority groups (chronic, poor, 65+) first (002_cfc78cb0d70fb95d.txt §7)
      const priority = chronic || poor === 1 || R.ageBand[i] === 3;
      const contracted = uniform(keyContract, i, 0, 0) < (priority ? coveragePriority : coverageGeneral) ? 1 : 0;
      const g = s * 4 + poor * 2 + contracted;
      communityOfResident = villageCommunity[R.village[i]];
      payerOfResident = communityOfResident >= 0 && capitated[communityOfResident * 2 + s] ? 2 + communityOfResident : s;
      enrolSlot = communityOfResident >= 0 ? communityOfResident * 2 + s : -1;
      for (let e = 0; e < nOut; e++) {
        const sev = drawSeverity(inc.outpatientSeverityCdf, uniformFromPrefix(ill, 100 + e));
        episode(i, g, OUTPATIENT, sev, e, cal, false);
      }
      for (let e = 0; e < nChronic; e++) episode(i, g, OUTPATIENT, MINOR, 16 + e, cal, true);
      for (let e = 0; e < nIn; e++) {
        const sev = drawSeverity(inc.inpatientSeverityCdf, uniformFromPrefix(ill, 132 + e));
        episode(i, g, INPATIENT, sev, 32 + e, cal, false);
      }
      episodesOut += nOut;
      episodesIn += nIn;
      episodesChronic += nChronic;
    }
    episodesAll += episodesOut + episodesIn + episodesChronic;
    // Perceived load adapts gradually to what residents met (sim/staff/capacity.ts
    // perceivedLoad): with last month's load alone, crowded months and empty months alternate.
    for (let f = 0; f < F; f++) {
      opLoad[f] = perceivedLoad(opLoad[f], opLoadNow[f], loadAdjustment, step === -burnIn);
      ipLoad[f] = perceivedLoad(ipLoad[f], ipLoadNow[f], loadAdjustment, step === -burnIn);
    }
    supply.observeMonth(opLoadNow, ipLoadNow);
    // 6. payments
    books.payClaims(rec);
    // package balances as they stand before any December settlement (so a year's balance is visible in December)
    if (recording) {
      for (let c = 0; c < C; c++) {
        communityPackage[mi * C + c] = books.packageBalance(c);
        counters.packageBalance[mi] += communityPackage[mi * C + c];
      }
    }
    // 7. year end
    if (cal % 12 === 11 || step === months - 1) books.settle(policy, step === months - 1 && cal % 12 !== 11, rec);
    // 8. books and indicators
    checkBooks(cal);
    if (recording) {
      counters.episodesOutpatient[mi] = episodesOut;
      counters.episodesInpatient[mi] = episodesIn;
      counters.episodesChronic[mi] = episodesChronic;
      counters.residents[mi] = n;
      supply.recordStocks(rec!, n);
      counters.insurerFundBalance[mi] = books.insuranceFunds();
      counters.communityReserve[mi] = books.retainedReserves();
      counters.capitationEnrolled[mi] = county.communities.reduce((a, _c, c) => a + capitated[c * 2] * enrolled[c * 2] + capitated[c * 2 + 1] * enrolled[c * 2 + 1], 0);
      options.onProgress?.(step + 1, months);
    }
  }

  /** The accounting identities (books) and conservation of episodes and people; any failure stops the run. */
  function checkBooks(cal: number): void {
    const when = `${Math.floor(cal / 12)}-${String((cal % 12) + 1).padStart(2, "0")}`;
    books.check(when);
    if (treated !== episodesAll) throw new AccountingError(`${when}: ${episodesAll} episodes arose but ${treated} were treated; every episode must end in exactly one treatment`);
    let people = 0;
    for (const v of county.villages) people += v.population;
    if (people !== n) throw new AccountingError(`${when}: residents not conserved (${people} in villages, ${n} simulated)`);
  }

  const accounts = books.accounts();
  return {
    scenario: { name: scenario.name, title: scenario.title, file: scenario.file, hash: scenario.hash, countyFile: scenario.countyFile, parameterFile: scenario.parameterFile, start: scenario.start },
    seed,
    scale,
    months,
    start: scenario.start,
    residents: n,
    facilities: county.facilities.map((f) => ({ id: f.id, name: f.name, tier: TIERS[f.tier], community: f.community >= 0 ? county.communities[f.community].id : null })),
    communities: county.communities.map((c) => ({ id: c.id, name: c.name })),
    counters,
    facilityVisits,
    facilityAdmissions,
    communityPackage,
    accounts,
    trace,
  };
}
