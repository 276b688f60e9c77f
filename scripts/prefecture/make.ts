/**
 * Write the nine synthetic county files of the Qujing-like prefecture
 * (data/counties/prefecture/*.yaml) and the prefecture description
 * (data/prefectures/qujing-like.yaml) from the table below, so they are reproducible:
 *
 *     node --import tsx scripts/prefecture/make.ts
 *
 * Each county is data/counties/qujing-like.yaml (12 townships, 2 county hospitals) with
 * its townships' population scaled to the county's size, its doctors and beds scaled by
 * size × hospital strength, and its out-of-county options: the city hospital, the
 * provincial hospital and the lead hospitals of its nearest neighbouring counties (so
 * cross-county flows exist). Sizes follow Qujing's nine counties/districts (≈6.1 M
 * residents in 2018, Qujing statistical yearbook; 0.25–1.3 M each); everything else is
 * synthetic and an assumption.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Row {
  id: string; zh: string; en: string;
  /** residents */
  population: number;
  /** county-hospital doctors and beds per resident relative to the template county (hospital strength) */
  strength: number;
  /** the lead hospital's perceived-quality offset */
  quality: number;
  /** seat position, km east and north of the city centre */
  x: number; y: number;
  /** a pilot county of 000 §五(一) */
  pilot: boolean;
}

// Synthetic counties: names invented, sizes and layout Qujing-like (assumption).
const TABLE: Row[] = [
  { id: "zhongxin", zh: "中心区", en: "Zhongxin district (city seat)", population: 930_000, strength: 1.35, quality: 0.05, x: 0, y: 0, pilot: false },
  { id: "beishan", zh: "北山县", en: "Beishan county", population: 1_300_000, strength: 0.85, quality: -0.03, x: 10, y: 110, pilot: false },
  { id: "xihe", zh: "西河县", en: "Xihe county", population: 560_000, strength: 1.0, quality: 0.0, x: -50, y: 15, pilot: true },
  { id: "nanping", zh: "南坪县", en: "Nanping county", population: 650_000, strength: 1.05, quality: 0.0, x: -15, y: -60, pilot: false },
  { id: "dongling", zh: "东岭县", en: "Dongling county", population: 440_000, strength: 0.8, quality: -0.05, x: 45, y: -35, pilot: false },
  { id: "luoshui", zh: "罗水县", en: "Luoshui county", population: 550_000, strength: 0.95, quality: -0.02, x: 70, y: -90, pilot: true },
  { id: "fuyuan", zh: "富原县", en: "Fuyuan county", population: 250_000, strength: 0.75, quality: -0.08, x: 80, y: 10, pilot: false },
  { id: "malin", zh: "马林区", en: "Malin district", population: 320_000, strength: 1.1, quality: 0.0, x: 35, y: 30, pilot: false },
  { id: "huize", zh: "会泽县", en: "Huize county", population: 1_000_000, strength: 0.8, quality: -0.05, x: -30, y: 160, pilot: false },
];
/** inter-county road speed (assumption: mountain trunk roads) */
const KM_PER_HOUR = 50;
/** neighbours whose lead hospital a county's residents may choose */
const NEIGHBOURS = 3;
/** a neighbouring county's lead hospital is perceived below a city or provincial tertiary hospital (assumption) */
const NEIGHBOUR_QUALITY = -0.25;
const TEMPLATE_POPULATION = 600_000;

const minutes = (a: Row, b: { x: number; y: number }) => Math.round((Math.hypot(a.x - b.x, a.y - b.y) * 1.3 * 60) / KM_PER_HOUR); // ×1.3 road detour
const round = (v: number, to: number) => Math.max(to, Math.round(v / to) * to);

const template = parse(readFileSync(join(ROOT, "data/counties/qujing-like.yaml"), "utf8")) as Record<string, any>;

function county(r: Row, i: number) {
  const f = r.population / TEMPLATE_POPULATION;
  const townships = (template.townships as any[]).map((t) => ({
    ...t,
    population: round(t.population * f, 100),
    villages: Math.max(3, Math.round(t.villages * Math.sqrt(f))),
    radiusKm: Math.round(t.radiusKm * Math.sqrt(f) * 10) / 10,
    centre: { doctors: Math.max(2, Math.round(t.centre.doctors * f)), beds: Math.max(0, Math.round(t.centre.beds * f)) },
  }));
  // make the townships sum to the county's size exactly
  const sum = townships.reduce((n, t) => n + t.population, 0);
  townships[0].population += r.population - sum;
  const hospitals = (template.countyHospitals as any[]).map((h, k) => ({
    ...h,
    doctors: Math.round(h.doctors * f * r.strength),
    beds: Math.round(h.beds * f * r.strength),
    qualityOffset: Math.round((k === 0 ? r.quality : r.quality - 0.05) * 100) / 100,
  }));
  const city = { x: 0, y: 0 };
  const neighbours = TABLE.filter((o) => o.id !== r.id).sort((a, b) => minutes(r, a) - minutes(r, b)).slice(0, NEIGHBOURS);
  const outOfCounty = [
    { id: "city", name: { zh: "市第一人民医院", en: "City No.1 People's Hospital" }, minutesFromSeat: Math.max(30, minutes(r, city)), qualityOffset: 0.0, inPrefecture: true },
    { id: "province", name: { zh: "省级三甲医院", en: "Provincial tertiary hospital" }, minutesFromSeat: 200 + minutes(r, city), qualityOffset: 0.05 },
    ...neighbours.map((o) => ({
      id: o.id,
      name: { zh: `${o.zh}人民医院`, en: `${o.en.replace(/ \(.*\)$/, "")} People's Hospital` },
      minutesFromSeat: minutes(r, o),
      qualityOffset: Math.round((NEIGHBOUR_QUALITY + o.quality) * 100) / 100,
      inPrefecture: true,
    })),
  ];
  const body = {
    name: `prefecture-${r.id}`,
    title: { zh: `${r.zh}（合成，曲靖类地级市）`, en: `${r.en} (synthetic, Qujing-like prefecture)` },
    source: `synthetic; scripts/prefecture/make.ts from data/counties/qujing-like.yaml: townships scaled to ${r.population.toLocaleString("en-US")} residents (Qujing-like county sizes, Qujing statistical yearbook 2018: 9 counties/districts, ≈6.1 M residents), county-hospital doctors and beds × ${r.strength} strength (assumption), neighbouring counties' lead hospitals as out-of-county options (assumption)`,
    seed: 530301 + i,
    demographics: template.demographics,
    geography: template.geography,
    countyHospitals: hospitals,
    outOfCounty,
    communities: template.communities,
    townships,
  };
  const text =
    `# yaml-language-server: $schema=../../../schema/county.schema.json\n` +
    `# ${r.zh} — a county of the synthetic Qujing-like prefecture (data/prefectures/qujing-like.yaml).\n` +
    `# Written by scripts/prefecture/make.ts; edit the table there and re-run rather than this file.\n` +
    stringify(body, { lineWidth: 0, aliasDuplicateObjects: false });
  writeFileSync(join(ROOT, `data/counties/prefecture/${r.id}.yaml`), text);
  return { r, neighbours };
}

const built = TABLE.map(county);
const prefecture = {
  name: "qujing-like",
  title: { zh: "曲靖类地级市（合成，九县区）", en: "Qujing-like prefecture (synthetic, nine counties)" },
  source: "synthetic; nine counties/districts of Qujing-like sizes (Qujing statistical yearbook 2018, ≈6.1 M residents) built by scripts/prefecture/make.ts; pilot counties per 000_d976d86ac1f892b7.txt §五(一) (1–2 pilot counties from 2019-03); hospital strengths and positions are assumptions",
  hospitals: [
    { id: "city", name: { zh: "市第一人民医院", en: "City No.1 People's Hospital" }, inPrefecture: true },
    { id: "province", name: { zh: "省级三甲医院", en: "Provincial tertiary hospital" }, inPrefecture: false },
  ],
  counties: built.map(({ r, neighbours }) => ({
    id: r.id,
    name: { zh: r.zh, en: r.en },
    file: `../counties/prefecture/${r.id}.yaml`,
    pilot: r.pilot,
    minutesToCity: Math.max(30, minutes(r, { x: 0, y: 0 })),
    neighbours: neighbours.map((o) => o.id),
  })),
};
writeFileSync(
  join(ROOT, "data/prefectures/qujing-like.yaml"),
  `# yaml-language-server: $schema=../../schema/prefecture.schema.json\n` +
    `# A synthetic Qujing-like prefecture (曲靖类地级市): nine counties and the city's hospitals.\n` +
    `# Written by scripts/prefecture/make.ts (the table there); each county is its own county file.\n` +
    stringify(prefecture, { lineWidth: 0 }),
);
process.stderr.write(`wrote ${TABLE.length} county files (${TABLE.reduce((n, r) => n + r.population, 0).toLocaleString("en-US")} residents) and data/prefectures/qujing-like.yaml\n`);
