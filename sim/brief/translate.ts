/**
 * Chinese for the briefing's English source and note texts. The scenario and data files
 * write many `source:`/`note:` texts in English; the zh briefing looks each raw text up in
 * data/briefing-zh.yaml (`texts:` English → Chinese) before sourceInWords names the seed
 * documents. A text with no entry is shown as written (the briefing never fails on it);
 * test/brief/zh-text.test.ts lists the missing ones. en is never translated.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { PACKAGE_ROOT } from "../manifest";
import type { Lang } from "../charts/labels";
import { InputError, showValue } from "../scenario/errors";

export const BRIEFING_ZH = join(PACKAGE_ROOT, "data/briefing-zh.yaml");

const tables = new Map<string, Map<string, string>>();

/** The translation table (exact English text → Chinese); empty when the file is absent. */
export function zhTable(path = BRIEFING_ZH): Map<string, string> {
  const cached = tables.get(path);
  if (cached) return cached;
  const table = new Map<string, string>();
  if (existsSync(path)) {
    const doc = parseYaml(readFileSync(path, "utf8")) as { texts?: unknown } | null;
    const texts = doc?.texts ?? {};
    if (texts === null || typeof texts !== "object" || Array.isArray(texts)) throw new InputError([`${path}: texts: must be a mapping of English text → Chinese text`]);
    for (const [k, v] of Object.entries(texts as Record<string, unknown>)) {
      if (typeof v !== "string" || !v.trim()) throw new InputError([`${path}: texts[${showValue(k)}] = ${showValue(v)}: must be a non-empty Chinese text`]);
      table.set(k.trim(), v.trim());
    }
  }
  tables.set(path, table);
  return table;
}

/** A raw source or note text as the briefing shows it in `lang`: translated for zh when the table has it. */
export function translated(text: string, lang: Lang, table: Map<string, string> = zhTable()): string {
  if (lang !== "zh") return text;
  return table.get(text.trim()) ?? text;
}
