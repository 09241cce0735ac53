import "server-only";
import { max } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, formatPage, type ExportFormat } from "./audit-export-format";
import { auditFilters, auditWhere, type AuditPosition } from "./audit-filters";
import { readAuditPage } from "./list-audit-events";

export const exportAuditInput = auditFilters.extend({ format: z.enum(EXPORT_FORMATS).default("csv") });

const PAGE = 1000;
const encoder = new TextEncoder();

/**
 * The filtered audit trail as CSV or JSON lines, newest first, streamed page by page (the list's
 * keyset), so an export of a million events never sits in memory. It covers the events that
 * existed when it started: later ones have a higher seq than its bound.
 */
export async function exportAuditEvents({ principal, input, tx }: UseCaseArgs<z.input<typeof exportAuditInput>>) {
  authorize(principal, "audit:read");
  const q = exportAuditInput.parse(input);
  auditWhere(q); // bad filters fail here, before any byte is sent
  const db = await reader(tx);
  const [head] = await db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
  const upTo = Number(head?.seq ?? 0);
  let before: AuditPosition | undefined;
  let done = false;
  let first = true;
  const format: ExportFormat = q.format;

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return controller.close();
        const page = await readAuditPage(db, q, before, PAGE, upTo);
        const chunk = formatPage(format, page.items, first);
        first = false;
        before = page.next ?? undefined;
        done = page.next === null;
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (done) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return { stream, contentType: EXPORT_CONTENT_TYPES[format], filename: `nexus-audit-${stamp}.${format}` };
}
