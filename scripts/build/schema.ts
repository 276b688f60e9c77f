/**
 * Write the JSON Schemas of the input files (schema/*.schema.json) from the loader's
 * specs (sim/scenario/json-schema.ts). Committed, so editors find them in a checkout
 * and in the package; test/scenario/json-schema.test.ts fails when they are stale.
 *
 *     node --import tsx scripts/build/schema.ts        (npm run schema)
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaFiles } from "../../sim/scenario/json-schema";

export const SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../schema");

/** The text each file should have. */
export const schemaText = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, schema] of Object.entries(jsonSchemaFiles())) {
    writeFileSync(join(SCHEMA_DIR, name), schemaText(schema));
    process.stderr.write(`wrote schema/${name}\n`);
  }
}
