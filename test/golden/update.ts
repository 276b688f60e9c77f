/** Deliberately rewrite the golden file. Say why in the commit and in CHANGELOG.md. */
import { writeFileSync } from "node:fs";
import { GOLDEN_FILE, goldenSnapshot } from "./golden";

writeFileSync(GOLDEN_FILE, JSON.stringify(goldenSnapshot(), null, 2) + "\n");
console.log(`wrote ${GOLDEN_FILE} — record the reason in CHANGELOG.md`);
