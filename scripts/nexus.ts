// npm run nexus -- <command> …  The Nexus command line.
import { parseArgs } from "node:util";
import { runAgent } from "./nexus-agent";
import { runBackup, runRestore } from "./nexus-backup";
import { CliError, runImport } from "./nexus-import";

const USAGE = `Usage:
  npm run nexus -- import DIR [--dry-run] [--message TEXT] [--url URL --token TOKEN]
  npm run nexus -- agent --file FILE --service S --env E --url URL [--token TOKEN] [--interval SECONDS] [--once]
  npm run nexus -- backup [--out FILE] [--url URL --token TOKEN]
  npm run nexus -- restore FILE [--dry-run] [--url URL --token TOKEN]

  Imports DIR/<service>/<environment>.(yaml|yml|json|env), DIR/<service>/base.* and
  DIR/shared.(yaml|yml|json). Prints what would be created or changed first; unless --dry-run,
  then imports everything in one transaction, or nothing if any file has a problem.

  Without --url it uses this machine's database (DATABASE_URL, or the embedded one in
  NEXUS_DATA_DIR, default ./.data) as the system; with --url it calls a running Nexus with a
  token (--token or NEXUS_TOKEN) that has config:write.

  agent reports FILE (.json, .yaml, .yml or .env) as the config service S runs in environment E:
  at start, whenever the file changes, and every --interval seconds (default 60). The token
  (--token or NEXUS_TOKEN) needs the observed:write scope for S and E. --once reports once and exits.

  backup writes the whole SSOT as one bundle (JSON lines; gzip when FILE ends in .gz) to FILE or
  stdout. restore checks FILE first (format, checksum, audit chain, revision hashes, master key,
  empty target) and prints the report; unless --dry-run it then restores into this empty instance.
  Both use this machine's database, or with --url a running Nexus and an admin token.

Exit codes: 0 done, 1 the report has errors, 2 wrong usage or the import could not run.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      url: { type: "string" },
      token: { type: "string" },
      message: { type: "string", short: "m" },
      file: { type: "string" },
      out: { type: "string", short: "o" },
      service: { type: "string" },
      env: { type: "string" },
      interval: { type: "string" },
      once: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, dir, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === "agent") {
    const token = values.token ?? process.env.NEXUS_TOKEN;
    const interval = Number(values.interval ?? 60);
    if (!values.file || !values.service || !values.env || !values.url || !token) {
      throw new CliError(`agent needs --file, --service, --env, --url and a token (--token or NEXUS_TOKEN).\n\n${USAGE}`);
    }
    if (!Number.isFinite(interval) || interval < 5) throw new CliError("--interval is a number of seconds, at least 5.");
    return runAgent({ file: values.file, service: values.service, env: values.env, url: values.url, token, intervalSeconds: interval, once: values.once });
  }
  if (command === "backup") {
    if (dir) throw new CliError(`backup takes no positional argument; use --out FILE.\n\n${USAGE}`);
    return runBackup({ out: values.out, url: values.url, token: values.token ?? process.env.NEXUS_TOKEN });
  }
  if (command === "restore") {
    if (!dir || rest.length > 0) throw new CliError(`restore takes one bundle file.\n\n${USAGE}`);
    return runRestore({ file: dir, dryRun: values["dry-run"], url: values.url, token: values.token ?? process.env.NEXUS_TOKEN });
  }
  if (command !== "import") throw new CliError(`Unknown command ${command}.\n\n${USAGE}`);
  if (!dir || rest.length > 0) throw new CliError(`import takes one directory.\n\n${USAGE}`);
  return runImport({
    dir,
    dryRun: values["dry-run"],
    url: values.url,
    token: values.token ?? process.env.NEXUS_TOKEN,
    message: values.message,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(e.message);
    } else {
      console.error(e);
    }
    process.exit(2);
  },
);
