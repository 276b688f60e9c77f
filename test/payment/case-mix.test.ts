/**
 * Inpatient condition groups (sim/payment/case-mix.ts): the tables from data/parameters.yaml,
 * the group drawn from its own random stream with the shares the data give, and the
 * checks that keep the tables consistent.
 */
import { describe, expect, it } from "vitest";
import { CaseMix, CASE_DRAW, NO_GROUP, caseKey, caseMixProblems, caseUniform, coversCommunity, tierMask } from "../../sim/payment/case-mix";
import { STREAMS, hashPrefix, streamKey } from "../../sim/random";
import { COMMON, COUNTY, CRITICAL, SERIOUS, TOWNSHIP, VILLAGE, SEVERITIES } from "../../sim/tier";
import { baseline } from "../helpers/scenarios";

const P = baseline().parameters;
const mix = new CaseMix(P);

describe("the case mix", () => {
  it("has the groups of data/parameters.yaml in order, a cumulative share per severity ending at Infinity, and severity weights relative to common", () => {
    expect(mix.groups).toEqual(["respiratory", "copd", "stroke", "coronary", "hypertensionDiabetes", "digestive", "obstetric", "injury", "electiveSurgery", "cancer", "other"]);
    const G = mix.groups.length;
    for (let s = 0; s < SEVERITIES.length; s++) expect(mix.groupCdf[s * G + G - 1]).toBe(Infinity);
    expect(mix.groupCdf[COMMON * G]).toBeCloseTo(0.2, 12);
    expect([...mix.severityWeight]).toEqual([0.6 / 0.8, 1, 1.3 / 0.8, 2.4 / 0.8]);
    // a serious stroke at a county hospital stays 9 × 1.625 days; nothing outside the two case tiers
    expect(mix.stay(2, SERIOUS, COUNTY)).toBeCloseTo(14.625, 12);
    expect(mix.stay(2, SERIOUS, VILLAGE)).toBe(0);
    expect(mix.price[0 * 4 + TOWNSHIP]).toBe(1670);
    expect(NO_GROUP).toBe(-1);
  });

  it("draws each admission's group with the shares of caseMix.admissionShare for its severity (its own stream: no other draw moves)", () => {
    const key = streamKey(1, STREAMS.caseMix);
    expect(new Set(Object.values(STREAMS)).size).toBe(Object.keys(STREAMS).length);
    const n = 60_000;
    for (const sev of [COMMON, SERIOUS, CRITICAL]) {
      const counts = new Array(mix.groups.length).fill(0);
      for (let i = 0; i < n; i++) counts[mix.drawGroup(sev, caseKey(hashPrefix(key, i, 7), 32))]++;
      mix.groups.forEach((g, gi) => {
        const p = P.caseMix.admissionShare[g][SEVERITIES[sev]];
        // within 4.5 standard errors
        expect(Math.abs(counts[gi] / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
      });
    }
  });

  it("gives each case one independent uniform per purpose, the same for the same case", () => {
    const k = caseKey(hashPrefix(streamKey(1, STREAMS.caseMix), 42, 300), 33);
    const u = Object.values(CASE_DRAW).map((p) => caseUniform(k, p));
    expect(new Set(u).size).toBe(u.length);
    expect(caseUniform(k, CASE_DRAW.list)).toBe(u[CASE_DRAW.list]);
    for (const x of u) expect(x > 0 && x < 1).toBe(true);
  });

  it("says which communities, schemes and tiers a case-based scheme pays", () => {
    const scope = { communities: ["tcm"], coversEmployeeScheme: false, tiers: { township: false, county: true } };
    expect([coversCommunity(scope, "tcm", 0), coversCommunity(scope, "tcm", 1), coversCommunity(scope, "renmin", 0)]).toEqual([true, false, false]);
    expect([...tierMask(scope.tiers)]).toEqual([0, 0, 1, 0]);
    expect(coversCommunity({ ...scope, communities: "all", coversEmployeeScheme: true }, "renmin", 1)).toBe(true);
  });

  it("refuses tables that name other groups than admissionShare, and shares that do not sum to 1 per severity", () => {
    expect(caseMixProblems(P.caseMix, "p.yaml")).toEqual([]);
    const { other: _o, ...priceWithoutOther } = P.caseMix.price;
    const bad = {
      ...P.caseMix,
      price: { ...priceWithoutOther, tumour: { township: 1, county: 2 } },
      admissionShare: { ...P.caseMix.admissionShare, copd: { ...P.caseMix.admissionShare.copd, serious: 0.5 } },
    };
    expect(caseMixProblems(bad, "p.yaml")).toEqual([
      "p.yaml: caseMix.price: missing condition group(s) other (the groups are the keys of caseMix.admissionShare)",
      `p.yaml: caseMix.price: unknown condition group(s) tumour; the groups are the keys of caseMix.admissionShare: ${mix.groups.join(", ")}`,
      "p.yaml: caseMix.admissionShare.*.serious = 1.4100 in total: each severity's shares over the groups must sum to 1",
    ]);
  });
});
