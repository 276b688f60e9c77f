import { describe, expect, it } from "vitest";
import { markdownTable, markdownText } from "../sim/cli/format";
import { csvField, csvText } from "../sim/output";

describe("CSV cells a spreadsheet would run as formulas are neutralised (OWASP CSV injection)", () => {
  it("text beginning with = + - @ tab or CR gets a leading '", () => {
    expect(csvField('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csvField("+SUM(A1:A2)")).toBe("'+SUM(A1:A2)");
    expect(csvField("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvField("@SUM(1)")).toBe("'@SUM(1)");
    expect(csvField("\tx")).toBe("'\tx");
  });
  it("numbers and text that is a plain number stay as they are (exact values read back)", () => {
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField("-0.5")).toBe("-0.5");
    expect(csvField("-1.5e-7")).toBe("-1.5e-7");
    expect(csvField("+3")).toBe("+3");
    expect(csvField("-0")).toBe("-0");
    expect(csvField("-Infinity")).toBe("-Infinity");
    expect(csvField("2019-03")).toBe("2019-03");
    expect(csvField("<=")).toBe("<=");
    expect(csvText(["a", "b"], [["=1+1", 2]])).toBe("a,b\n'=1+1,2\n");
  });
});

describe("Markdown carries a title's HTML as text", () => {
  it("escapes what would start a tag or an entity, in text and table cells; comparison signs stay", () => {
    expect(markdownText('<img src=x onerror="alert(1)"> &amp; <!-- x --> & co')).toBe('&lt;img src=x onerror="alert(1)"> &amp;amp; &lt;!-- x --> & co');
    expect(markdownTable(["<b>x</b>"], [["a|b"], [">= 65%", "< 8%"]], ["left", "left"])).toBe("| &lt;b>x&lt;/b> |\n|:---|:---|\n| a\\|b |\n| >= 65% | < 8% |\n");
  });
});
