import type { CalendlyClient } from '../calendly/calendly-client';
import { CalendlyError } from '../calendly/calendly.error';
import type { CalendlyInvitee, CalendlyScheduledEvent } from '../calendly/calendly.types';
import type { IncomingEventRow } from '../db/queries/insert-incoming-events';
import type { RejectedRecord } from '../db/queries/insert-rejected-records';
import { toEventRow, toInviteeRow, type EventRow, type InviteeRow } from './staging-rows';
import { SyncError } from './sync.error';
import type { SyncWindow } from './sync-window';
import { eventRejection, inviteeRejection, refusal, type RejectionReason } from './validate-records';

/** Where fetched records go, a batch at a time, as they arrive (memory stays flat). */
export interface FetchSink {
  events(rows: IncomingEventRow[]): Promise<void>;
  invitees(rows: InviteeRow[]): Promise<void>;
  rejected(records: RejectedRecord[]): Promise<void>;
  /** Takes back a listed event (and what was written of its invitees): Calendly no longer has it. */
  forgetEvent(eventUri: string): Promise<void>;
}

export interface FetchCounts {
  eventsFetched: number;
  inviteesFetched: number;
  recordsRejected: number;
  /** Accepted events whose invitees were not read again: their staged lists are current. */
  inviteeReadsSkipped: number;
}

/**
 * Of one page of accepted events, those whose staged invitee lists are current (metrics.md §6,
 * incremental run). Without one, every event's invitees are read (a full run).
 */
export type CurrentInviteeLists = (page: readonly EventRow[]) => Promise<ReadonlySet<string>>;

export interface FetchOptions {
  organization: string;
  window: SyncWindow;
  /** Invitee fetches queued ahead of the client's in-flight cap, so it never idles between event pages. */
  maxPendingInvitees: number;
  /** Invitee rows gathered before one bulk write. */
  inviteeBatchSize?: number;
  /** Set for an incremental run. */
  currentInviteeLists?: CurrentInviteeLists;
  signal?: AbortSignal;
  onProgress?: (counts: FetchCounts) => void;
}

/**
 * Reads every scheduled event in the window and the invitees of each (of each new, changed or
 * settling one in an incremental run), validating as it goes. Invitee reads overlap with the next
 * event pages; the client caps what is actually in flight.
 */
export async function fetchWindow(client: CalendlyClient, sink: FetchSink, options: FetchOptions): Promise<FetchCounts> {
  const counts: FetchCounts = { eventsFetched: 0, inviteesFetched: 0, recordsRejected: 0, inviteeReadsSkipped: 0 };
  const batchSize = options.inviteeBatchSize ?? 1000;
  let inviteeBuffer: InviteeRow[] = [];
  // Writes are chained so they never overlap (PGlite has one connection) and keep their order.
  let writes: Promise<void> = Promise.resolve();
  const write = (task: () => Promise<void>) => {
    writes = writes.then(task);
    // Marked handled here; the failure still reaches whoever awaits the chain.
    writes.catch(() => undefined);
    return writes;
  };
  const reject = (records: RejectedRecord[]) => {
    counts.recordsRejected += records.length;
    return write(() => sink.rejected(records));
  };

  const pending = new Set<Promise<void>>();
  let failure: unknown;
  // Set once the fetch is over (done or failed): reads still in flight stop writing.
  let finished = false;

  const fetchInvitees = async (event: CalendlyScheduledEvent, eventReason: RejectionReason | null) => {
    for await (const page of client.listEventInvitees(event.uri)) {
      if (finished || failure !== undefined || options.signal?.aborted) return;
      counts.inviteesFetched += page.length;
      const refused: RejectedRecord[] = [];
      for (const invitee of page) {
        const reason = inviteeRejection(invitee, eventReason);
        if (reason) refused.push(refusal('invitee', invitee, reason));
        else inviteeBuffer.push(toInviteeRow(invitee as CalendlyInvitee & { email: string }, event.uri));
      }
      if (refused.length > 0) void reject(refused);
      if (inviteeBuffer.length >= batchSize) {
        const batch = inviteeBuffer;
        inviteeBuffer = [];
        await write(() => sink.invitees(batch));
      }
      options.onProgress?.(counts);
    }
  };

  // Deleted in Calendly between the list and this read: a record, never fatal (metrics.md §5).
  // The run then has not read the list completely, so it lands nothing of the event, as if the
  // list had not held it; the merge marks a staged copy gone, and the next run reads it if it is back.
  const forget = async (eventUri: string) => {
    inviteeBuffer = inviteeBuffer.filter((row) => row.event_uri !== eventUri);
    await write(() => sink.forgetEvent(eventUri));
  };

  const schedule = (event: CalendlyScheduledEvent, eventReason: RejectionReason | null) => {
    const task: Promise<void> = fetchInvitees(event, eventReason)
      .catch((error: unknown) => (isNotFound(error) ? forget(event.uri) : Promise.reject(error)))
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  const throwIfStopped = () => {
    if (failure !== undefined) throw failure;
    // The signal's reason says who stopped the run (shutdown, or a lost claim).
    if (options.signal?.aborted) {
      throw options.signal.reason instanceof SyncError ? options.signal.reason : new SyncError('SYNC_ABORTED', 'the sync was aborted');
    }
  };

  try {
    const pages = readAhead(client.listScheduledEvents({
      organization: options.organization,
      minStartTime: options.window.windowStart,
      maxStartTime: options.window.windowEnd,
    }));
    for await (const page of pages) {
      throwIfStopped();
      counts.eventsFetched += page.length;
      const listed = page.map((event) => ({ event, reason: eventRejection(event) }));
      const rows: EventRow[] = [];
      const refused: RejectedRecord[] = [];
      for (const { event, reason } of listed) {
        if (reason) refused.push(refusal('scheduled_event', event, reason));
        else rows.push(toEventRow(event as CalendlyScheduledEvent & { status: string; start_time: string }));
      }
      const current = options.currentInviteeLists ? await options.currentInviteeLists(rows) : NONE_CURRENT;
      // Every other accepted event's invitee list is read below, and a failed read fails the run:
      // in a run that commits, each list marked read was read completely (merge-incoming marks the
      // rest gone). A skipped event still lands, marked unread, so none of its invitees is.
      const accepted: IncomingEventRow[] = rows.map((row) => ({ ...row, invitee_list_read: !current.has(row.uri) }));
      counts.inviteeReadsSkipped += rows.length - accepted.filter((row) => row.invitee_list_read).length;
      await write(() => sink.events(accepted));
      if (refused.length > 0) void reject(refused);
      options.onProgress?.(counts);

      for (const { event, reason } of listed) {
        // A refused event's invitees are refused with it, so they are read too (metrics.md §5);
        // without a uri there is nothing to read them from.
        if (reason === 'missing_uri') continue;
        if (!reason && current.has(event.uri)) continue;
        while (pending.size >= options.maxPendingInvitees) await Promise.race(pending);
        throwIfStopped();
        schedule(event, reason);
      }
    }
    await Promise.all(pending);
    throwIfStopped();
    const rest = inviteeBuffer;
    inviteeBuffer = [];
    await write(() => sink.invitees(rest));
    await writes;
    return counts;
  } finally {
    // On failure, let in-flight reads settle so nothing writes after the caller cleans up.
    finished = true;
    await Promise.allSettled(pending);
    await writes.catch(() => undefined);
  }
}

const NONE_CURRENT: ReadonlySet<string> = new Set();

function isNotFound(error: unknown): boolean {
  return error instanceof CalendlyError && error.failure?.status === 404;
}

/**
 * Requests the next item as soon as the current one is handed out, so the next event page is
 * queued ahead of the invitee reads this page is about to schedule, instead of behind them.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      // Handled here; awaited (and thrown) on the next round.
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
