// The demo that `electric-sync dev` runs once the stack is up: a table electrified in the development database,
// and the published electric-sql client (the same harness the acceptance tests use, so what you see here is what CI
// proves) subscribed to it, printing what it receives as you change the table in PostgreSQL.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { insecureToken, startElectricClient, type ElectricClientHandle } from '../test/support/electric-client.ts';

export const demoTable = 'demo_items';

export interface RunningDemo {
  stop(): Promise<void>;
}

export async function startDemo(options: {
  databaseUrl: string;
  serviceUrl: string;
  say: (line: string) => void;
  signal: AbortSignal;
}): Promise<RunningDemo> {
  const { say } = options;
  await waitForService(options.serviceUrl, options.signal);
  await ensureDemoTable(options.databaseUrl, say);

  say('demo: starting the published electric-sql@0.12.1 client (the first run installs it, ~20 s)…');
  const client: ElectricClientHandle = await startElectricClient({
    url: options.serviceUrl,
    token: insecureToken({ sub: 'demo-user' }),
    dbPath: ':memory:',
  });
  await client.connect();
  await client.subscribe({ tablename: demoTable });
  let seen = new Map<string, string>();
  const show = async () => {
    const rows = await client.query<{ id: string; text: string; done: number }>(`select id, text, done from ${demoTable} order by id`);
    const now = new Map(rows.map((row) => [row.id, `${row.text}${row.done ? ' (done)' : ''}`]));
    for (const [id, text] of now) if (seen.get(id) !== text) say(`demo: client has ${id}: ${text}`);
    for (const id of seen.keys()) if (!now.has(id)) say(`demo: client deleted ${id}`);
    seen = now;
  };
  await show();
  say(`demo: change the table and watch the client follow, e.g.`);
  say(`  psql '${options.databaseUrl}' -c "insert into ${demoTable} values (gen_random_uuid(), 'hello', false)"`);
  const timer = setInterval(() => void show().catch(() => {}), 500);
  return {
    async stop() {
      clearInterval(timer);
      await client.close();
    },
  };
}

async function waitForService(serviceUrl: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      if ((await fetch(`${serviceUrl}/api/status`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
}

/** Creates and electrifies the demo table the first time, with two rows. */
async function ensureDemoTable(databaseUrl: string, say: (line: string) => void): Promise<void> {
  const sql = new pg.Client(databaseUrl);
  await sql.connect();
  try {
    const { rowCount } = await sql.query('select 1 from electric.electrified where table_name = $1', [demoTable]);
    if (rowCount) return;
    await sql.query(`
      create table ${demoTable} (id uuid primary key, text text not null, done bool not null);
      call electric.electrify('${demoTable}');
      insert into ${demoTable} values (gen_random_uuid(), 'try local-first sync', false), (gen_random_uuid(), 'run electric-sync dev', true);
    `);
    say(`demo: created and electrified the table ${demoTable}`);
  } finally {
    await sql.end();
  }
}
