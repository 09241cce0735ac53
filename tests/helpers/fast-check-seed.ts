// Vitest setup: every fast-check property in the suite runs from a fixed seed, so that `npm test`
// gives the same answer on every run (a random seed once turned CI red on an input the product
// refuses anyway). FUZZ_SEED=random explores new inputs; FUZZ_SEED=<seed> replays a failure
// (fast-check prints the seed and the shrunk counterexample). tests/integration/fuzz-routes.test.ts
// reads the same variable.
import fc from "fast-check";

const asked = process.env.FUZZ_SEED;
if (asked !== "random") fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(asked ?? 20261125) });
