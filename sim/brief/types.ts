/** What the briefing reads from a compare entry (sim/cli/compare.ts CompareEntry). */
import type { Comparison } from "../indicators";

export interface CompareEntryLike {
  name: string;
  title: { zh: string; en: string };
  file: string;
  hash: string;
  year: string;
  seed: number;
  years: number;
  scale: number;
  residents: number;
  indicators: Record<string, { value: number | null; target: number | null; met: boolean | null; comparison?: Comparison | null }>;
}
