import { beforeAll, beforeEach, expect, it } from "vitest";
import { ZodError } from "zod";
import { seedDemo } from "@/lib/db/seed";
import { createService } from "@/lib/server/catalog/create-service";
import { getLayer } from "@/lib/server/configs/get-layer";
import { putSchema } from "@/lib/server/configs/put-schema";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { setSecret } from "@/lib/server/secrets/secrets";
import { admin, configCounts, olivia, overlay } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { expectServiceError } from "../helpers/rows";

const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
  "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
  "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
].join("\n");

async function expectZodError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ZodError);
  expect((err as ZodError).issues.map((i) => i.message).join("; ")).toMatch(message);
}

describeEachDatabase("config bad input: refused clearly, nothing stored", (db) => {
  const ref = overlay("api-gateway", "development");
  let baseRevision = "";
  let counts: Awaited<ReturnType<typeof configCounts>>;

  beforeAll(async () => {
    await seedDemo(db().db);
    baseRevision = (await getLayer({ principal: olivia, input: ref })).head!.id;
  });
  beforeEach(async () => {
    counts = await configCounts(db());
  });
  const save = (content: string, format: "yaml" | "json" | "env" = "yaml") =>
    saveLayer({ principal: olivia, input: { ...ref, content, format, message: "bad input", baseRevision } });
  const nothingStored = async () => expect(await configCounts(db())).toEqual(counts);

  it("malformed YAML: 422 with line and column", async () => {
    const err = await expectServiceError(save("database:\n  host: [localhost\n  port: 5432\n"), "invalid", /The YAML is malformed at line \d+, column \d+/);
    expect(err.details.errors![0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    await nothingStored();
  });

  it("malformed JSON: 422 with line and column", async () => {
    const err = await expectServiceError(save('{\n  "a": 1,\n  "b": }\n', "json"), "invalid", /The JSON is malformed at line 3, column \d+/);
    expect(err.details.errors![0]).toMatchObject({ line: 3 });
    await nothingStored();
  });

  it("a YAML alias bomb: 413 too_large", async () => {
    await expectServiceError(save(ALIAS_BOMB), "too_large", /alias/);
    await nothingStored();
  });

  it("a document over 1 MiB: 413 too_large", async () => {
    const big = `blob: "${"x".repeat(1024 * 1024)}"\n`;
    await expectServiceError(save(big), "too_large", /1 MiB/);
    await nothingStored();
  });

  it("nesting deeper than 64 levels, in YAML and in JSON", async () => {
    const yaml = Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n";
    await expectServiceError(save(yaml), "invalid", /nested too deeply.*deeper than 64/);
    const json = `${'{"a":'.repeat(70)}1${"}".repeat(70)}`;
    await expectServiceError(save(json, "json"), "invalid", /nested too deeply/);
    await nothingStored();
  });

  it.each(["__proto__", "constructor", "prototype"])("the key %s, at the top and nested", async (key) => {
    await expectServiceError(save(`${key}:\n  polluted: true\n`), "invalid", new RegExp(`forbidden key.*"${key}" is not allowed`));
    const err = await expectServiceError(save(`{"outer": {"${key}": {"polluted": true}}}`, "json"), "invalid", /forbidden key/);
    expect(err.details.errors![0]).toMatchObject({ path: `/outer/${key}` });
    await expectServiceError(save(`${key}=1\n`, "env"), "invalid", /forbidden key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await nothingStored();
  });

  it("names outside ^[a-z0-9][a-z0-9-]{0,62}$: service, environment, secret, new service", async () => {
    const names = /names are lower-case letters, digits and dashes/;
    await expectZodError(saveLayer({ principal: olivia, input: { ...ref, service: "API_Gateway", content: "a: 1", format: "yaml", message: "m", baseRevision } }), names);
    await expectZodError(saveLayer({ principal: olivia, input: { ...ref, env: "-dev", content: "a: 1", format: "yaml", message: "m", baseRevision } }), names);
    await expectZodError(setSecret({ principal: olivia, input: { service: "api-gateway", env: "development", name: "DB_PASSWORD", value: "v" } }), names);
    await expectZodError(createService({ principal: olivia, input: { name: "a".repeat(64) } }), names);
    await expectZodError(createService({ principal: olivia, input: { name: "billing api" } }), names);
    await nothingStored();
  });

  it("a schema that is not valid JSON Schema: putSchema refuses it as invalid", async () => {
    await expectServiceError(
      putSchema({ principal: admin, input: { service: "api-gateway", schema: { type: "not-a-type", properties: 5 }, message: "broken", baseVersion: 0 } }),
      "invalid",
      /not a valid JSON Schema/,
    );
    await nothingStored();
  });

  it("the server stays usable: a good save still works afterwards", async () => {
    const saved = await save("gateway:\n  rate_limit: 100\n");
    expect(saved.revision.number).toBe(2);
  });
});
