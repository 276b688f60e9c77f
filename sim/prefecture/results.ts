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
import { quantileBand, siphonLevelShares, type QuantileBand } from "../study/summary";
import { formatYearMonth, type YearMonth } from "../scenario/load";
import { SIPHON_RULE, siphonVerdict, siphonVolumes, type SiphonLevel } from "../siphon";
import { countyPopulation, placeOfCare } from "./description";
import { levelAt, splitCountyRef, type PrefectureScenario } from "./scenario";

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

/**
 * The siphon (虹吸) verdict of one area and year against its baseline twin (sim/siphon.ts),
 * across seeds: how often each risk level, and the bands of what the rule reads.
 */
export interface SiphonCell {
  /** share of seeds at each risk level */
  levels: Record<SiphonLevel, number>;
  /** change in the share of primary-treatable episodes treated at county hospitals (fraction; + = towards the county) */
  patientSiphon: QuantileBand;
  /** relative changes of county-hospital encounters, primary (village + township) encounters and primary doctors */
  countyVolumeChange: QuantileBand;
  primaryVolumeChange: QuantileBand;
  primaryStaffChange: QuantileBand;
  /** net doctors moved primary → county in the year (+ = towards the county), and its change against the twin */
  staffSiphon: QuantileBand;
  staffSiphonChange: QuantileBand;
}

export interface PrefectureSiphon {
  /** what each area is judged against */
  against: string;
  rule: string;
  /** a relative change counts as a signal only beyond this (parameters siphonCheck.minimumChange) */
  minimumChange: number;
  /** the prefecture (its counties' summed counts against their twins' summed counts): period → cell */
  prefecture: Record<string, SiphonCell>;
  /** county id → period → cell */
  counties: Record<string, Record<string, SiphonCell>>;
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
  /** the siphon verdict of each county and the prefecture against the baseline twins; null when the run has none (--no-baseline) */
  siphon: PrefectureSiphon | null;
}

/** The siphon cells of one area by period: each seed's totals against its twin's (same seed). */
function siphonCells(perSeed: Totals[][], twins: Totals[][], periods: string[], minimumChange: number): Record<string, SiphonCell> {
  const out: Record<string, SiphonCell> = {};
  periods.forEach((period, y) => {
    const verdicts = perSeed.map((years, s) => {
      const twin = siphonVolumes(twins[s][y]);
      return { v: siphonVerdict(siphonVolumes(years[y]), twin, "baseline twin", minimumChange), twin };
    });
    out[period] = {
      levels: siphonLevelShares(verdicts.map((x) => x.v.siphonRisk.level)),
      patientSiphon: quantileBand(verdicts.map((x) => x.v.patientSiphon)),
      countyVolumeChange: quantileBand(verdicts.map((x) => x.v.siphonRisk.countyVolumeChange)),
      primaryVolumeChange: quantileBand(verdicts.map((x) => x.v.siphonRisk.primaryVolumeChange)),
      primaryStaffChange: quantileBand(verdicts.map((x) => x.v.siphonRisk.primaryStaffChange)),
      staffSiphon: quantileBand(verdicts.map((x) => x.v.staffSiphon)),
      staffSiphonChange: quantileBand(verdicts.map((x) => x.v.staffSiphon - x.twin.staffSiphon)),
    };
  });
  return out;
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
 * and seed (any order); each job's scenario file is `<prefecture scenario>#<county>`, and
 * `#<county>@baseline` for a county's baseline twin — with twins for every county and
 * seed, the siphon verdict is judged against them, else it is null; a change counts as a
 * signal of its rule beyond `minimumChange` (the scenario's siphonCheck.minimumChange).
 */
export function prefectureResults(ps: PrefectureScenario, results: readonly JobResult[], minimumChange: number): PrefectureResults {
  const ids = ps.prefecture.counties.map((c) => c.id);
  const byCounty = new Map<string, JobResult[]>(ids.map((id) => [id, []]));
  const twinsOf = new Map<string, JobResult[]>(ids.map((id) => [id, []]));
  for (const r of results) {
    const { county: id, baselineTwin } = splitCountyRef(r.job.scenarioFile);
    const list = (baselineTwin ? twinsOf : byCounty).get(id);
    if (!list) throw new Error(`prefecture results: a job of county ${JSON.stringify(id)}, not a county of ${ps.prefecture.file}`);
    list.push(r);
  }
  const seeds = [...new Set([...byCounty.values()].flat().map((r) => r.job.seed))].sort((a, b) => a - b);
  const anyTwins = [...twinsOf.values()].some((rs) => rs.length > 0);
  for (const [kind, map] of [["", byCounty], ["baseline twin of ", twinsOf]] as const) {
    if (kind && !anyTwins) continue;
    for (const [id, rs] of map) {
      rs.sort((a, b) => a.job.seed - b.job.seed);
      const have = rs.map((r) => r.job.seed).join(",");
      if (have !== seeds.join(",")) throw new Error(`prefecture results: ${kind}county ${id} has seeds ${have || "none"}, the run has ${seeds.join(",")}; every county needs every seed`);
    }
  }
  const first = byCounty.get(ids[0])![0];
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
  let siphon: PrefectureSiphon | null = null;
  if (anyTwins) {
    const twinTotals = (id: string) => twinsOf.get(id)!.map((r) => r.yearTotals);
    const twinSummed = seeds.map((_, s) => periods.map((__, y) => sumTotals(ids.map((id) => twinsOf.get(id)![s].yearTotals[y]))));
    siphon = {
      against: "its baseline twin: the same county, seed and pooling, never joining the reform (common random numbers)",
      rule: SIPHON_RULE,
      minimumChange,
      prefecture: siphonCells(summed, twinSummed, periods, minimumChange),
      counties: Object.fromEntries(ids.map((id) => [id, siphonCells(byCounty.get(id)!.map((r) => r.yearTotals), twinTotals(id), periods, minimumChange)])),
    };
  }
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
    siphon,
  };
}

/** Full-size residents of the prefecture by its county files (what scale 1 simulates). */
export const prefecturePopulation = (ps: PrefectureScenario) => Object.values(ps.prefecture.countyDescriptions).reduce((n, d) => n + countyPopulation(d), 0);
