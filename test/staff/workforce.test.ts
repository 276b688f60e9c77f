/**
 * Doctors as agents (sim/staff/workforce.ts): conservation, direction of the upward flow
 * with the pay gap, the recruitment rule, postings under pooled quotas, the grassroots
 * year before promotion, the graduates' logit and bit-for-bit repeatability.
 *
 * Each test builds fresh Workforce objects on the default county (staff are simulated at
 * full size whatever the scale, so a small county is as good as a large one here).
 */
import { describe, expect, it } from "vitest";
import { countyFor } from "../../sim/simulate";
import { uniform } from "../../sim/random";
import { graduateChoice, Workforce, SENIOR, ATTENDING, type StaffFlows, type StaffParameters, type StaffYearInputs, type WorkforcePolicy } from "../../sim/staff/workforce";
import { COUNTY, TOWNSHIP, VILLAGE } from "../../sim/tier";
import { baseline } from "../helpers/scenarios";

const s = baseline();
const county = countyFor(s, 0.02);
const P: StaffParameters = s.parameters.staff;
const F = county.facilities.length;
const C = county.communities.length;
const KEY = 0x5eed1234;
const tierOf = (f: number) => county.facilities[f].tier;
const leads = county.communities.map((c) => c.lead);
const memberCentres = county.communities.map((c) => c.townships.map((t) => county.townships[t].centre));

const POLICY: WorkforcePolicy = { pooledQuota: false, leadRecruitmentFromMembers: "free", recruitmentCapShare: 0.02, promotionRequiresGrassrootsYear: false };

interface InputOptions {
  year?: number;
  payByTier?: Partial<Record<"village" | "township" | "county", number>>;
  /** county hospitals' wanted doctors as a multiple of their starting staff */
  targetFactor?: number;
  recruit?: number;
  posting?: number;
  policy?: Partial<WorkforcePolicy>;
}

/** One year's inputs: pay by tier (base pay unless given), workload 1, targets from the starting staff. */
function inputs(w: Workforce, o: InputOptions = {}): StaffYearInputs {
  const pay = new Float64Array(F);
  const countyTarget = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    const t = tierOf(f);
    const tier = t === VILLAGE ? "village" : t === TOWNSHIP ? "township" : t === COUNTY ? "county" : null;
    pay[f] = tier ? (o.payByTier?.[tier] ?? P.basePay[tier]) : P.basePay.outOfCounty;
    if (t === COUNTY) countyTarget[f] = w.headcountAtStart[f] * (o.targetFactor ?? 1);
  }
  return {
    year: o.year ?? 2019,
    pay,
    workload: new Float64Array(F).fill(1),
    countyTarget,
    recruitFromMembers: new Float64Array(C).fill(o.recruit ?? 1),
    postingShare: new Float64Array(C).fill(o.posting ?? 0),
    policy: { ...POLICY, ...o.policy },
  };
}

const fresh = (key = KEY) => new Workforce(county, P, key);
const placed = (w: Workforce) => {
  let n = 0;
  for (let d = 0; d < w.count; d++) if (w.facility[d] >= 0) n++;
  return n;
};

describe("Workforce — the starting staff", () => {
  it("are the county's doctors at full size, in post at their facilities", () => {
    const w = fresh();
    for (let f = 0; f < F; f++) {
      const fac = county.facilities[f];
      const expected = tierOf(f) === 3 ? 0 : Math.max(fac.doctors > 0 ? 1 : 0, Math.round(fac.doctors / county.scale));
      expect(w.headcount[f]).toBe(expected);
    }
    const st = w.stock();
    expect(st.village + st.township + st.county).toBe(w.count);
    expect(w.initial).toBe(w.count);
    expect(w.exited).toBe(0);
    expect(st.gpAll).toBeGreaterThanOrEqual(st.gpPrimary);
  });
});

describe("Workforce — staff are conserved", () => {
  it("over eight years of varied pay, workload, targets, postings and rules: placed + exited = created, headcounts add up", () => {
    const w = fresh();
    const rules = ["free", "capped", "forbidden"] as const;
    // varied but reproducible inputs from a test stream
    const r = (a: number, b: number) => uniform(0xabcdef, a, b, 0);
    for (let k = 0; k < 8; k++) {
      const year = 2019 + k;
      const x = inputs(w, {
        year,
        targetFactor: 0.8 + 0.6 * r(k, 1),
        policy: { pooledQuota: k % 2 === 0, leadRecruitmentFromMembers: rules[k % 3], recruitmentCapShare: 0.05 * r(k, 2), promotionRequiresGrassrootsYear: k % 4 < 2 },
      });
      for (let f = 0; f < F; f++) {
        x.pay[f] *= 0.5 + r(k, 100 + f);
        x.workload[f] = 0.3 + 1.7 * r(k, 1000 + f);
      }
      for (let c = 0; c < C; c++) {
        x.recruitFromMembers[c] = r(k, 5000 + c);
        x.postingShare[c] = 0.1 * r(k, 6000 + c);
      }
      const countBefore = w.count;
      const exitedBefore = w.exited;
      const placedBefore = placed(w);
      const flows = w.year(x);
      // every doctor ever created is in post or counted as having left
      expect(placed(w) + w.exited).toBe(w.count);
      // new doctors are the recruits, leavers the exits
      expect(w.count - countBefore).toBe(flows.recruitsCounty + flows.recruitsPrimary);
      expect(w.exited - exitedBefore).toBe(flows.exits);
      expect(placed(w)).toBe(placedBefore - flows.exits + flows.recruitsCounty + flows.recruitsPrimary);
      // headcounts per facility match the doctors' posts and add up to the doctors in post
      const recount = new Float64Array(F);
      for (let d = 0; d < w.count; d++) if (w.facility[d] >= 0) recount[w.facility[d]]++;
      expect(Array.from(w.headcount)).toEqual(Array.from(recount));
      const st = w.stock();
      expect(st.village + st.township + st.county).toBe(placed(w));
      for (let f = 0; f < F; f++) expect(w.headcount[f]).toBeGreaterThanOrEqual(0);
      expect(() => w.check(year)).not.toThrow();
    }
    // staff actually moved over these years (the test can fail)
    expect(w.exited).toBeGreaterThan(0);
    expect(w.count).toBeGreaterThan(w.initial);
  });
});

describe("Workforce — upward moves follow the pay gap", () => {
  // ample vacancies at the lead hospitals, so the pay gap alone decides
  const run = (o: InputOptions) => {
    const w = fresh();
    return w.year(inputs(w, { targetFactor: 2, ...o }));
  };

  it("a larger county-vs-township pay gap moves more township doctors up", () => {
    const small = run({ payByTier: { county: 120_000 } });
    const large = run({ payByTier: { county: 240_000 } });
    expect(small.primaryToCounty).toBeGreaterThan(0);
    expect(large.primaryToCounty).toBeGreaterThan(small.primaryToCounty);
  });

  it("raising township pay moves fewer up", () => {
    const low = run({ payByTier: { township: 60_000 } });
    const high = run({ payByTier: { township: 120_000 } });
    expect(high.primaryToCounty).toBeLessThan(low.primaryToCounty);
  });

  it("no vacancy at the lead hospital → nobody moves up", () => {
    expect(run({ targetFactor: 0 }).primaryToCounty).toBe(0);
  });

  it("forbidding recruitment from members → zero primary → county moves, even with a large pay gap", () => {
    const free = run({ payByTier: { county: 240_000 } });
    const forbidden = run({ payByTier: { county: 240_000 }, policy: { leadRecruitmentFromMembers: "forbidden" } });
    expect(free.primaryToCounty).toBeGreaterThan(0);
    expect(forbidden.primaryToCounty).toBe(0);
  });

  it("a cap limits each community's hires to the cap share of its member townships' doctors", () => {
    const w = fresh();
    const cap = 0.005;
    const flows = w.year(inputs(w, { targetFactor: 2, payByTier: { county: 240_000 }, policy: { leadRecruitmentFromMembers: "capped", recruitmentCapShare: cap } }));
    // hiring stops once hires ≥ cap × member doctors (after exits, ≤ at start), so at most ⌈cap × start⌉ each
    const bound = memberCentres.reduce((a, cs) => a + Math.ceil(cap * cs.reduce((b, f) => b + w.headcountAtStart[f], 0)), 0);
    expect(flows.primaryToCounty).toBeGreaterThan(0);
    expect(flows.primaryToCounty).toBeLessThanOrEqual(bound);
    expect(run({ payByTier: { county: 240_000 } }).primaryToCounty).toBeGreaterThan(bound);
  });

  it("the lead's recruiting intensity scales the flow: 0 → nobody moves up", () => {
    expect(run({ payByTier: { county: 240_000 }, recruit: 0 }).primaryToCounty).toBe(0);
  });

  it("pooled quotas remove the transfer friction: more move up", () => {
    const frictional = run({ payByTier: { county: 240_000 } });
    const pooled = run({ payByTier: { county: 240_000 }, policy: { pooledQuota: true } });
    expect(pooled.primaryToCounty).toBeGreaterThan(frictional.primaryToCounty);
  });
});

describe("Workforce — postings down under pooled quotas", () => {
  it("pooled quotas + a posting share → doctors posted to member townships, counted as county → primary moves", () => {
    const w = fresh();
    const before = Int32Array.from(w.facility.subarray(0, w.count));
    const flows = w.year(inputs(w, { posting: 0.05, recruit: 0, policy: { pooledQuota: true } }));
    expect(flows.postedDown).toBeGreaterThan(0);
    expect(flows.countyToPrimary).toBeGreaterThanOrEqual(flows.postedDown);
    // at most round(share × lead's doctors) per community (its staff can only have shrunk: no hires from members)
    expect(flows.postedDown).toBeLessThanOrEqual(leads.reduce((a, l) => a + Math.round(0.05 * w.headcountAtStart[l]), 0));
    // the doctors who left a lead hospital for one of its own member centres
    let down = 0;
    for (let d = 0; d < before.length; d++) {
      const c = leads.indexOf(before[d]);
      if (c >= 0 && memberCentres[c].includes(w.facility[d])) down++;
    }
    expect(down).toBe(flows.countyToPrimary);
  });

  it("without pooled quotas the lead hospital cannot post anyone", () => {
    const w = fresh();
    expect(w.year(inputs(w, { posting: 0.05, recruit: 0 })).postedDown).toBe(0);
  });
});

describe("Workforce — promotion requires a grassroots year", () => {
  it("county attendings due for promotion rotate to a member township for a year, then come back and are promoted", () => {
    const w = fresh();
    const y1 = w.year(inputs(w, { year: 2019, policy: { promotionRequiresGrassrootsYear: true } }));
    expect(y1.rotationsToPrimary).toBeGreaterThan(0);
    const rotating: { d: number; home: number }[] = [];
    for (let d = 0; d < w.count; d++) if (w.home[d] >= 0) rotating.push({ d, home: w.home[d] });
    expect(rotating).toHaveLength(y1.rotationsToPrimary);
    const awayTotal = leads.reduce((a, l) => a + w.away[l], 0);
    expect(awayTotal).toBe(y1.rotationsToPrimary);
    for (const { d, home } of rotating) {
      // an attending of a lead hospital, now at one of its own member township centres, not yet promoted
      const c = leads.indexOf(home);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(memberCentres[c]).toContain(w.facility[d]);
      expect(w.grade[d]).toBe(ATTENDING);
    }

    const y2 = w.year(inputs(w, { year: 2020, policy: { promotionRequiresGrassrootsYear: true } }));
    // back at their home hospital and promoted — except any who left the county or moved down this year
    let back = 0;
    for (const { d, home } of rotating) {
      if (w.facility[d] === home) {
        back++;
        expect(w.grade[d]).toBe(SENIOR);
        expect(w.grassroots[d]).toBe(1);
      }
    }
    expect(back).toBeGreaterThanOrEqual(rotating.length - y2.exits - y2.countyToPrimary);
    expect(back).toBeGreaterThan(0.9 * rotating.length);
    // the returning doctors are no longer away; only this year's new rotations are
    expect(leads.reduce((a, l) => a + w.away[l], 0)).toBe(y2.rotationsToPrimary);
  });

  it("the rotating doctors' posts stay held: the lead hospital's staff restored on their return", () => {
    const w = fresh();
    w.year(inputs(w, { year: 2019, policy: { promotionRequiresGrassrootsYear: true } }));
    const held = leads.map((l) => w.headcount[l] + w.away[l]);
    // with nobody leaving the county hospitals' posts in 2020 (own pay far above the outside option, no moves down, no vacancies to fill),
    // the staff at each lead hospital after the rotations end are exactly the posts held in 2019 minus this year's new rotations
    const x = inputs(w, { year: 2020, targetFactor: 0, recruit: 0, payByTier: { county: 1e12 }, policy: { promotionRequiresGrassrootsYear: true } });
    const y2 = w.year(x);
    expect(y2.primaryToCounty).toBe(0);
    expect(y2.recruitsCounty).toBe(0);
    expect(y2.countyToPrimary).toBe(0);
    leads.forEach((l, c) => expect(w.headcount[l] + w.away[l]).toBe(held[c]));
  });

  it("without the rule nobody rotates", () => {
    const w = fresh();
    const f = w.year(inputs(w));
    expect(f.rotationsToPrimary).toBe(0);
    expect(f.promotions).toBeGreaterThan(0);
  });
});

describe("graduateChoice — the graduates' logit", () => {
  // explicit values, not the defaults: pay elasticity 1.5, township −0.3, outside −0.5
  const p: StaffParameters = {
    ...P,
    upward: { ...P.upward, payElasticity: 1.5 },
    graduateTownshipIntercept: -0.3,
    graduateOutsideIntercept: -0.5,
    basePay: { ...P.basePay, outOfCounty: 160_000 },
  };
  // weights at county pay 120,000, township pay 70,000, outside 160,000:
  //   county   1
  //   township e^−0.3 × (70/120)^1.5  = 0.7408182 × 0.4455282 = 0.3300554
  //   outside  e^−0.5 × (160/120)^1.5 = 0.6065307 × 1.5396007 = 0.9338150
  //   total 2.2638704 → shares 0.4417214, 0.1457925, 0.4124861 (cut points 0.4417214, 0.5875139)
  const N = 200_000;
  const shares = (boost: number) => {
    const n = [0, 0, 0];
    for (let i = 0; i < N; i++) n[graduateChoice(p, boost, 120_000, 70_000, uniform(0x77, i, 0, 0))]++;
    return n.map((k) => k / N);
  };

  it("shares match the hand-computed logit over many uniforms", () => {
    const [county, township, outside] = shares(0);
    // sampling s.d. ≤ √(0.25 / 200000) ≈ 0.0011
    expect(county).toBeCloseTo(0.4417214, 2);
    expect(Math.abs(county - 0.4417214)).toBeLessThan(0.004);
    expect(Math.abs(township - 0.1457925)).toBeLessThan(0.004);
    expect(Math.abs(outside - 0.4124861)).toBeLessThan(0.004);
  });

  it("is the inverse CDF of those shares at the cut points", () => {
    expect(graduateChoice(p, 0, 120_000, 70_000, 0.4417)).toBe(0);
    expect(graduateChoice(p, 0, 120_000, 70_000, 0.4418)).toBe(1);
    expect(graduateChoice(p, 0, 120_000, 70_000, 0.5875)).toBe(1);
    expect(graduateChoice(p, 0, 120_000, 70_000, 0.5876)).toBe(2);
  });

  it("a pooled-quota boost of ln 2 doubles the township weight", () => {
    // township weight 0.6601108 → total 2.5939258 → township share 0.2544833
    const [, township] = shares(Math.log(2));
    expect(Math.abs(township - 0.2544833)).toBeLessThan(0.004);
  });
});

describe("Workforce — reproducible", () => {
  const threeYears = (key: number) => {
    const w = fresh(key);
    const flows: StaffFlows[] = [];
    for (let k = 0; k < 3; k++) flows.push(w.year(inputs(w, { year: 2019 + k, targetFactor: 1.2, posting: 0.02, policy: { pooledQuota: true, promotionRequiresGrassrootsYear: true } })));
    return { flows, facility: Array.from(w.facility.subarray(0, w.count)) };
  };

  it("same key and inputs → the same flows and the same doctors at the same posts", () => {
    const a = threeYears(KEY);
    const b = threeYears(KEY);
    expect(b.flows).toEqual(a.flows);
    expect(b.facility).toEqual(a.facility);
  });

  it("a different key → different individual moves", () => {
    const a = threeYears(KEY);
    const c = threeYears(KEY + 1);
    expect(c.facility).not.toEqual(a.facility);
  });
});
