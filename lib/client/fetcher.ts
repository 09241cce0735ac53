/** The console's one way to call /api/v1: JSON in and out, problem+json turned into an ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem: { detail?: string; errors?: { path: string; message: string }[]; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetch(path, {
    ...rest,
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    credentials: "same-origin",
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const p = (body ?? {}) as { detail?: string };
    throw new ApiError(res.status, p.detail ?? `Request failed with status ${res.status}`, body as ApiError["problem"]);
  }
  return body as T;
}
