// npm run nexus -- <command> …  The Nexus command line.
import { parseArgs } from "node:util";
import { CliError, runImport } from "./nexus-import";

const USAGE = `Usage:
  npm run nexus -- import DIR [--dry-run] [--message TEXT] [--url URL --token TOKEN]

  Imports DIR/<service>/<environment>.(yaml|yml|json|env), DIR/<service>/base.* and
  DIR/shared.(yaml|yml|json). Prints what would be created or changed first; unless --dry-run,
  then imports everything in one transaction, or nothing if any file has a problem.

  Without --url it uses this machine's database (DATABASE_URL, or the embedded one in
  NEXUS_DATA_DIR, default ./.data) as the system; with --url it calls a running Nexus with a
  token (--token or NEXUS_TOKEN) that has config:write.

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
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, dir, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
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
