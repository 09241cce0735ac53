import pino from "pino";

// One JSON logger per process, to stdout or to NEXUS_LOG_FILE (kept on globalThis so the custom server and the route bundles share it).
const g = globalThis as unknown as { __nexusLog?: pino.Logger };

export const log: pino.Logger =
  g.__nexusLog ??
  (g.__nexusLog = pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { service: "nexus" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "*.token", "*.secret", "*.password"],
      censor: "[redacted]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, process.env.NEXUS_LOG_FILE ? pino.destination({ dest: process.env.NEXUS_LOG_FILE, mkdir: true, sync: true }) : undefined));
