import { route } from "@/lib/api/route";
import { revokeToken } from "@/lib/server/tokens/revoke-token";

// DELETE /api/v1/tokens/{id} — revokes the token at once.
export const DELETE = route({ permission: "tokens:manage" }, ({ principal, params, meta }) =>
  revokeToken({ principal, input: { id: params.id! }, meta }),
);
