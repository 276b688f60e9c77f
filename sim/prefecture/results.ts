/**
 * A prefecture run's results, from its county jobs' results (one per county and seed):
 * the headline indicators per county and for the prefecture, per year, with bands across
 * seeds and the probability of meeting each target; the insurance fund judged as county
 * pooling judges it (how many counties end a year in deficit) and as city pooling does
 * (the pooled balance); and the cross-county flow table (county of residence × place of
 * care). The prefecture's totals are the sum of its counties' counter totals — every
 * headline indicator is a ratio of summed counts, a count or a stock (a balance), never
 * an average of the counties' ratios.
 */
import { INDICATORS, judge, type IndicatorDefinition, type Totals } from "../indicators";
import type { JobResult } from "../experiments/jobs";
import { quantileBand, type QuantileBand } from "../study/summary";
import { formatYearMonth, type YearMonth } from "../scenario/load";
import { countyPopulation, placeOfCare } from "./description";
import { levelAt, type PrefectureScenario } from "./scenario";

/** The indicators reported per county and for the prefecture. */
export const HEADLINE = ["primaryVisitShare", "withinCountyVisitRate", "downwardReferrals", "downwardReferralGrowth", "insurerFundBalance", "capitationBalance", "staffSiphon"] as const;
const DEFS = new Map(INDICATORS.map((d) => [d.id, d]));
export const headlineDefs = (): IndicatorDefinition[] => HEADLINE.map((id) => DEFS.get(id)!);

export interface IndicatorCell {
  band: QuantileBand;
  /** share of seeds meeting the target (null: no target) */
  pMeet: number | null;
}

export interface AreaResult {
  id: string;
  name: { zh: string; en: string };
  /** simulated residents (at the run's scale) */
  residents: number;
  /** the join date (counties only; null = never joins) */
  joins?: string | null;
  /** indicator id → period → cell */
  indicators: Record<string, Record<string, IndicatorCell>>;
}

export interface FlowRow {
  period: string;
  residence: string;
  /** "own" (the resident's county, any tier), another county's id, a city hospital's id, or an outside hospital's id */
  place: string;
  kind: "own" | "county" | "city" | "outside";
  /** visits + admissions, mean over seeds */
  encounters: number;
  /** of the residence county's encounters that year */
  share: number;
}

export interface PrefectureResults {
  scenario: { name: string; title: { zh: string; en: string }; file: string; prefecture: string };
  seeds: number[];
  scale: number;
  years: number;
  periods: string[];
  pooling: { period: string; level: string }[];
  counties: AreaResult[];
  prefecture: AreaResult;
  /** the fund each year: counties in deficit (median over seeds, and P(no county in deficit)), the pooled balance */
  fund: { period: string; countiesInDeficit: QuantileBand; pNoDeficit: number; pooledBalance: QuantileBand }[];
  /** within-prefecture rate: residents' encounters inside the prefecture (own county, other counties, the city) ÷ all */
  withinPrefecture: Record<string, QuantileBand>;
  flows: FlowRow[];
}

const encounters = (t: Totals) => t.visitsVillage + t.visitsTownship + t.visitsCounty + t.visitsOutOfCounty + t.admissionsVillage + t.admissionsTownship + t.admissionsCounty + t.admissionsOutOfCounty;

/** Add counter totals (every counter is a count, money or a stock that sums over counties). */
export function sumTotals(ts: readonly Totals[]): Totals {
  const out: Record<string, number> = {};
  for (const t of ts) for (const [k, v] of Object.entries(t)) out[k] = (out[k] ?? 0) + v;
  return out as Totals;
}

function cells(perSeed: Totals[][], periods: string[]): Record<string, Record<string, IndicatorCell>> {
  const out: Record<string, Record<string, IndicatorCell>> = {};
  for (const def of headlineDefs()) {
    out[def.id] = {};
    periods.forEach((period, y) => {
      const values = perSeed.map((years) => def.compute(years[y], y > 0 ? years[y - 1] : undefined));
      const verdicts = values.map((v) => judge(def, v).met);
      const judged = verdicts.filter((m) => m !== null);
      out[def.id][period] = { band: quantileBand(values), pMeet: def.target && judged.length ? judged.filter(Boolean).length / judged.length : null };
    });
  }
  return out;
}

/**
 * Summarise the county jobs of a prefecture run. `results` holds one JobResult per county
 * and seed (any order); each job's scenario file is `<prefecture scenario>#<county>`.
 */
export function prefectureResults(ps: PrefectureScenario, results: readonly JobResult[]): PrefectureResults {
  const ids = ps.prefecture.counties.map((c) => c.id);
  const byCounty = new Map<string, JobResult[]>(ids.map((id) => [id, []]));
  for (const r of results) {
    const id = r.job.scenarioFile.slice(r.job.scenarioFile.lastIndexOf("#") + 1);
    const list = byCounty.get(id);
    if (!list) throw new Error(`prefecture results: a job of county ${JSON.stringify(id)}, not a county of ${ps.prefecture.file}`);
    list.push(r);
  }
  const seeds = [...new Set(results.map((r) => r.job.seed))].sort((a, b) => a - b);
  for (const [id, rs] of byCounty) {
    rs.sort((a, b) => a.job.seed - b.job.seed);
    const have = rs.map((r) => r.job.seed).join(",");
    if (have !== seeds.join(",")) throw new Error(`prefecture results: county ${id} has seeds ${have || "none"}, the run has ${seeds.join(",")}; every county needs every seed`);
  }
  const first = results[0];
  const periods = first.yearly.map((p) => p.period);
  const year0 = Number(periods[0]);
  const counties: AreaResult[] = ps.prefecture.counties.map((c) => {
    const rs = byCounty.get(c.id)!;
    const join = ps.joins[c.id];
    return { id: c.id, name: c.name, residents: rs[0].residents, joins: join ? formatYearMonth(join) : null, indicators: cells(rs.map((r) => r.yearTotals), periods) };
  });
  const summed = seeds.map((_, s) => periods.map((__, y) => sumTotals(ids.map((id) => byCounty.get(id)![s].yearTotals[y]))));
  const prefecture: AreaResult = { id: ps.prefecture.name, name: ps.prefecture.title, residents: counties.reduce((n, c) => n + c.residents, 0), indicators: cells(summed, periods) };
  const fund = periods.map((period, y) => {
    const deficits = seeds.map((_, s) => ids.filter((id) => byCounty.get(id)![s].yearTotals[y].insurerFundBalance < 0).length);
    return { period, countiesInDeficit: quantileBand(deficits), pNoDeficit: deficits.filter((d) => d === 0).length / seeds.length, pooledBalance: quantileBand(summed.map((ys) => ys[y].insurerFundBalance)) };
  });

  // flows: each county's encounters by place of care, mean over seeds
  const flows: FlowRow[] = [];
  const withinPrefecture: Record<string, QuantileBand> = {};
  const insideBySeed = periods.map(() => seeds.map(() => ({ inside: 0, all: 0 })));
  periods.forEach((period, y) => {
    for (const c of ps.prefecture.counties) {
      const rs = byCounty.get(c.id)!;
      const places = new Map<string, { kind: FlowRow["kind"]; n: number }>();
      const add = (place: string, kind: FlowRow["kind"], n: number) => {
        const p = places.get(place) ?? { kind, n: 0 };
        p.n += n / rs.length;
        places.set(place, p);
      };
      let total = 0;
      rs.forEach((r, s) => {
        const t = r.yearTotals[y];
        const all = encounters(t);
        const out = r.outOfCountyCare;
        if (!out) throw new Error(`prefecture results: county ${c.id}'s result has no out-of-county care (a county file without inPrefecture options?)`);
        add("own", "own", all - t.visitsOutOfCounty - t.admissionsOutOfCounty);
        let outside = 0;
        out.ids.forEach((fid, i) => {
          const n = out.visits[y][i] + out.admissions[y][i];
          const where = placeOfCare(ps.prefecture, fid);
          add(fid, where.kind, n);
          if (where.kind === "outside") outside += n;
        });
        insideBySeed[y][s].inside += all - outside;
        insideBySeed[y][s].all += all;
        total += all / rs.length;
      });
      for (const [place, p] of places) flows.push({ period, residence: c.id, place, kind: p.kind, encounters: p.n, share: total > 0 ? p.n / total : 0 });
    }
    withinPrefecture[period] = quantileBand(insideBySeed[y].map((x) => (x.all > 0 ? x.inside / x.all : null)));
  });
  const pooling = periods.map((period) => ({ period, level: levelAt(ps, { year: Number(period), month: 12 } as YearMonth) }));
  void year0;
  return {
    scenario: { name: ps.name, title: ps.title, file: ps.file, prefecture: ps.prefecture.file },
    seeds,
    scale: first.scale,
    years: first.years,
    periods,
    pooling,
    counties,
    prefecture,
    fund,
    withinPrefecture,
    flows,
  };
}

/** Full-size residents of the prefecture by its county files (what scale 1 simulates). */
export const prefecturePopulation = (ps: PrefectureScenario) => Object.values(ps.prefecture.countyDescriptions).reduce((n, d) => n + countyPopulation(d), 0);
