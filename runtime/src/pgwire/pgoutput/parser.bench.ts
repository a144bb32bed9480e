// Microbenchmark for the pgoutput hot path: decode N synthetic Insert messages (8 columns of typical types) and
// report messages per second. Not a test: no assertions, not picked up by the test runner.
//
//   node runtime/src/pgwire/pgoutput/parser.bench.ts [messages=200000] [rounds=7]
//
// Three figures: the pgoutput decode alone, XLogData parsing plus decode (what the replication connection does per
// CopyData payload), and that plus buildRow (text → typed JS values).
import { parseReplicationMessage } from '../replication/parser.ts';
import { buildInsert, buildRelation, text } from '../testing/pgoutput-builders.ts';
import { buildXLogData } from '../testing/replication-builders.ts';
import { createPgoutputDecoder } from './parser.ts';
import { buildRow, PgTypeOid } from './values.ts';

const count = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 7);
const RELATION_OID = 16_384;

const relation = buildRelation({
  relationOid: RELATION_OID,
  namespace: 'public',
  name: 'items',
  columns: [
    { flags: 1, name: 'id', typeOid: PgTypeOid.uuid },
    { name: 'title', typeOid: PgTypeOid.text },
    { name: 'position', typeOid: PgTypeOid.int4 },
    { name: 'counter', typeOid: PgTypeOid.int8 },
    { name: 'done', typeOid: PgTypeOid.bool },
    { name: 'created_at', typeOid: PgTypeOid.timestamptz },
    { name: 'meta', typeOid: PgTypeOid.jsonb },
    { name: 'score', typeOid: PgTypeOid.float8 },
  ],
});

// A few distinct rows, repeated: building N distinct messages with the fixture builder would dominate setup time.
const distinct = Array.from({ length: 1000 }, (_, i) =>
  buildInsert({
    relationOid: RELATION_OID,
    newTuple: [
      text(`a0eebc99-9c0b-4ef8-bb6d-${String(i).padStart(12, '0')}`),
      text(`Item number ${i} — ünïcödé`),
      text(String(i)),
      text(String(9_000_000_000 + i)),
      text(i % 2 === 0 ? 't' : 'f'),
      text(`2024-01-02 03:04:${String(i % 60).padStart(2, '0')}.123456+00`),
      text(`{"tags": ["a", "b"], "owner": "user-${i}", "version": ${i}}`),
      text(String(i / 7)),
    ],
  }),
);
const inserts = Array.from({ length: count }, (_, i) => distinct[i % distinct.length]!);
const payloads = inserts.map((data, i) =>
  buildXLogData({ walStart: BigInt(i), walEnd: BigInt(i), serverTime: 0n, data }),
);
const bytesPerInsert = inserts.reduce((sum, data) => sum + data.length, 0) / count;

function measure(name: string, run: () => void): void {
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run();
    const seconds = (performance.now() - start) / 1000;
    rates.push(count / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  const best = rates[rates.length - 1]!;
  const megabytes = (median * bytesPerInsert) / 1e6;
  console.log(
    `${name.padEnd(34)} median ${format(median)} msgs/s (${megabytes.toFixed(0)} MB/s)   best ${format(best)} msgs/s`,
  );
}

function format(rate: number): string {
  return Math.round(rate).toLocaleString('en-US').padStart(11);
}

let sink = 0;

console.log(
  `${count} Insert messages, 8 columns, ${bytesPerInsert.toFixed(0)} bytes each; ` +
    `${rounds} rounds; node ${process.version}`,
);

measure('pgoutput decode', () => {
  const decoder = createPgoutputDecoder();
  decoder.decode(relation);
  for (const data of inserts) sink += decoder.decode(data).type.length;
});

measure('XLogData + pgoutput decode', () => {
  const decoder = createPgoutputDecoder();
  decoder.decode(relation);
  for (const payload of payloads) {
    const message = parseReplicationMessage(payload);
    if (message.type === 'XLogData') sink += decoder.decode(message.data).type.length;
  }
});

measure('XLogData + decode + buildRow', () => {
  const decoder = createPgoutputDecoder();
  decoder.decode(relation);
  for (const payload of payloads) {
    const message = parseReplicationMessage(payload);
    if (message.type !== 'XLogData') continue;
    const change = decoder.decode(message.data);
    if (change.type === 'Insert') sink += Object.keys(buildRow(change.relation, change.newTuple)).length;
  }
});

if (sink === -1) console.log('unreachable'); // keeps the work observable
