/** `npm run docs:figures`: rewrite README.md's generated blocks from the committed references. */
import { writeFileSync } from "node:fs";
import { README, generatedBlocks, readmeText, withGeneratedBlocks } from "./figures";

const before = readmeText();
const after = withGeneratedBlocks(before, generatedBlocks());
if (after === before) console.log("README.md: generated figures already current");
else {
  writeFileSync(README, after);
  console.log("README.md: generated figures rewritten — say why in the commit");
}
