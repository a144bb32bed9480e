// A test program: runs the replication consumer with a durable sink — each transaction appended to a file and
// fsynced before it is acknowledged — and resumes after the last transaction in that file. Tests kill it with
// SIGKILL and start it again to prove that nothing is lost or delivered twice.
//   node file-sink-consumer.ts <database-url> <slot> <publication> <file>
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createLogger } from '../../logging/logger.ts';
import { startReplicationConsumer } from '../replication-consumer.ts';
import { testRuntimeConfig } from './test-config.ts';

const [databaseUrl, slotName, publicationName, file] = process.argv.slice(2);
if (!databaseUrl || !slotName || !publicationName || !file) throw new Error('usage: file-sink-consumer <url> <slot> <publication> <file>');

const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
const last = lines.at(-1);
const startLsn = last ? BigInt((JSON.parse(last) as { lsn: string }).lsn) : 0n;

const fd = openSync(file, 'a');
const consumer = startReplicationConsumer({
  config: await testRuntimeConfig(databaseUrl),
  slotName,
  publicationName,
  startLsn,
  statusIntervalMs: 100,
  logger: createLogger({ level: 'warning' }),
  handle: async (txn) => {
    const ids = txn.changes.map((change) => (change.kind === 'insert' ? String(change.record.id) : change.kind));
    writeSync(fd, `${JSON.stringify({ lsn: txn.endLsn.toString(), xid: txn.xid, ids })}\n`);
    fsyncSync(fd);
  },
});
process.stdout.write(`started after ${startLsn}\n`);
process.on('SIGTERM', () => void consumer.stop().then(() => closeSync(fd)));
