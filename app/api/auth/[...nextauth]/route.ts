import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

// GET|POST /api/auth/* — next-auth's OIDC sign-in, callback and sign-out.
const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;

export { handler as GET, handler as POST };
