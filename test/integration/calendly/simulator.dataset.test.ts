import type { CalendlyInvitee } from '../../../src/calendly/calendly.types';
import { generateDataset } from '../../../src/simulator/dataset.generator';
import { NOW } from './calendly-test.helper';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('Calendly simulator dataset', () => {
  const dataset = generateDataset({ seed: 42, events: 3000, now: NOW });
  const invitees = dataset.allInvitees();

  it('should generate an identical dataset when the seed and size are the same', () => {
    const again = generateDataset({ seed: 42, events: 3000, now: NOW });
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(dataset.events));
    expect(JSON.stringify(again.allInvitees())).toBe(JSON.stringify(invitees));
    const other = generateDataset({ seed: 43, events: 3000, now: NOW });
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(dataset.events));
  });

  it('should generate exactly the requested number of events with about 1.3 invitees each', () => {
    expect(dataset.events).toHaveLength(3000);
    expect(invitees.length / 3000).toBeGreaterThan(1.15);
    expect(invitees.length / 3000).toBeLessThan(1.5);
  });

  it('should reuse customers across bookings with case and whitespace variants when emails repeat', () => {
    const emails = invitees.map((i) => i.email).filter((e): e is string => typeof e === 'string');
    const customers = new Set(emails.map((e) => e.trim().toLowerCase()));
    expect(customers.size).toBeLessThan(invitees.length / 2);
    expect(emails.some((e) => e !== e.trim())).toBe(true);
    expect(emails.some((e) => e.trim() !== e.trim().toLowerCase())).toBe(true);
    expect(invitees.some((i) => !('email' in i) || i.email === null)).toBe(true);
  });

  it('should generate group events with 2 to 6 invitees and one-on-one events with one', () => {
    const sizes = dataset.events.map((e) => ({ limit: e.invitees_counter.limit, n: dataset.inviteesByEvent.get(e.uri)!.length }));
    const groups = sizes.filter((s) => s.limit > 1);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((s) => s.n >= 2 && s.n <= 6)).toBe(true);
    expect(sizes.filter((s) => s.limit === 1).every((s) => s.n === 1)).toBe(true);
  });

  it('should link reschedules both ways and cancel the old one-on-one event', () => {
    const old = invitees.filter((i) => i.rescheduled);
    expect(old.length).toBeGreaterThan(0);
    for (const invitee of old) {
      expect(invitee.status).toBe('canceled');
      const replacement = dataset.getInvitee(invitee.new_invitee!)!;
      expect(replacement.old_invitee).toBe(invitee.uri);
      expect(dataset.getEvent(invitee.event)!.status).toBe('canceled');
    }
    const chainOfThree = old.some((i) => dataset.getInvitee(i.new_invitee!)!.rescheduled);
    expect(chainOfThree).toBe(true);
  });

  it('should mark no-shows only on past bookings, after the event ended', () => {
    const noShows = invitees.filter((i): i is CalendlyInvitee & { no_show: object } => i.no_show !== null);
    expect(noShows.length).toBeGreaterThan(0);
    for (const invitee of noShows) {
      const event = dataset.getEvent(invitee.event)!;
      expect(Date.parse(invitee.no_show!.created_at)).toBeGreaterThan(Date.parse(event.end_time));
      expect(Date.parse(invitee.no_show!.created_at)).toBeLessThanOrEqual(NOW.getTime());
      expect(invitee.no_show!.uri).toMatch(/^https:\/\/api\.calendly\.com\/invitee_no_shows\//);
    }
  });

  it('should include canceled events, invitees leaving groups and future bookings', () => {
    expect(dataset.events.some((e) => e.status === 'canceled' && e.cancellation)).toBe(true);
    expect(invitees.some((i) => i.status === 'canceled' && !i.rescheduled && dataset.getEvent(i.event)!.status === 'active')).toBe(true);
    expect(dataset.events.some((e) => Date.parse(e.start_time!) > NOW.getTime())).toBe(true);
  });

  it('should include invalid start times and statuses by default and none when invalidRecords is false', () => {
    const invalid = (ds: typeof dataset) => ds.events.filter((e) =>
      typeof e.start_time !== 'string' || !TIMESTAMP.test(e.start_time) || !['active', 'canceled'].includes(e.status as string));
    const kinds = invalid(dataset).map((e) => (e.start_time === 'tomorrow' ? 'words' : /-02-30/.test(e.start_time!) ? 'feb30' : `status:${e.status}`));
    expect(new Set(kinds)).toEqual(new Set(['words', 'feb30', 'status:undefined', 'status:null', 'status:pending']));
    expect(invalid(generateDataset({ seed: 42, events: 3000, now: NOW, invalidRecords: false }))).toHaveLength(0);
  });

  it('should format every timestamp with microseconds and keep real Calendly URIs', () => {
    const valid = dataset.events.filter((e) => e.start_time !== 'tomorrow' && !/-02-30/.test(e.start_time!));
    expect(valid.every((e) => TIMESTAMP.test(e.start_time!) && TIMESTAMP.test(e.updated_at))).toBe(true);
    expect(invitees.every((i) => TIMESTAMP.test(i.created_at) && i.uri.startsWith(`${i.event}/invitees/`))).toBe(true);
    expect(dataset.events.every((e) => e.uri.startsWith('https://api.calendly.com/scheduled_events/'))).toBe(true);
  });
});

describe('Calendly simulator mutations', () => {
  it('should bump updated_at and change state when a test marks, unmarks, cancels and reschedules', () => {
    // Arrange
    const ds = generateDataset({ seed: 1, events: 0, now: NOW });
    const event = ds.addEvent({ start_time: '2026-02-20T10:00:00.000000Z' });
    const invitee = ds.addInvitee(event.uri, { email: 'carol@example.com' });
    const before = invitee.updated_at;
    // Act + Assert: no-show
    ds.markNoShow(invitee.uri, new Date('2026-02-21T09:00:00Z'));
    expect(invitee.no_show).toMatchObject({ created_at: '2026-02-21T09:00:00.000000Z' });
    expect(invitee.updated_at > before).toBe(true);
    ds.unmarkNoShow(invitee.uri, new Date('2026-02-22T09:00:00Z'));
    expect(invitee.no_show).toBeNull();
    expect(invitee.updated_at).toBe('2026-02-22T09:00:00.000000Z');
    // reschedule
    const moved = ds.reschedule(invitee.uri, new Date('2026-03-10T10:00:00Z'), new Date('2026-02-23T00:00:00Z'));
    expect(invitee).toMatchObject({ status: 'canceled', rescheduled: true, new_invitee: moved.invitee.uri });
    expect(moved.invitee).toMatchObject({ old_invitee: invitee.uri, email: 'carol@example.com', status: 'active' });
    expect(moved.event.start_time).toBe('2026-03-10T10:00:00.000000Z');
    expect(event.status).toBe('canceled');
    // cancel the new event
    ds.cancelEvent(moved.event.uri, new Date('2026-02-24T00:00:00Z'));
    expect(moved.event).toMatchObject({ status: 'canceled', updated_at: '2026-02-24T00:00:00.000000Z', cancellation: { canceler_type: 'host' } });
    expect(moved.invitee.status).toBe('canceled');
    expect(ds.events).toHaveLength(2);
  });
});
