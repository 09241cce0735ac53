import { route } from "@/lib/api/route";
import { parseLastEventId } from "@/lib/server/events/sse";
import { openEventStream } from "@/lib/server/events/open-event-stream";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";

// Next must not render or cache this: it is one long response per client.
export const dynamic = "force-dynamic";

// GET /api/v1/events — server-sent events of the changes the caller may see; Last-Event-ID replays.
export const GET = route({ permission: "config:read" }, async ({ req, principal, meta }) => {
  const lastEventId = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  const stream = await openEventStream({
    principal,
    lastEventId,
    signal: req.signal,
    // A token revoked or expired while its stream is open loses the stream at the next heartbeat.
    stillAllowed: bearer ? () => authenticateToken(bearer).then(() => true) : undefined,
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: Next's gzip would otherwise buffer the stream; X-Accel-Buffering: nginx too.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "x-request-id": meta.requestId ?? "",
    },
  });
});
