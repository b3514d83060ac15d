import fc from 'fast-check';
import type { Database } from '../../../src/db/data-source';
import { startSimulator } from '../../../src/simulator/simulator.server';
import { openTestDatabase } from '../../helpers/test-db';
import { coordinatorFor, NOW, syncOnce } from './sync-test.helper';

// metrics.md §5, as a property: whatever real-shaped payloads are made to hold (fields dropped,
// types changed, control characters, U+0000, lone surrogates, huge strings, blank uris), the run
// succeeds, every valid record lands (stored as PostgreSQL can hold it) and every refused one is
// counted and kept. The oracle below knows each mutation's outcome; it does not call the validator.

type Json = Record<string, unknown>;

const NUM_RUNS = 25;

const oddCharacter = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\u0001', '\u001f', '\t', '\n', '\r',
  '\u00a0', '\u200b', '\ufeff', '\u2028', '😀', '\\', '"', '\\u0000', 'é');
const oddString = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(oddCharacter, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 3_000, max: 40_000 }), oddCharacter).map(([n, c]) => `${'h'.repeat(n)}${c}`) },
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString, fc.constant(null), fc.boolean(), fc.integer(), fc.constantFrom(1e20, -1e20, 2 ** 31, 1.5),
  fc.array(oddString, { maxLength: 3 }), fc.dictionary(oddString, oddString, { maxKeys: 3 }),
);

/** A change that leaves the record valid: anywhere but the fields validation reads. */
const benignChange = fc.record({
  at: fc.nat(),
  action: fc.constantFrom('delete', 'replace', 'inject', 'add_key'),
  value: oddValue,
  text: oddString,
});
type BenignChange = typeof benignChange extends fc.Arbitrary<infer T> ? T : never;

interface Breaking { field: string; value: unknown; reason: string }
const unusableUri = fc.constantFrom(undefined, null, 42, {}, '', '   ', '\t\n', '/');
const eventBreaking: fc.Arbitrary<Breaking> = fc.oneof(
  unusableUri.map((value) => ({ field: 'uri', value, reason: 'missing_uri' })),
  fc.constantFrom(undefined, 'tomorrow', '2026-02-30T10:00:00Z', 17).map((value) => ({ field: 'start_time', value, reason: 'invalid_start_time' })),
  fc.constantFrom(undefined, null, 'pending').map((value) => ({ field: 'status', value, reason: 'invalid_status' })),
);
const inviteeBreaking: fc.Arbitrary<Breaking> = fc.oneof(
  unusableUri.map((value) => ({ field: 'uri', value, reason: 'missing_uri' })),
  fc.constantFrom(undefined, null, '', ' \t\r\n', 5).map((value) => ({ field: 'email', value, reason: 'missing_email' })),
  fc.constantFrom('no-at-sign', `${'e'.repeat(300)}@example.com`, `${'e'.repeat(5_000)}@example.com`, 'a\u0000b')
    .map((value) => ({ field: 'email', value, reason: 'invalid_email' })),
);
/** `arbitrary` for about one record in `n`, else nothing. */
const oneIn = <T>(n: number, arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
const mutation = (breaking: fc.Arbitrary<Breaking>) => fc.record({
  breaking: oneIn(5, breaking),
  // a valid email holding characters PostgreSQL cannot store
  oddEmail: oneIn(3, fc.constantFrom('\u0000', '\ud800', '\udfff\u0000')),
  changes: fc.array(benignChange, { maxLength: 3 }),
});

/** Every path below the record's own fields, except the validated ones. */
function paths(value: unknown, protectedKeys: readonly string[], prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys
    .filter((key) => prefix.length > 0 || !protectedKeys.includes(String(key)))
    .flatMap((key) => [[...prefix, key], ...paths((value as Json)[key as string], protectedKeys, [...prefix, key])]);
}

function setOwn(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyChange(record: Json, change: BenignChange, protectedKeys: readonly string[]): void {
  const all = paths(record, protectedKeys);
  if (change.action === 'add_key' && (all.length === 0 || change.at % 4 === 0)) {
    // a new top-level key, never one validation reads
    setOwn(record, protectedKeys.includes(change.text) ? `x${change.text}` : change.text, change.value);
    return;
  }
  if (all.length === 0) return;
  const path = all[change.at % all.length];
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Json)[key as string], record) as Json;
  const key = path[path.length - 1] as string;
  const current = parent[key];
  if (change.action === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (change.action === 'replace') {
    parent[key] = change.value;
  } else if (change.action === 'inject') {
    parent[key] = typeof current === 'string' ? `${current.slice(0, 3)}${change.text}${current.slice(3)}` : change.text;
  } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
    setOwn(current as Json, change.text, change.value);
  } else {
    const holder: Json = {};
    setOwn(holder, change.text, change.value);
    parent[key] = holder;
  }
}

/** What PostgreSQL keeps of a record: U+0000 and lone surrogates as U+FFFD, in values and keys. */
function stored(value: unknown): unknown {
  const fix = (text: string) => (text.split('\u0000').join('\ufffd') as string & { toWellFormed(): string }).toWellFormed();
  if (typeof value === 'string') return fix(value);
  if (Array.isArray(value)) return value.map(stored);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [fix(k), stored(v)]));
  return value;
}

describe('runSync over mutated real-shaped payloads (property, metrics.md §5)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db?.close();
  });

  it('should succeed, land every valid record and count and keep every refused one, whatever the payloads hold', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      // at least 15 events: the generator needs as many customers as its largest group event
      fc.integer({ min: 15, max: 25 }),
      fc.array(mutation(eventBreaking), { minLength: 10, maxLength: 10 }),
      fc.array(mutation(inviteeBreaking), { minLength: 30, maxLength: 30 }),
      async (seed, size, eventMutations, inviteeMutations) => {
        // Arrange: a small generated organisation, mutated in place (the simulator serves these objects)
        await db.dataSource.query('truncate calendly_event_invitees, calendly_scheduled_events');
        const simulator = await startSimulator({ seed, events: size, now: NOW, invalidRecords: false });
        try {
          const expected = { events: [] as Json[], invitees: [] as Json[], refused: [] as string[], read: 0, customers: new Set<string>() };
          let inviteeIndex = 0;
          for (const [eventIndex, event] of (simulator.dataset.events as unknown as Json[]).entries()) {
            const invitees = [...(simulator.dataset.inviteesByEvent.get(event.uri as string) ?? [])] as unknown as Json[];
            // the generator shares frozen parts between records: give each its own copy to change
            for (const record of [event, ...invitees]) Object.assign(record, structuredClone(record));
            const eventMutation = eventMutations[eventIndex % eventMutations.length];
            for (const change of eventMutation.changes) applyChange(event, change, ['uri', 'start_time', 'status']);
            const eventReason = eventMutation.breaking?.reason ?? null;
            if (eventMutation.breaking) setOrDelete(event, eventMutation.breaking);
            if (eventReason) expected.refused.push(`scheduled_event|${eventReason}|${eventReason === 'missing_uri' ? null : event.uri}`);
            else expected.events.push(event);
            if (eventReason === 'missing_uri') continue;

            expected.read += invitees.length;
            for (const invitee of invitees) {
              const m = inviteeMutations[inviteeIndex++ % inviteeMutations.length];
              for (const change of m.changes) applyChange(invitee, change, ['uri', 'email']);
              if (m.oddEmail && typeof invitee.email === 'string') invitee.email = `${invitee.email.slice(0, 1)}${m.oddEmail}${invitee.email.slice(1)}`;
              if (m.breaking) setOrDelete(invitee, m.breaking);
              const generatedWithout = typeof invitee.email !== 'string' || invitee.email.trim() === '' ? 'missing_email' : null;
              const reason = eventReason ?? m.breaking?.reason ?? generatedWithout;
              const uri = m.breaking?.field === 'uri' ? null : invitee.uri;
              if (reason) expected.refused.push(`invitee|${reason}|${uri}`);
              else {
                expected.invitees.push(invitee);
                expected.customers.add((stored(invitee.email) as string).trim().toLowerCase());
              }
            }
          }

          // Act
          const run = await syncOnce(coordinatorFor(db, simulator).coordinator);

          // Assert
          expect(run).toMatchObject({
            status: 'succeeded', error: null, eventsProcessed: simulator.dataset.events.length, inviteesProcessed: expected.read,
            recordsRejected: expected.refused.length, customersUpdated: expected.customers.size,
          });
          const refused: { r: string }[] = await db.dataSource.query(
            `select record_type || '|' || reason || '|' || coalesce(uri, 'null') as r from calendly_rejected_records where run_id = $1`, [run.id]);
          expect(refused.map(({ r }) => r).sort()).toEqual([...expected.refused].sort());
          const landed = (rows: Json[]) => Object.fromEntries(rows.map((row) => [row.uri, row.raw]));
          const served = (records: Json[]) => Object.fromEntries(records.map((record) => [record.uri, stored(record)]));
          const events: Json[] = await db.dataSource.query('select uri, raw from calendly_scheduled_events where gone_at is null');
          expect(landed(events)).toEqual(served(expected.events));
          const invitees: Json[] = await db.dataSource.query('select uri, raw from calendly_event_invitees where gone_at is null');
          expect(landed(invitees)).toEqual(served(expected.invitees));
        } finally {
          await simulator.close();
        }
      },
    // No shrinking: each attempt is a whole sync; the failing seed and path are printed to replay it.
    ), { numRuns: NUM_RUNS, endOnFailure: true });
  }, 300_000);
});

function setOrDelete(record: Json, breaking: Breaking): void {
  if (breaking.value === undefined) delete record[breaking.field];
  else record[breaking.field] = breaking.value;
}
