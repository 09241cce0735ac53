import { route } from "@/lib/api/route";
import { verifyAuditChain } from "@/lib/server/audit/verify-audit-chain";

// GET /api/v1/audit/verify — recomputes the hash chain and says whether it is intact.
export const GET = route({ permission: "audit:read" }, ({ principal }) =>
  verifyAuditChain({ principal, input: undefined }),
);
