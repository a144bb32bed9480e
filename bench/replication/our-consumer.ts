// Child process of decode-throughput.bench.ts: our side of the comparison. Not meant to be run by hand (the bench
// copies a slot for it and passes the arguments), but it can be:
//
//   node bench/replication/our-consumer.ts --url <libpq url> --slot <slot> --publication <pub> --end-lsn <X/Y> \
//        [--marker <prefix>] [--ack]
//
// Runs the real read path — connectToDatabase(…, 'replication') with Electric's display settings, then
// startReplicationStream (pgwire XLogData parse, pgoutput decode, transaction assembly, text → typed values) — and
// iterates transactions until the one carrying the end marker message (or any transaction ending at or past
// --end-lsn). It does nothing with the rows beyond counting them, and acknowledges nothing unless --ack is given
// (pg_recvlogical does not confirm per transaction either; the real consumer does, see --ack).
//
// Prints one JSON line on stdout: timings (from just before connecting to the last transaction received), counts,
// and memory peaks (heap and RSS sampled every 20 ms, plus the kernel's maxRSS for the process).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createLogger } from '../../runtime/src/logging/logger.ts';
import { parseLsn } from '../../runtime/src/pgwire/index.ts';
import { connectToDatabase } from '../../runtime/src/upstream/connect.ts';
import { startReplicationStream } from '../../runtime/src/upstream/replication-stream.ts';
import { testRuntimeConfig } from '../../runtime/src/upstream/testing/test-config.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    slot: { type: 'string' },
    publication: { type: 'string' },
    'end-lsn': { type: 'string' },
    marker: { type: 'string', default: 'electric-sync-bench-end' },
    ack: { type: 'boolean', default: false },
  },
});
if (!values.url || !values.slot || !values.publication || !values['end-lsn']) {
  console.error('usage: our-consumer.ts --url URL --slot SLOT --publication PUB --end-lsn X/Y [--marker P] [--ack]');
  process.exit(2);
}
const endLsn = parseLsn(values['end-lsn']);

let heapPeak = 0;
let rssPeak = 0;
const sample = () => {
  const { heapUsed, rss } = process.memoryUsage();
  if (heapUsed > heapPeak) heapPeak = heapUsed;
  if (rss > rssPeak) rssPeak = rss;
};
sample();
const sampler = setInterval(sample, 20);

const config = await testRuntimeConfig(values.url);
const logger = createLogger({ level: 'error' });

const started = performance.now();
const client = await connectToDatabase(config, 'replication');
const connected = performance.now();
const stream = startReplicationStream({
  client,
  slotName: values.slot,
  publicationName: values.publication,
  startLsn: 0n,
  logger,
});

let transactions = 0;
let rows = 0;
let firstTransactionAt = 0;
let sawMarker = false;
for await (const transaction of stream) {
  if (transactions === 0) firstTransactionAt = performance.now();
  transactions++;
  for (const change of transaction.changes) if (change.kind !== 'truncate') rows++;
  if (values.ack) stream.acknowledge(transaction.endLsn);
  sawMarker = transaction.messages.some((m) => m.prefix === values.marker);
  if (sawMarker || transaction.endLsn >= endLsn) break;
}
const finished = performance.now();
sample();
clearInterval(sampler);
await stream.close();

process.stdout.write(
  `${JSON.stringify({
    seconds: (finished - started) / 1000,
    connectSeconds: (connected - started) / 1000,
    firstTransactionSeconds: firstTransactionAt ? (firstTransactionAt - started) / 1000 : null,
    transactions, // includes the marker transaction
    rows,
    sawMarker,
    heapPeakBytes: heapPeak,
    rssPeakBytes: rssPeak,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
process.exit(0);
