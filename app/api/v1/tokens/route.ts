import { route } from "@/lib/api/route";
import { createToken } from "@/lib/server/tokens/create-token";
import { listTokens } from "@/lib/server/tokens/list-tokens";
import { createTokenInput } from "@/lib/server/tokens/token-schemas";

// GET /api/v1/tokens — every token's metadata (never a secret).
export const GET = route({ permission: "tokens:manage" }, async ({ principal }) => ({
  items: await listTokens({ principal, input: undefined }),
}));

// POST /api/v1/tokens — creates a token; the answer holds its secret, shown this once.
export const POST = route(
  { permission: "tokens:manage", body: createTokenInput, status: 201 },
  ({ principal, body, meta }) => createToken({ principal, input: body, meta }),
);
