// Prints one closing line over both test runners: "tests: N passed, N failed, N skipped".
import { readFileSync } from "node:fs";

let passed = 0, failed = 0, skipped = 0;
const [vitestFile, playwrightFile] = process.argv.slice(2);

const v = JSON.parse(readFileSync(vitestFile, "utf8"));
passed += v.numPassedTests;
failed += v.numFailedTests;
skipped += v.numPendingTests + v.numTodoTests;

const p = JSON.parse(readFileSync(playwrightFile, "utf8"));
passed += p.stats.expected + p.stats.flaky;
failed += p.stats.unexpected;
skipped += p.stats.skipped;

console.log(`\nvitest: ${v.numPassedTests} passed; playwright: ${p.stats.expected + p.stats.flaky} passed`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
