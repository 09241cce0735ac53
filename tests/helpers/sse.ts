/** One parsed server-sent message: its fields as the EventSource algorithm reads them. */
export interface SseMessage {
  id: string | null;
  event: string | null;
  data: string;
  retry: number | null;
  comment: string | null;
  json: { id: number | null; type: string; at: string; payload: Record<string, unknown> } | null;
}

/** Parses server-sent event text (complete messages only; the rest is returned to keep). */
export function parseSse(text: string): { messages: SseMessage[]; rest: string } {
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  const messages = blocks.map((block): SseMessage => {
    const m: SseMessage = { id: null, event: null, data: "", retry: null, comment: null, json: null };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) m.comment = line.slice(1).trim();
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "id") m.id = value;
      else if (field === "event") m.event = value;
      else if (field === "data") data.push(value);
      else if (field === "retry") m.retry = Number(value);
    }
    m.data = data.join("\n");
    if (m.data) m.json = JSON.parse(m.data) as SseMessage["json"];
    return m;
  });
  return { messages, rest };
}

/** Reads a stream of server-sent events in the background; `until` waits for a condition on what came. */
export function readSse(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let raw = "";
  let buffer = "";
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        const parsed = parseSse(buffer + text);
        buffer = parsed.rest;
        messages.push(...parsed.messages);
        wake();
      }
    } catch {
      // cancelled
    } finally {
      ended = true;
      wake();
    }
  })();
  return {
    messages,
    get raw() {
      return raw;
    },
    get ended() {
      return ended;
    },
    /** Changes only (not control messages nor comments). */
    events: () => messages.filter((m) => m.json && !m.json.type.startsWith("stream.")),
    async until(ok: () => boolean, ms = 5_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!ok()) {
        if (ended) throw new Error(`the stream ended before the condition held; got:\n${raw}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the condition did not hold within ${ms} ms; got:\n${raw}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          };
          const t = setTimeout(done, left);
          waiters.add(done);
        });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
