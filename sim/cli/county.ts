/**
 * `yigongti county import TABLES --out FILE.yaml`: write a county description from the
 * tables a county keeps (sim/county/import.ts), then load it back as a scenario would, so
 * a file that is written is a file that runs.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { importCounty } from "../county/import";
import { writeFileAtomic } from "../output";
import { PACKAGE_ROOT } from "../manifest";
import { loadCounty } from "../scenario/load";
import { UsageError, parseArgs, type OptionDef } from "./args";
import { EXIT_CODES, commandHelp } from "./help";

const OPTIONS: OptionDef[] = [
  { name: "out", value: "FILE.yaml", help: "the county description to write (required), e.g. data/counties/my-county.yaml" },
  { name: "force", help: "replace FILE.yaml if it exists" },
];

export const COUNTY_HELP = commandHelp(
  "yigongti county import <TABLES-DIR | TABLES.xlsx> --out FILE.yaml [--force]",
  `Write a county description from the tables a county health commission or statistical
yearbook keeps: townships, village clinics, county hospitals, out-of-county hospitals and
medical communities (optional), age structure, chronic prevalence, insured by scheme,
registered poor, income, and a county table of items (name, title, seed, income medians,
travel speed). Give a folder with one CSV per table (UTF-8 or GB18030) or one .xlsx
workbook with a sheet per table; headers in Chinese, English or both ("人口 population").
Templates: data/county-tables/template/; a filled example (the Qujing-like county):
data/county-tables/example/. Every bad cell is reported with its file, sheet, row and
column. The file written keeps each value's table and column under \`sources:\` (and says
which default applies where no table gives a value); point a scenario's \`county:\` at it.`,
  OPTIONS,
  `Examples:
  yigongti county import data/county-tables/example --out data/counties/my-county.yaml
  yigongti county import tables.xlsx --out my-county.yaml --force

${EXIT_CODES}`,
);

export async function countyCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs("county", argv, OPTIONS);
  if (a.help) {
    process.stdout.write(COUNTY_HELP);
    return 0;
  }
  const [sub, input, ...extra] = a.positionals;
  if (sub !== "import") throw new UsageError(sub === undefined ? "needs a subcommand: county import TABLES --out FILE.yaml" : `unknown subcommand ${JSON.stringify(sub)}; use: county import`, "county");
  if (input === undefined) throw new UsageError("county import needs the tables: a folder of CSV files or an .xlsx workbook", "county");
  if (extra.length) throw new UsageError(`county import takes one folder or workbook, got also ${extra.join(", ")}`, "county");
  const out = a.options.out as string | undefined;
  if (out === undefined) throw new UsageError("county import needs --out FILE.yaml (the county description to write)", "county");
  if (!/\.ya?ml$/i.test(out)) throw new UsageError(`--out ${JSON.stringify(out)}: must be a .yaml file`, "county");
  if (existsSync(out) && !a.options.force) throw new UsageError(`--out ${JSON.stringify(out)} exists; add --force to replace it`, "county");
  const { description, yaml } = await importCounty(input);
  mkdirSync(dirname(out), { recursive: true });
  // the first line names the county schema, relative to the file, so editors check it (README: JSON Schemas)
  const schema = relative(dirname(resolve(out)), join(PACKAGE_ROOT, "schema/county.schema.json")).split(sep).join("/");
  writeFileAtomic(out, `# yaml-language-server: $schema=${schema}\n${yaml}`);
  loadCounty(out); // what was written loads as a county (an InputError here is a bug worth seeing)
  const residents = description.townships.reduce((s, t) => s + t.population, 0);
  const villages = description.townships.reduce((s, t) => s + t.villages, 0);
  process.stdout.write(
    `wrote ${out}: ${description.name} — ${description.townships.length} townships, ${villages} villages, ${residents.toLocaleString("en-US")} residents, ${description.countyHospitals.length} county hospitals, ${description.communities.length} medical communities\n`,
  );
  return 0;
}
