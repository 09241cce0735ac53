import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "@/lib/auth/permissions";

export const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const resourceName = z.string().regex(NAME_RE, "names are lower-case letters, digits and dashes, up to 63");

export const createTokenInput = z
  .object({
    name: z.string().trim().min(1, "give the token a name").max(100),
    role: z.enum(ROLES),
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "choose at least one scope").max(TOKEN_SCOPES.length),
    services: z.array(resourceName).max(1000).nullable().default(null),
    environments: z.array(resourceName).max(100).nullable().default(null),
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .strict();
export type CreateTokenInput = z.input<typeof createTokenInput>;

/** What the API says about a token: never its secret or hash. */
export const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.string()),
  services: z.array(z.string()).nullable(),
  environments: z.array(z.string()).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type TokenView = z.infer<typeof tokenView>;
