import "server-only";
import { parseMasterKey } from "@/lib/domain/secret-crypto";
import { ServiceError } from "../errors";

let cached: { text: string; key: Buffer } | null = null;

/** NEXUS_MASTER_KEY as a 32-byte key (settings were checked at start; tests set it themselves). */
export function masterKey(): Buffer {
  const text = process.env.NEXUS_MASTER_KEY;
  if (!text) throw new ServiceError("unavailable", "NEXUS_MASTER_KEY is not set: secrets cannot be read or written.");
  if (cached?.text !== text) cached = { text, key: parseMasterKey(text) };
  return cached.key;
}

/** Binds a ciphertext to where it belongs, so a sealed value copied elsewhere does not open. */
export function secretAad(serviceId: string, environmentId: string, name: string, version: number): string {
  return `nexus-secret/${serviceId}/${environmentId}/${name}/${version}`;
}
