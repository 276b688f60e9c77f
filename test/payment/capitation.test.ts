import { describe, expect, it } from "vitest";
import { monthlyPrepayment, settleYear, type SettlementRules } from "../../sim/payment/capitation";

/** Qujing: 超支自付、结余留用 — keep all surplus, bear all overspend (000 §二(二)). */
const QUJING: SettlementRules = { surplusRetainedShare: 1, overspendInsurerShare: 0, fundNeverNegative: false, reserveCoversDeficits: true };

describe("monthlyPrepayment (总额预拨)", () => {
  it("is one twelfth of share × premium × enrolled", () => {
    // 0.9 × 710 yuan × 12000 insured / 12 = 639,000 yuan a month
    expect(monthlyPrepayment(0.9, 710, 12_000)).toBeCloseTo(639_000, 6);
    // 0.85 × 4200 × 300 / 12 = 89,250
    expect(monthlyPrepayment(0.85, 4200, 300)).toBeCloseTo(89_250, 6);
    expect(monthlyPrepayment(0.9, 710, 0)).toBe(0);
  });
});

describe("settleYear (年终结算)", () => {
  it("surplus fully retained (结余留用, Qujing)", () => {
    expect(settleYear(1_000_000, 0, 5e6, QUJING)).toEqual({ retained: 1_000_000, returned: 0, fromReserve: 0, insurerPays: 0, communityBears: 0 });
  });

  it("partial retention returns the rest to the fund", () => {
    // surplus 500,000 × 60% = 300,000 kept, 200,000 returned
    const r = settleYear(500_000, 0, 5e6, { ...QUJING, surplusRetainedShare: 0.6 });
    expect(r.retained).toBeCloseTo(300_000, 6);
    expect(r.returned).toBeCloseTo(200_000, 6);
    expect(r.fromReserve + r.insurerPays + r.communityBears).toBe(0);
  });

  it("a zero balance settles to nothing", () => {
    expect(settleYear(0, 100, 100, QUJING)).toEqual({ retained: 0, returned: 0, fromReserve: 0, insurerPays: 0, communityBears: 0 });
  });

  it("deficit borne by the community (超支自付) when it has no reserve", () => {
    expect(settleYear(-400_000, 0, 5e6, QUJING)).toEqual({ retained: 0, returned: 0, fromReserve: 0, insurerPays: 0, communityBears: 400_000 });
  });

  it("deficit shared 50/50 (合理超支分担)", () => {
    const r = settleYear(-400_000, 0, 5e6, { ...QUJING, overspendInsurerShare: 0.5 });
    expect(r).toEqual({ retained: 0, returned: 0, fromReserve: 0, insurerPays: 200_000, communityBears: 200_000 });
  });

  it("基金不穿底 (003): the insurer's share is limited to the fund balance", () => {
    const rules = { ...QUJING, overspendInsurerShare: 0.5, fundNeverNegative: true };
    // insurer would pay 200,000 but the fund holds 50,000 → pays 50,000, community 350,000
    expect(settleYear(-400_000, 0, 50_000, rules)).toMatchObject({ insurerPays: 50_000, communityBears: 350_000 });
    // fund already negative → insurer pays nothing
    expect(settleYear(-400_000, 0, -10, rules)).toMatchObject({ insurerPays: 0, communityBears: 400_000 });
    // fund large enough → the rule does not bind
    expect(settleYear(-400_000, 0, 1e6, rules)).toMatchObject({ insurerPays: 200_000, communityBears: 200_000 });
    // without the rule the insurer pays its share even if it overdraws the fund
    expect(settleYear(-400_000, 0, 50_000, { ...rules, fundNeverNegative: false })).toMatchObject({ insurerPays: 200_000 });
  });

  it("the community's reserve covers the deficit first, the rest is shared", () => {
    const rules = { ...QUJING, overspendInsurerShare: 0.5 };
    // deficit 400,000; reserve 150,000 used first; 250,000 left → 125,000 insurer, 125,000 community
    expect(settleYear(-400_000, 150_000, 5e6, rules)).toEqual({ retained: 0, returned: 0, fromReserve: 150_000, insurerPays: 125_000, communityBears: 125_000 });
    // reserve larger than the deficit: covers all of it
    expect(settleYear(-400_000, 1_000_000, 5e6, rules)).toMatchObject({ fromReserve: 400_000, insurerPays: 0, communityBears: 0 });
    // a negative reserve covers nothing
    expect(settleYear(-400_000, -5, 5e6, rules)).toMatchObject({ fromReserve: 0, insurerPays: 200_000 });
  });

  it("does not touch the reserve when reserveCoversDeficits is off", () => {
    expect(settleYear(-400_000, 1_000_000, 5e6, { ...QUJING, reserveCoversDeficits: false })).toMatchObject({ fromReserve: 0, communityBears: 400_000 });
  });

  it("reserve, insurer and fund limit together", () => {
    // deficit 1,000,000; reserve 200,000 → 800,000 left; insurer 75% = 600,000 but the fund
    // holds 100,000 → insurer 100,000, community 700,000
    const r = settleYear(-1_000_000, 200_000, 100_000, { surplusRetainedShare: 1, overspendInsurerShare: 0.75, fundNeverNegative: true, reserveCoversDeficits: true });
    expect(r).toEqual({ retained: 0, returned: 0, fromReserve: 200_000, insurerPays: 100_000, communityBears: 700_000 });
  });

  it("always accounts for the whole balance with non-negative parts", () => {
    for (const balance of [-1e6, -12_345.67, 0, 987.65, 2e6])
      for (const reserve of [0, 5000, 2e6])
        for (const fund of [-1, 0, 3000, 1e7])
          for (const share of [0, 0.5, 1])
            for (const fnn of [false, true])
              for (const rc of [false, true]) {
                const r = settleYear(balance, reserve, fund, { surplusRetainedShare: share, overspendInsurerShare: share, fundNeverNegative: fnn, reserveCoversDeficits: rc });
                for (const v of Object.values(r)) expect(v).toBeGreaterThanOrEqual(0);
                if (balance >= 0) expect(r.retained + r.returned).toBeCloseTo(balance, 6);
                else expect(r.fromReserve + r.insurerPays + r.communityBears).toBeCloseTo(-balance, 6);
              }
  });
});
