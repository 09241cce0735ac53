// npm run bench [-- <scenario>…]: runs the named scenarios (default: all of them) one after the
// other. Each scenario is bench/<name>.ts exporting `main()`, and writes its own section of
// bench/RESULTS.md (bench/results-file.ts).
import { existsSync } from "node:fs";
import path from "node:path";

const SCENARIOS = ["delivery", "drift", "health", "health-board", "audit", "backup"];

async function run(names: string[]) {
  for (const name of names) {
    const file = path.join(import.meta.dirname, `${name}.ts`);
    if (!existsSync(file)) throw new Error(`No benchmark scenario "${name}" (expected ${file}). Scenarios: ${SCENARIOS.join(", ")}.`);
    console.log(`\n### bench: ${name}\n`);
    const mod = (await import(file)) as { main: () => Promise<void> };
    await mod.main();
  }
}

const asked = process.argv.slice(2);
const names = asked.length > 0 ? asked : SCENARIOS.filter((n) => existsSync(path.join(import.meta.dirname, `${n}.ts`)));
run(names).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error("\nThe benchmark failed:", err);
    process.exit(1);
  },
);
