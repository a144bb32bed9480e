// The `electric-sync` executable: one binary, three subcommands. Each subcommand's module owns its flags and help.

interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: string[]): Promise<number>;
}

const commands: Readonly<Record<string, Command>> = {
  runtime: {
    summary: 'run the sync service (configured by environment variables)',
    help: `Usage: electric-sync runtime

Runs the sync service: it replicates changes out of PostgreSQL, serves local-first clients over the Satellite
WebSocket protocol at /ws and an HTTP API under /api, and writes client transactions back to PostgreSQL.

It takes no flags: like Electric 0.x it is configured only by environment variables (DATABASE_URL, AUTH_MODE,
AUTH_JWT_ALG, AUTH_JWT_KEY, HTTP_PORT, LOGICAL_PUBLISHER_HOST, …). See the configuration reference in README.md.
Invalid settings are all reported at once, and the process exits with status 1 before opening any port.
SIGTERM or SIGINT shuts it down gracefully.`,
    run: async () => {
      const { runRuntime } = await import('../runtime/src/main.ts');
      return runRuntime({ env: process.env });
    },
  },
  operator: {
    summary: 'run the Kubernetes operator that reconciles ElectricSync resources',
    help: '', // the operator's own usage(), which lists every flag with its environment variable
    run: async (args) => {
      const { runOperator } = await import('../operator/src/main.ts');
      return runOperator({ env: process.env, argv: args });
    },
  },
  dev: {
    summary: 'run a local PostgreSQL and the sync service against it, for development',
    help: `Usage: electric-sync dev [--no-demo] [--pg-port PORT] [--http-port PORT] [--publisher-port PORT]

Starts (or reuses) a local development PostgreSQL whose data lives in .dev/postgres (git-ignored), with
wal_level=logical, then the sync service against it in insecure auth mode, and prints every URL you need.
Unless --no-demo is given, it also runs a demo: it electrifies a table demo_items and connects the published
electric-sql client to the service, printing the rows the client receives as you change the table.
Ctrl-C stops everything and leaves nothing running.

Options:
  --no-demo              skip the demo table and client
  --pg-port PORT         port for the development PostgreSQL (default 54321, or a free one if taken)
  --http-port PORT       HTTP_PORT for the sync service (default 5133)
  --publisher-port PORT  LOGICAL_PUBLISHER_PORT (default 5433)
  -h, --help             show this help`,
    run: async (args) => {
      const { runDev } = await import('./dev.ts');
      return runDev(args);
    },
  },
};

const topLevelHelp = `Usage: electric-sync <command> [options]

Postgres ⇄ local-first sync service (Electric 0.x compatible) and its Kubernetes operator.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run \`electric-sync <command> --help\` for a command's details.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(`${topLevelHelp}\n`);
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`electric-sync: unknown command "${name}"\n\n${topLevelHelp}\n`);
    return 2;
  }
  if ((rest.includes('-h') || rest.includes('--help')) && command.help !== '') {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  // The runtime takes no flags (environment variables only); dev and operator parse their own.
  if (name === 'runtime' && rest.length > 0) {
    process.stderr.write(`electric-sync ${name}: unexpected arguments: ${rest.join(' ')}\n\n${command.help}\n`);
    return 2;
  }
  return command.run(rest);
}

