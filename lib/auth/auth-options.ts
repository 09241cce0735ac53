import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Principal } from "./permissions";
import { currentRoleMapping, rolesForGroups } from "./role-mapping";
import { recordSignIn } from "@/lib/server/users/record-sign-in";
import { isDemoIdentity } from "@/lib/config/settings";
import { log } from "@/lib/log";

export const OIDC_PROVIDER_ID = "oidc";

interface OidcProfile {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  [claim: string]: unknown;
}

/** Where sign-in happens: the organisation's issuer, or the bundled demo provider (see server.ts). */
function oidcClient() {
  if (!isDemoIdentity()) {
    return {
      issuer: process.env.OIDC_ISSUER!,
      clientId: process.env.OIDC_CLIENT_ID!,
      clientSecret: process.env.OIDC_CLIENT_SECRET!,
    };
  }
  return {
    issuer: process.env.NEXUS_DEMO_IDP_ISSUER ?? "http://127.0.0.1:3001",
    clientId: "nexus-console",
    clientSecret: process.env.NEXUS_DEMO_IDP_CLIENT_SECRET ?? "",
  };
}

function groupsOf(profile: OidcProfile): string[] {
  const claim = profile[process.env.OIDC_GROUPS_CLAIM ?? "groups"];
  return Array.isArray(claim) ? claim.filter((g): g is string => typeof g === "string") : [];
}

export function authOptions(): NextAuthOptions {
  const client = oidcClient();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      {
        id: OIDC_PROVIDER_ID,
        name: "Single sign-on",
        type: "oauth",
        wellKnown: `${client.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        authorization: {
          params: {
            scope: process.env.OIDC_SCOPES ?? "openid profile email groups",
            // The demo provider asks every time, so that one browser can switch between demo users.
            ...(isDemoIdentity() ? { prompt: "login" } : {}),
          },
        },
        idToken: true,
        checks: ["pkce", "state"],
        profile(profile: OidcProfile) {
          return {
            id: profile.sub,
            name: profile.name ?? profile.preferred_username ?? profile.sub,
            email: profile.email ?? null,
          };
        },
      },
    ],
    callbacks: {
      jwt({ token, profile }) {
        if (profile) {
          const p = profile as OidcProfile;
          token.login = p.preferred_username ?? p.email ?? p.sub;
          token.groups = groupsOf(p);
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          name: token.name ?? String(token.login ?? ""),
          email: token.email ?? null,
          login: String(token.login ?? token.sub ?? ""),
          groups: Array.isArray(token.groups) ? (token.groups as string[]) : [],
        };
        return session;
      },
    },
    events: {
      async signIn({ user, profile }) {
        const p = (profile ?? {}) as OidcProfile;
        const groups = groupsOf(p);
        const principal = principalFromUser({ id: user.id, name: user.name ?? user.id, groups });
        try {
          await recordSignIn(principal, {
            id: user.id,
            login: p.preferred_username ?? user.email ?? user.id,
            name: user.name ?? user.id,
            email: user.email ?? null,
            groups,
          });
        } catch (err) {
          log.error({ err, user: user.id }, "could not record sign-in");
        }
      },
    },
  };
}

export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  login: string;
  groups: string[];
}

export function principalFromUser(user: { id: string; name: string; groups: string[] }): Principal {
  return { id: user.id, kind: "user", name: user.name, roles: rolesForGroups(user.groups, currentRoleMapping()) };
}
