/**
 * Text width for Noto Sans CJK SC, the charts' one font. Vega has no canvas here and
 * would guess 0.8 em for every character (too narrow for Chinese, too wide for Latin),
 * misplacing axes and clipping labels; and long titles need wrapping before rendering.
 * Advance widths of printable ASCII were measured once with resvg on the Debian
 * fonts-noto-cjk files (per mille of an em); CJK and full-width characters are 1 em.
 */

// Advance widths (‰ em) of U+0020…U+007E, regular and bold.
const ASCII_REGULAR = [224, 323, 474, 555, 555, 921, 680, 278, 338, 338, 467, 555, 278, 347, 278, 392, 555, 555, 555, 555, 555, 555, 555, 555, 555, 555, 278, 278, 555, 555, 555, 474, 946, 601, 657, 608, 688, 589, 552, 689, 728, 293, 492, 646, 543, 812, 723, 742, 633, 742, 635, 582, 599, 721, 585, 878, 573, 531, 586, 338, 392, 338, 555, 559, 606, 563, 618, 487, 620, 554, 321, 564, 607, 275, 275, 552, 284, 926, 610, 606, 620, 620, 388, 468, 356, 607, 521, 802, 498, 521, 475, 338, 270, 338, 555];
const ASCII_BOLD = [227, 370, 574, 590, 590, 963, 740, 325, 378, 378, 507, 590, 325, 370, 325, 387, 590, 590, 590, 590, 590, 590, 590, 590, 590, 590, 325, 325, 590, 590, 590, 514, 1007, 638, 681, 619, 714, 615, 585, 717, 757, 330, 525, 686, 578, 853, 749, 770, 667, 770, 682, 606, 625, 748, 630, 915, 627, 580, 599, 378, 387, 378, 590, 567, 626, 591, 644, 499, 644, 581, 360, 597, 640, 304, 306, 604, 315, 964, 641, 626, 644, 644, 436, 495, 399, 637, 576, 863, 562, 574, 511, 378, 296, 378, 590];

/** Width in pixels of `text` at `fontSize`. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? ASCII_BOLD : ASCII_REGULAR;
  let permille = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) permille += table[c - 0x20];
    else if (c === 0x2013) permille += 540; // –
    else if (c === 0x2014) permille += 830; // —
    else if (c === 0x2212) permille += bold ? 590 : 555; // −
    else if (c === 0x2713) permille += 700; // ✓
    else if (c < 0x2000) permille += 600; // other Latin, accents
    else permille += 1000; // CJK, full-width punctuation, arrows, ≥ ≈ ×
  }
  return (permille / 1000) * fontSize;
}

/**
 * Break `text` into lines no wider than `maxWidth` pixels: at spaces for Latin text,
 * between any two characters for Chinese (never before closing punctuation).
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = "";
  // Tokens: a Latin word with its following spaces, or one CJK character.
  const tokens = text.match(/[\u2e80-\uffff](?:[，。；：、）》」』！？,.;:)]*)|[^\s\u2e80-\uffff]+\s*|\s+/gu) ?? [];
  for (const tok of tokens) {
    const next = line + tok;
    if (line && textWidth(next.trimEnd(), fontSize, bold) > maxWidth) {
      lines.push(line.trimEnd());
      line = tok.trimStart();
    } else line = next;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [""];
}
