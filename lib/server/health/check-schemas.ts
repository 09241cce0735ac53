import { z } from "zod";
import { validateTarget } from "@/lib/domain/health";
import { resourceName } from "../tokens/token-schemas";

const optText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/** A check's settings; shared by the create and update use cases, the API and the console form. */
export const checkSettings = z
  .object({
    name: z.string().trim().regex(/^[a-z0-9][a-z0-9 _.-]{0,62}$/i, "use letters, digits, spaces, dots, dashes; up to 63"),
    kind: z.enum(["http", "tcp"]),
    target: z.string().trim().min(1).max(2000),
    method: z.enum(["GET", "HEAD", "POST", "OPTIONS"]).default("GET"),
    expectedStatusMin: z.number().int().min(100).max(599).default(200),
    expectedStatusMax: z.number().int().min(100).max(599).default(299),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    jsonPath: optText(200),
    jsonExpected: z.string().max(500).nullable().optional(),
    headerName: z.string().trim().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "not a valid header name").nullable().optional(),
    headerValue: z.string().max(2000).nullable().optional(),
    degradedMs: z.number().int().min(1).max(60_000).nullable().optional(),
    intervalSeconds: z.number().int().min(5).max(86_400).default(30),
    failureThreshold: z.number().int().min(1).max(100).default(3),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    const bad = validateTarget(c.kind, c.target);
    if (bad) ctx.addIssue({ code: "custom", path: ["target"], message: `the ${c.kind === "http" ? "URL" : "address"} ${bad}` });
    if (c.expectedStatusMin > c.expectedStatusMax) {
      ctx.addIssue({ code: "custom", path: ["expectedStatusMax"], message: "the highest expected status is below the lowest" });
    }
    if (c.timeoutMs > c.intervalSeconds * 1000) {
      ctx.addIssue({ code: "custom", path: ["timeoutMs"], message: "the timeout must not be longer than the interval" });
    }
    if (c.kind === "tcp" && (c.jsonPath || c.headerName)) {
      ctx.addIssue({ code: "custom", path: ["kind"], message: "JSON expectations and headers apply to HTTP checks only" });
    }
  });

export const createCheckInput = z.object({ service: resourceName, env: resourceName, check: checkSettings });
export const updateCheckInput = z.object({ id: z.uuid(), check: checkSettings });
export const checkIdInput = z.object({ id: z.uuid() });

export type CheckSettings = z.input<typeof checkSettings>;
