import "server-only";
import { hash } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { apiTokens } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";
import { isWellFormedToken } from "@/lib/domain/api-token";
import { log } from "@/lib/log";
import {
  LAST_USED_EVERY_MS,
  malformedToken,
  tokenPrincipal,
  tokenRefusal,
  unknownToken,
  type TokenRow,
} from "../tokens/token-principal";

interface TokenEntry {
  row: TokenRow;
  principal: Principal;
  lastUsedMs: number;
}

const UNKNOWN_LIMIT = 10_000;

/** The same digest as hashToken (lib/domain/api-token.ts); the tests authenticate through both. */
const sha256Hex = (token: string): string => hash("sha256", token, "hex");

/**
 * Every token by its SHA-256, in memory, so that a delivery read costs no query. Refused for the
 * same reasons as authenticateToken (tokenRefusal), turned into the same principal. A change
 * notice makes the map stale: requests wait for the reload rather than trust it meanwhile.
 */
export class TokenCache {
  private byHash = new Map<string, TokenEntry>();
  // Hashes the database did not know at the last look; a reload forgets them, so a token created
  // on another instance is found as soon as its notice arrives (or at once, by the query below).
  private unknown = new Set<string>();
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private failed = false;
  private failure: unknown = null;
  private readonly pendingLastUsed = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    flushEveryMs = 5_000,
  ) {
    this.flushTimer = setInterval(() => void this.flush(), flushEveryMs);
    this.flushTimer.unref();
  }

  /** Loads the map; call once before serving. */
  load(): Promise<void> {
    this.markStale();
    return this.reloading ?? Promise.resolve();
  }

  /** Something changed in api_tokens: reload, and make lookups wait until it is done. */
  markStale(): void {
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = this.reloadUntilCurrent().finally(() => {
      this.reloading = null;
    });
  }

  /**
   * The principal of a bearer value, synchronously when the map is current (the common case:
   * no promise, no extra turn of the event loop), else a promise. Throws ServiceError on refusal.
   */
  authenticate(bearer: string, nowMs: number): Principal | Promise<Principal> {
    if (this.reloading || this.failed) return this.whenCurrent().then(() => this.authenticate(bearer, Date.now()));
    if (!isWellFormedToken(bearer)) throw malformedToken();
    // hashToken's SHA-256 in one call: createHash's stream object costs more than the rest of a hit.
    const hash = sha256Hex(bearer);
    const entry = this.byHash.get(hash);
    if (entry === undefined) return this.lookUp(hash, nowMs);
    return this.admit(entry, nowMs);
  }

  /** Writes pending "last used" times now (also done every few seconds). */
  async flush(): Promise<void> {
    if (this.pendingLastUsed.size === 0) return;
    const batch = [...this.pendingLastUsed];
    this.pendingLastUsed.clear();
    try {
      for (const [id, at] of batch) {
        await this.db
          .update(apiTokens)
          .set({ lastUsedAt: at })
          .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, at))));
      }
    } catch (err) {
      log.warn({ err }, "could not record when tokens were last used");
    }
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flush();
  }

  private admit(entry: TokenEntry, nowMs: number): Principal {
    const refusal = tokenRefusal(entry.row, nowMs);
    if (refusal) throw refusal;
    if (nowMs - entry.lastUsedMs > LAST_USED_EVERY_MS) {
      entry.lastUsedMs = nowMs;
      this.pendingLastUsed.set(entry.row.id, new Date(nowMs));
    }
    return entry.principal;
  }

  // A token the map does not hold may have been created an instant ago on another instance.
  private async lookUp(hash: string, nowMs: number): Promise<Principal> {
    if (this.unknown.has(hash)) throw unknownToken();
    const [row] = await this.db.select().from(apiTokens).where(eq(apiTokens.secretHash, hash));
    if (!row) {
      if (this.unknown.size >= UNKNOWN_LIMIT) this.unknown.clear();
      this.unknown.add(hash);
      throw unknownToken();
    }
    const entry = this.entryOf(row, this.byHash.get(hash));
    this.byHash.set(hash, entry);
    return this.admit(entry, nowMs);
  }

  private async whenCurrent(): Promise<void> {
    if (this.failed && !this.reloading) this.markStale();
    await this.reloading;
    // With its cause, so that a database outage answers 503 (lib/db/unavailable.ts), not 500.
    if (this.failed) throw new Error("the token table could not be read", { cause: this.failure });
  }

  private async reloadUntilCurrent(): Promise<void> {
    try {
      do {
        this.reloadAgain = false;
        const rows = await this.db.select().from(apiTokens);
        const next = new Map<string, TokenEntry>();
        for (const row of rows) next.set(row.secretHash, this.entryOf(row, this.byHash.get(row.secretHash)));
        this.byHash = next;
        this.unknown = new Set();
      } while (this.reloadAgain);
      this.failed = false;
    } catch (err) {
      // Never fall back on a map that may still hold a revoked token: retry on the next request.
      this.failed = true;
      this.failure = err;
      log.error({ err }, "could not load API tokens for the delivery fast path");
    }
  }

  private entryOf(row: TokenRow, previous: TokenEntry | undefined): TokenEntry {
    const stored = row.lastUsedAt?.getTime() ?? 0;
    return { row, principal: tokenPrincipal(row), lastUsedMs: Math.max(stored, previous?.lastUsedMs ?? 0) };
  }
}
