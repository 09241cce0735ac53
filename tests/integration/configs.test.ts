import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { getLayer } from "@/lib/server/configs/get-layer";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { rollbackLayer } from "@/lib/server/configs/rollback-layer";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { ServiceError } from "@/lib/server/errors";
import { base, configCounts, morgan, olivia, overlay } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { countRows, expectServiceError, query, sleep } from "../helpers/rows";

const YAML_V2 = `# raised for the load test
database:
  host: localhost
  port: 5432
  ssl: false
  max_connections: 40
performance:
  max_workers: 8
`;

describeEachDatabase("config layers: save, conflicts, history", (db) => {
  beforeAll(async () => {
    expect(await seedDemo(db().db)).toBe(true);
  });

  const head = async (ref: ReturnType<typeof overlay> | ReturnType<typeof base>) =>
    (await getLayer({ principal: olivia, input: ref })).head!;
  const layerRevisions = (service: string, env: string) =>
    countRows(
      db(),
      `config_revisions r join config_layers l on l.id = r.layer_id join services s on s.id = l.service_id
       join environments e on e.id = l.environment_id`,
      `s.name = '${service}' and e.name = '${env}'`,
    );

  describe("saving", () => {
    it("writes a new revision with the hash of its value, its parent and the source as written", async () => {
      const before = await head(overlay("grafana", "development"));
      const saved = await saveLayer({
        principal: olivia,
        input: { ...overlay("grafana", "development"), content: YAML_V2, format: "yaml", message: "More connections", baseRevision: before.id },
      });
      const value = { database: { host: "localhost", port: 5432, ssl: false, max_connections: 40 }, performance: { max_workers: 8 } };
      expect(saved.revision).toMatchObject({ number: before.number + 1, parentId: before.id, authorName: "Olivia", message: "More connections" });
      expect(saved.revision.hash).toBe(sha256Hex(canonicalJson(value)));
      const [row] = await query<{ source: string }>(db(), `select source from config_revisions where id = '${saved.revision.id}'`);
      expect(row!.source).toBe(YAML_V2);
      const resolved = await getResolvedConfig({ principal: olivia, input: { service: "grafana", env: "development" } });
      expect(resolved.value).toMatchObject({ database: { max_connections: 40 }, application: { environment: "development" } });
      expect(resolved.revisions.overlay).toEqual({ id: saved.revision.id, number: before.number + 1 });
    });

    it("refuses a stale base revision with 409 and the current head, writing nothing", async () => {
      const current = await head(overlay("grafana", "development"));
      const stale = current.parentId!;
      const counts = await configCounts(db());
      const err = await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("grafana", "development"), content: "a: 1", format: "yaml", message: "late edit", baseRevision: stale } }),
        "conflict",
        /no longer the newest: grafana in development is at r2 .*Reload and re-apply/,
      );
      expect(err.details.currentRevision).toMatchObject({ id: current.id, number: current.number });
      expect(await configCounts(db())).toEqual(counts);
    });

    it("refuses a base revision of another layer as invalid", async () => {
      const other = await head(overlay("grafana", "staging"));
      const counts = await configCounts(db());
      await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("grafana", "development"), content: "a: 1", format: "yaml", message: "wrong base", baseRevision: other.id } }),
        "invalid",
        /belongs to another layer, not to grafana in development/,
      );
      expect(await configCounts(db())).toEqual(counts);
    });

    it("lets exactly one of five concurrent saves on one base revision win, losing no update", async () => {
      const start = await head(overlay("redis", "development"));
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) =>
          saveLayer({ principal: olivia, input: { ...overlay("redis", "development"), content: `attempt: ${n}\n`, format: "yaml", message: `attempt ${n}`, baseRevision: start.id } }),
        ),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(4);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ServiceError);
        expect((r.reason as ServiceError).code).toBe("conflict");
      }
      const end = await head(overlay("redis", "development"));
      expect(end.number).toBe(2);
      expect(end.parentId).toBe(start.id);
      expect(await layerRevisions("redis", "development")).toBe(2);
      const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof saveLayer>>>).value;
      expect(end.id).toBe(winner.revision.id);
    });

    it("rolls back by writing a new revision equal to the old one", async () => {
      const current = await head(overlay("grafana", "development"));
      const [r1] = await query<{ hash: string; source: string }>(db(), `select hash, source from config_revisions where id = '${current.parentId}'`);
      const rolled = await rollbackLayer({ principal: olivia, input: { ...overlay("grafana", "development"), toRevision: 1, baseRevision: current.id } });
      expect(rolled.revision).toMatchObject({ number: current.number + 1, parentId: current.id, message: "Roll back to r1", hash: r1!.hash });
      const resolved = await getResolvedConfig({ principal: olivia, input: { service: "grafana", env: "development" } });
      expect(resolved.value).toMatchObject({ database: { max_connections: 20 } });
      expect(await layerRevisions("grafana", "development")).toBe(3);
    });
  });

  describe("reading the past", () => {
    it("resolves the config at a past time and at a given revision", async () => {
      const first = await head(overlay("vault", "staging"));
      await sleep(30);
      const between = new Date().toISOString();
      await sleep(30);
      await saveLayer({ principal: olivia, input: { ...overlay("vault", "staging"), content: '{"monitoring": {"log_level": "ERROR"}}', format: "json", message: "quieter", baseRevision: first.id } });

      const now = await getResolvedConfig({ principal: olivia, input: { service: "vault", env: "staging" } });
      expect(now.value).toMatchObject({ monitoring: { log_level: "ERROR" } });
      expect(now.value).not.toHaveProperty("database");
      const then = await getResolvedConfig({ principal: olivia, input: { service: "vault", env: "staging", at: between } });
      expect(then.value).toMatchObject({ monitoring: { log_level: "INFO" }, database: { host: "staging-db.nexus.example" } });
      expect(then.revisions.overlay).toEqual({ id: first.id, number: 1 });
      const atRevision = await getResolvedConfig({ principal: olivia, input: { service: "vault", env: "staging", revision: first.id } });
      expect(atRevision.value).toEqual(then.value);
      expect(atRevision.etag).toBe(then.etag);
      expect(atRevision.etag).not.toBe(now.etag);
    });
  });

  describe("protected environments", () => {
    it("refuses a direct save of a production overlay with 409 pointing to a change request", async () => {
      const current = await head(overlay("grafana", "production"));
      const counts = await configCounts(db());
      const err = await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("grafana", "production"), content: "a: 1", format: "yaml", message: "hotfix", baseRevision: current.id } }),
        "conflict",
        /production is protected.*Propose a change request/,
      );
      expect(err.details).toMatchObject({ protected: "production", proposeAt: "/api/v1/change-requests" });
      expect(await configCounts(db())).toEqual(counts);
    });

    it("refuses a base-layer save that would change production's resolved config", async () => {
      const current = await head(base("grafana"));
      const counts = await configCounts(db());
      const content = "service:\n  name: ${service.name}\n  description: Dashboards\n  region: ${var:REGION}\nnew_flag: true\n";
      const err = await expectServiceError(
        saveLayer({ principal: olivia, input: { ...base("grafana"), content, format: "yaml", message: "new flag everywhere", baseRevision: current.id } }),
        "conflict",
        /production is protected/,
      );
      expect(err.details.protected).toBe("production");
      expect(await configCounts(db())).toEqual(counts);
    });
  });

  describe("validation", () => {
    it("refuses a schema violation with the JSON path and its line and column in the YAML", async () => {
      const current = await head(overlay("nexus-backend", "development"));
      const counts = await configCounts(db());
      const content = "database:\n  host: localhost\n  port: eighty\n  ssl: false\n";
      const err = await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("nexus-backend", "development"), content, format: "yaml", message: "typo", baseRevision: current.id } }),
        "invalid",
        /nexus-backend in development is not valid/,
      );
      expect(err.details.errors).toContainEqual(expect.objectContaining({ path: "/database/port", line: 3, column: 3 }));
      expect(await configCounts(db())).toEqual(counts);
    });

    it("refuses an unknown ${var:…} and names it", async () => {
      const current = await head(overlay("elk", "development"));
      const counts = await configCounts(db());
      const err = await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("elk", "development"), content: "endpoint: https://${var:ELK_HOST}/\n", format: "yaml", message: "endpoint", baseRevision: current.id } }),
        "invalid",
        /ELK_HOST/,
      );
      expect(err.details.errors).toContainEqual(expect.objectContaining({ path: "/endpoint", line: 1, column: 1 }));
      expect(await configCounts(db())).toEqual(counts);
    });

    it("refuses an unknown ${secret:…} and names it, though no secret is decrypted to check", async () => {
      const current = await head(overlay("elk", "development"));
      const counts = await configCounts(db());
      await expectServiceError(
        saveLayer({ principal: olivia, input: { ...overlay("elk", "development"), content: "auth:\n  password: ${secret:elk-password}\n", format: "yaml", message: "auth", baseRevision: current.id } }),
        "invalid",
        /unknown secret "elk-password"/,
      );
      expect(await configCounts(db())).toEqual(counts);
    });

    it("refuses a caller without config:write", async () => {
      const current = await head(overlay("elk", "development"));
      const counts = await configCounts(db());
      await expectServiceError(
        saveLayer({ principal: morgan, input: { ...overlay("elk", "development"), content: "a: 1", format: "yaml", message: "viewer edit", baseRevision: current.id } }),
        "forbidden",
        /config:write/,
      );
      expect(await configCounts(db())).toEqual(counts);
    });
  });
});
