import type { SessionUser } from "@/lib/auth/auth-options";

declare module "next-auth" {
  interface Session {
    user: SessionUser;
  }
}
