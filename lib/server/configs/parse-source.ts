import "server-only";
import { parseConfigSource, type ConfigFormat } from "@/lib/domain/parse-config-source";
import { ServiceError } from "../errors";

/** Parses a layer's source, or throws the error a caller should see (413 for size, 422 otherwise). */
export function parseOrThrow(content: string, format: ConfigFormat) {
  const parsed = parseConfigSource(content, format);
  if (parsed.ok) return parsed;
  if (parsed.kind === "too_large") {
    throw new ServiceError("too_large", parsed.errors[0]?.message ?? "The document is larger than 1 MiB.", {
      errors: parsed.errors,
    });
  }
  const what = {
    syntax: `The ${format.toUpperCase()} is malformed`,
    too_deep: "The document is nested too deeply",
    forbidden_key: "The document uses a forbidden key",
    not_object: "The document must be a mapping of keys to values",
    nul_character: "The document contains a NUL character",
  }[parsed.kind];
  const first = parsed.errors[0];
  const at = first?.line ? ` at line ${first.line}, column ${first.column}` : "";
  throw new ServiceError("invalid", `${what}${at}: ${first?.message ?? ""}`.trim(), { errors: parsed.errors });
}
