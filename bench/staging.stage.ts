import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../src/db/data-source';
import { insertIncomingInvitees } from '../src/db/queries/insert-incoming-invitees';
import { mergeIncoming } from '../src/db/queries/merge-incoming';
import { generateDataset } from '../src/simulator/dataset.generator';
import { toInviteeRow, type InviteeRow } from '../src/sync/staging-rows';
import { collectGarbage, ratio, seconds, type BenchReport } from './bench-result';
import { createBenchDatabase, databaseUrl, dropBenchDatabase, finishRun, insertRun, openMigrated } from './bench-db';

const STAGE = 'staging';
const ROWS = 200_000;
const BATCH = 1000;
const COLUMNS = ['uri', 'event_uri', 'email', 'name', 'status', 'is_rescheduled', 'old_invitee_uri', 'new_invitee_uri',
  'no_show_uri', 'no_show_marked_at', 'canceled_at', 'created_at', 'updated_at', 'raw', 'last_seen_run_id'] as const;

/**
 * 200k realistic invitee rows: the simulator's generator (1.3 invitees per event, cancellations,
 * reschedules, no-shows, mixed-case emails) mapped by the sync's own toInviteeRow, repeated with
 * distinct uris until there are enough.
 */
function inviteeRows(): InviteeRow[] {
  const dataset = generateDataset({ seed: 23, events: 40_000, invalidRecords: false, now: new Date() });
  const base: InviteeRow[] = [];
  for (const event of dataset.events) {
    for (const invitee of dataset.inviteesByEvent.get(event.uri) ?? []) {
      if (typeof invitee.email === 'string' && invitee.email.trim() !== '') base.push(toInviteeRow(invitee as never, event.uri));
    }
  }
  const rows: InviteeRow[] = [];
  for (let copy = 0; rows.length < ROWS; copy += 1) {
    for (const row of base) {
      if (rows.length >= ROWS) break;
      if (copy === 0) { rows.push(row); continue; }
      const uri = `${row.uri}-${copy}`;
      const eventUri = `${row.event_uri}-${copy}`;
      rows.push({ ...row, uri, event_uri: eventUri, raw: { ...(row.raw as object), uri, event: eventUri } });
    }
  }
  return rows;
}

/** The service's staging path: pages into the scratch table in batches of 1000, then one merge transaction. */
async function loadThroughStaging(db: Database, runId: number, rows: readonly InviteeRow[]): Promise<{ insertS: number; mergeS: number }> {
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await insertIncomingInvitees(db.dataSource, runId, rows.slice(i, i + BATCH));
  const insertS = seconds(started);
  const mergeStarted = performance.now();
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await mergeIncoming(runner, runId, { windowStart: new Date(0), windowEnd: new Date(0) }); // no event list read
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
  return { insertS, mergeS: seconds(mergeStarted) };
}

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The floor: COPY of the same typed rows (raw jsonb included) into a table shaped and indexed like the landing table. */
async function copyRows(url: string, runId: number, rows: readonly InviteeRow[]): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table bench_copy_invitees (like calendly_event_invitees including all)');
    const started = performance.now();
    function* chunks(): Generator<string> {
      for (let i = 0; i < rows.length; i += BATCH) {
        let chunk = '';
        for (const row of rows.slice(i, i + BATCH)) {
          const record = row as unknown as Record<string, unknown>;
          chunk += `${COLUMNS.map((c) => copyField(c === 'last_seen_run_id' ? runId : record[c])).join('\t')}\n`;
        }
        yield chunk;
      }
    }
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy bench_copy_invitees (${COLUMNS.join(', ')}) from stdin`)));
    const elapsed = seconds(started);
    const [{ count }] = (await client.query('select count(*)::int as count from bench_copy_invitees')).rows;
    if (count !== rows.length) throw new Error(`COPY loaded ${count} rows, expected ${rows.length}`);
    return elapsed;
  } finally {
    await client.end();
  }
}

export async function stagingStage(report: BenchReport): Promise<void> {
  const rows = inviteeRows();
  const name = await createBenchDatabase('staging');
  const db = await openMigrated(name);
  try {
    const now = new Date();
    const firstRun = await insertRun(db, now, now, now);
    const first = await loadThroughStaging(db, firstRun, rows);
    await finishRun(db, firstRun);
    const [{ count }] = await db.dataSource.query('select count(*)::int as count from calendly_event_invitees');
    if (count !== rows.length) throw new Error(`staging merged ${count} rows, expected ${rows.length}`);
    collectGarbage();
    const copyS = await copyRows(databaseUrl(name), firstRun, rows);
    collectGarbage();
    // BENCH_STAGING_RESYNC=1: a second run over the same 200k, where every row conflicts (same updated_at, so each is rewritten).
    const second = process.env.BENCH_STAGING_RESYNC === '1'
      ? await (async () => { const run = await insertRun(db, now, now, now); return loadThroughStaging(db, run, rows); })()
      : undefined;
    report.detail('staging', { rows: rows.length, batch: BATCH, first, second, copyS });

    const firstS = first.insertS + first.mergeS;
    const r = ratio(firstS, copyS);
    report.add({
      stage: STAGE, figure: `${rows.length.toLocaleString('en-US')} invitees, insert-incoming + merge (new rows)`,
      value: rows.length / firstS, unit: 'rows/s', baseline: rows.length / copyS, baselineLabel: 'COPY, same rows and indexes',
      ratio: r, target: 'ratio <= 3', pass: r <= 3,
      note: `${firstS.toFixed(1)} s (${first.insertS.toFixed(1)} s jsonb_to_recordset inserts in ${rows.length / BATCH} batches + ${first.mergeS.toFixed(1)} s merge) vs COPY ${copyS.toFixed(1)} s; ratio is time over time`,
    });
    if (second) {
      const secondS = second.insertS + second.mergeS;
      report.add({
        stage: STAGE, figure: 'same 200k again (every row conflicts)',
        value: rows.length / secondS, unit: 'rows/s', baseline: rows.length / copyS, baselineLabel: 'COPY, same rows and indexes',
        ratio: ratio(secondS, copyS), target: '', pass: null,
        note: `${secondS.toFixed(1)} s (${second.insertS.toFixed(1)} s inserts + ${second.mergeS.toFixed(1)} s merge)`,
      });
    }
  } finally {
    await db.close();
    await dropBenchDatabase(name);
  }
}
