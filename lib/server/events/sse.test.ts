import { describe, expect, it } from "vitest";
import { parseLastEventId, sseComment, sseControl, sseEvent } from "./sse";

describe("server-sent event lines", () => {
  it("writes one change as id + one data line + blank line, even with newlines in values", () => {
    const text = sseEvent({ id: 42, type: "config.saved", createdAt: "2026-01-01T00:00:00.000Z", payload: { service: "a", note: "x\ny\r\nz" } });
    expect(text.startsWith("id: 42\ndata: ")).toBe(true);
    expect(text.endsWith("\n\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(4);
    expect(JSON.parse(text.split("\n")[1]!.slice("data: ".length))).toEqual({ id: 42, type: "config.saved", at: "2026-01-01T00:00:00.000Z", payload: { service: "a", note: "x\ny\r\nz" } });
  });

  it("control messages carry an id only when they must move Last-Event-ID", () => {
    expect(sseControl("stream.ready", null).startsWith("data: ")).toBe(true);
    expect(sseControl("stream.resync", 9).startsWith("id: 9\ndata: ")).toBe(true);
  });

  it("comments stay one line", () => {
    expect(sseComment("a\nb")).toBe(": a b\n\n");
  });

  it("reads Last-Event-ID strictly", () => {
    expect(parseLastEventId("17")).toBe(17);
    expect(parseLastEventId(" 17 ")).toBe(17);
    for (const bad of [null, undefined, "", "-1", "1e3", "abc", "9".repeat(16)]) expect(parseLastEventId(bad)).toBeNull();
  });
});
