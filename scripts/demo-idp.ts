// The demo's bundled OpenID Connect provider: a real provider (oidc-provider) with the demo users of
// PRODUCT.md and a groups claim. Started by server.ts only when OIDC_ISSUER is unset; production
// points next-auth at the organisation's own issuer instead.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { type InteractionDetails } from "oidc-provider";

export const DEMO_PASSWORD = "demo";

export interface DemoUser {
  login: string;
  name: string;
  groups: string[];
  role: string;
}

export const DEMO_USERS: DemoUser[] = [
  { login: "admin", name: "Ada Admin", groups: ["nexus-admins"], role: "admin" },
  { login: "olivia", name: "Olivia Operator", groups: ["nexus-operators"], role: "operator" },
  { login: "alice", name: "Alice Approver", groups: ["nexus-approvers"], role: "approver" },
  { login: "bob", name: "Bob Approver", groups: ["nexus-approvers"], role: "approver" },
  { login: "morgan", name: "Morgan Manager", groups: ["nexus-viewers"], role: "viewer (manager)" },
];

export interface DemoIdpOptions {
  port: number;
  consoleUrl: string;
  clientSecret: string;
  cookieKey: string;
  jwk: Record<string, unknown>;
}

export async function startDemoIdp(opts: DemoIdpOptions): Promise<{ issuer: string; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "nexus-console",
        client_secret: opts.clientSecret,
        redirect_uris: [`${opts.consoleUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [opts.consoleUrl],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    scopes: ["openid", "profile", "email", "groups"],
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email", "email_verified"],
      groups: ["groups"],
    },
    // next-auth reads the ID token only: let the groups claim ride in it.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, id: string) => {
      const user = DEMO_USERS.find((u) => u.login === id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: user.login,
          name: user.name,
          preferred_username: user.login,
          email: `${user.login}@nexus.example`,
          email_verified: true,
          groups: user.groups,
        }),
      };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [opts.jwk] },
    cookies: { keys: [opts.cookieKey] },
    ttl: { Session: 8 * 3600, Interaction: 3600, Grant: 8 * 3600, AccessToken: 3600, IdToken: 3600, AuthorizationCode: 60 },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = page("Sign-in error", `<p class="err">${escape(out.error_description ?? out.error ?? "error")}</p>`);
    },
  });
  const oidc = provider.callback();

  const server = createServer((req, res) => {
    const m = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec((req.url ?? "").split("?")[0] ?? "");
    if (!m) return oidc(req, res);
    handleInteraction(provider, req, res, m[2] ?? "").catch((err: unknown) => {
      res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      res.end(page("Sign-in error", `<p class="err">${escape((err as Error).message)}</p><p>Start again from the console.</p>`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", resolve);
  });
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse, action: string) {
  const details = await provider.interactionDetails(req, res);
  if (action === "/abort") {
    return provider.interactionFinished(req, res, { error: "access_denied", error_description: "Sign-in cancelled" }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === "consent") return grantConsent(provider, req, res, details);
  if (action !== "/login" || req.method !== "POST") return sendLoginForm(res, details.uid);

  const form = new URLSearchParams(await readBody(req));
  const login = (form.get("login") ?? "").trim().toLowerCase();
  const user = DEMO_USERS.find((u) => u.login === login);
  if (!user || form.get("password") !== DEMO_PASSWORD) {
    return sendLoginForm(res, details.uid, "Unknown user or wrong password.", login, 401);
  }
  return provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
}

/** The console is the provider's only client: consent is given on the user's behalf. */
async function grantConsent(provider: Provider, req: IncomingMessage, res: ServerResponse, details: InteractionDetails) {
  const accountId = details.session?.accountId ?? "";
  const clientId = String(details.params.client_id ?? "");
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error("The sign-in grant expired.");
  const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(" "));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function sendLoginForm(res: ServerResponse, uid: string, error = "", login = "", status = 200) {
  const users = DEMO_USERS.map((u) => `<li><code>${u.login}</code> — ${escape(u.name)}, ${u.role}</li>`).join("");
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(
    page(
      "Sign in to Nexus",
      `${error ? `<p class="err" role="alert">${escape(error)}</p>` : ""}
      <form method="post" action="/interaction/${uid}/login">
        <label for="login">Username</label>
        <input id="login" name="login" autocomplete="username" required autofocus value="${escape(login)}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
      </form>
      <p><a href="/interaction/${uid}/abort">Cancel</a></p>
      <div class="demo"><strong>Demo identity provider.</strong> Users (password <code>${DEMO_PASSWORD}</code>):<ul>${users}</ul></div>`,
    ),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f1f5f9;color:#0f172a;display:flex;justify-content:center;padding:4rem 1rem;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:2rem;width:100%;max-width:380px;box-shadow:0 1px 3px #0001}
h1{font-size:1.25rem;margin:0 0 1.25rem} label{display:block;font-size:.85rem;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.55rem .7rem;border:1px solid #cbd5e1;border-radius:8px;font-size:1rem}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:8px;background:#4f46e5;color:#fff;font-weight:600;font-size:1rem;cursor:pointer}
button:focus-visible,input:focus-visible{outline:2px solid #4f46e5;outline-offset:2px}
.err{background:#fef2f2;color:#b91c1c;border:1px solid #fecaca;padding:.5rem .75rem;border-radius:8px}
.demo{margin-top:1.5rem;font-size:.85rem;background:#fffbeb;border:1px solid #fde68a;border-radius:8px;padding:.75rem}
.demo ul{margin:.5rem 0 0;padding-left:1.1rem} a{color:#4f46e5}
</style></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      data += chunk;
      if (data.length > 10_000) reject(new Error("The form is too large."));
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
