/** A rendered config with its strong ETag, or 304 when the caller already has it (If-None-Match). */
export function configResponse(ifNoneMatch: string | null | undefined, r: { body: string; contentType: string; etag: string }): Response {
  const headers = { etag: r.etag, "cache-control": "private, no-cache", vary: "authorization, cookie" };
  if (ifNoneMatches(ifNoneMatch, r.etag)) return new Response(null, { status: 304, headers });
  return new Response(r.body, { headers: { ...headers, "content-type": r.contentType } });
}

export function ifNoneMatches(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true; // the common case, without allocating
  return header.trim() === "*" || header.split(",").some((t) => t.trim() === etag);
}
