import "server-only";
import { ServiceError } from "../errors";
import type { OBSERVED_FORMATS } from "./report-observed";

type Format = (typeof OBSERVED_FORMATS)[number];

/** The format of a report, from ?format= or the Content-Type; anything else is a clear 415. */
export function observedFormatOf(contentType: string | null, asked: string | null): Format {
  if (asked) {
    if (asked === "json" || asked === "yaml" || asked === "env") return asked;
    throw new ServiceError("unsupported", `?format=${asked} is not a report format: use json, yaml or env.`);
  }
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (/^application\/(?:[\w.+-]+\+)?json$/.test(type)) return "json";
  if (["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"].includes(type)) return "yaml";
  if (["text/x-dotenv", "application/x-dotenv", "text/x-env"].includes(type)) return "env";
  throw new ServiceError(
    "unsupported",
    `Send the report as JSON (application/json), YAML (application/yaml) or dotenv (text/x-dotenv), or name the format with ?format=json|yaml|env${type ? `; ${type} is none of them` : ""}.`,
  );
}
