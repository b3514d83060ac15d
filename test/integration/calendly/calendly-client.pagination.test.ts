import type { CalendlyClient } from '../../../src/calendly/calendly-client';
import { startEmptySimulator, startSimulator, type Simulator } from '../../../src/simulator/simulator.server';
import { DAY_MS } from '../../../src/simulator/calendly-time';
import { NOW, clientFor, collect } from './calendly-test.helper';

describe('CalendlyClient pagination against the simulator', () => {
  let simulator: Simulator;
  let client: CalendlyClient;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 7, events: 350, now: NOW, invalidRecords: false });
    client = clientFor(simulator);
  });
  afterAll(async () => {
    client.close();
    await simulator.close();
  });

  it('should return the organisation URI when reading the current user', async () => {
    const user = await client.getCurrentUser();
    expect(user.current_organization).toBe(simulator.organizationUri);
  });

  it('should fetch every event in start order over four pages when 350 events are served 100 at a time', async () => {
    // Arrange
    simulator.resetStats();
    const expected = simulator.dataset.sortedEntries().map((e) => e.event.uri);
    // Act
    const { pages, items } = await collect(client.listScheduledEvents({
      organization: simulator.organizationUri,
      minStartTime: new Date(NOW.getTime() - 100 * DAY_MS),
      maxStartTime: new Date(NOW.getTime() + 100 * DAY_MS),
    }));
    // Assert
    expect(expected).toHaveLength(350);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 100, 50]);
    expect(items.map((e) => e.uri)).toEqual(expected);
    expect(simulator.stats.byPath.events).toBe(4);
  });

  it('should include canceled events when listing, since no status filter is sent', async () => {
    const { items } = await collect(client.listScheduledEvents({
      organization: simulator.organizationUri,
      minStartTime: new Date(NOW.getTime() - 100 * DAY_MS),
      maxStartTime: new Date(NOW.getTime() + 100 * DAY_MS),
    }));
    expect(items.some((e) => e.status === 'canceled')).toBe(true);
  });

  it('should return the invitees of a group event when given its URI', async () => {
    const [eventUri, invitees] = [...simulator.dataset.inviteesByEvent].find(([, list]) => list.length >= 3)!;
    const { items } = await collect(client.listEventInvitees(eventUri));
    expect(items.map((i) => i.uri).sort()).toEqual(invitees.map((i) => i.uri).sort());
  });
});

describe('CalendlyClient pagination of invitees', () => {
  it('should follow invitee pages when an event has more than 100 invitees', async () => {
    // Arrange
    const simulator = await startEmptySimulator({ now: NOW });
    const client = clientFor(simulator);
    const event = simulator.dataset.addEvent({ kindIndex: 3, start_time: '2026-03-05T10:00:00.000000Z' });
    for (let i = 0; i < 230; i += 1) simulator.dataset.addInvitee(event.uri, { email: `p${i}@example.com` });
    try {
      // Act
      const { pages, items } = await collect(client.listEventInvitees(event.uri));
      // Assert
      expect(pages.map((p) => p.length)).toEqual([100, 100, 30]);
      expect(new Set(items.map((i) => i.uri)).size).toBe(230);
    } finally {
      client.close();
      await simulator.close();
    }
  });
});
