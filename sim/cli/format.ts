/**
 * Tables for the terminal and Markdown: fixed-width text tables that line up Chinese
 * labels (CJK characters take two terminal columns), ✓/✗ marks, and Markdown tables with
 * a user's text escaped. Numbers are formatted by sim/study/format.ts.
 */

/** Terminal columns taken by a string (East Asian wide / full-width characters count 2). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x300 && c <= 0x36f) || c === 0x200b) continue; // controls, combining marks
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
      (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

export const padRight = (s: string, w: number) => s + " ".repeat(Math.max(0, w - displayWidth(s)));
export const padLeft = (s: string, w: number) => " ".repeat(Math.max(0, w - displayWidth(s))) + s;

export const mark = (met: boolean | null) => (met === null ? "" : met ? "✓" : "✗");

export type Align = "left" | "right";
/** A row of cells, or a horizontal rule. */
export type TableRow = string[] | "rule";

/** Fixed-width text table with a header, column gaps of two spaces, and rules. */
export function textTable(header: string[], rows: TableRow[], align: Align[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => (r === "rule" ? 0 : displayWidth(r[i] ?? "")))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (align[i] === "right" ? padLeft(c, widths[i]) : padRight(c, widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map((r) => (r === "rule" ? rule : line(r)))].join("\n") + "\n";
}

/**
 * Text from a user's file (a scenario title, a name) inside Markdown: what would start
 * an HTML tag, comment or entity (<x, </, <!, <?, &x, &#) is escaped, so a renderer shows
 * a title's HTML instead of running it; comparison signs ("< 8%", ">= 65%") stay readable.
 */
export function markdownText(s: string): string {
  return s.replace(/&(?=[A-Za-z#])/g, "&amp;").replace(/<(?=[A-Za-z/!?])/g, "&lt;");
}

/** GitHub-flavoured Markdown table (rules are dropped; | and HTML in cells escaped). */
export function markdownTable(header: string[], rows: TableRow[], align: Align[]): string {
  const esc = (s: string) => markdownText(s).replace(/\|/g, "\\|");
  const line = (cells: string[]) => `| ${cells.map(esc).join(" | ")} |`;
  const sep = `|${align.map((a) => (a === "right" ? "---:" : ":---")).join("|")}|`;
  return [line(header), sep, ...rows.filter((r): r is string[] => r !== "rule").map(line)].join("\n") + "\n";
}
