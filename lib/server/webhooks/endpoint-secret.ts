import "server-only";
import { decryptSecret, encryptSecret } from "@/lib/domain/secret-crypto";
import { masterKey } from "../secrets/master-key";

// Bound to the endpoint and the secret's version, so a sealed secret copied to another row does not open.
const aad = (endpointId: string, version: number) => `nexus-webhook/${endpointId}/${version}`;

export function sealEndpointSecret(endpointId: string, version: number, secret: string): string {
  return encryptSecret(masterKey(), secret, aad(endpointId, version));
}

export function openEndpointSecret(endpoint: { id: string; secretVersion: number; secretCiphertext: string }): string {
  return decryptSecret(masterKey(), endpoint.secretCiphertext, aad(endpoint.id, endpoint.secretVersion));
}
