import type { Database } from '../../src/db/data-source';
import { AlertService } from '../../src/services/alert.service';
import { CustomerService } from '../../src/services/customer.service';
import { startApp, type App } from '../../src/server/start-app';
import { openTestDatabase } from '../helpers/test-db';
import { dataOf, gql, silentLogger, testConfig, type GraphQLResponse } from './support/test-app';

/** A connection as these tests select it: the nodes, and the count and page info when asked for. */
interface Page<Node = { email: string }> {
  totalCount: number;
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

// Rows are seeded with SQL so these tests exercise the API only, not the models.
const CUSTOMERS = `
insert into unified_customers (email, show_rate, calendly_health_points, next_call_date, last_call_date, total_calls_booked,
    calls_completed, calls_no_show, calls_canceled, calls_upcoming, calls_rescheduled, current_no_show_streak,
    assigned_am, assigned_am_email, calendly_quality_points, calendly_score_factors, last_calendly_sync, hubspot_owner_email, is_high_value)
values
    ('alice@acme.test', 90.00, 15, '2030-01-02T10:00:00Z', '2025-01-01T10:00:00Z', 10, 9, 1, 0, 0, 0, 0,
        'Am One', 'Am.One@Corp.test', 40, '[{"score":"health","factor":"show_rate_above_80","points":5}]', '2025-01-05T00:00:00Z', null, null),
    ('bob@acme.test', 40.00, -20, null, '2024-12-01T10:00:00Z', 5, 2, 3, 0, 0, 1, 3,
        'Am Two', 'am.two@corp.test', 15, '[]', '2025-01-05T00:00:00Z', null, null),
    ('carol@globex.test', 40.00, -20, '2030-01-01T10:00:00Z', null, 5, 2, 2, 0, 1, 0, 2,
        'Am One', 'am.one@corp.test', 25, '[]', '2025-01-05T00:00:00Z', null, null),
    ('dan@globex.test', null, -10, null, null, 0, 0, 0, 0, 0, 0, 0,
        null, null, 0, '[]', '2025-01-05T00:00:00Z', null, null),
    ('erin@initech.test', 100.00, 5, '2030-01-03T10:00:00.123456Z', '2025-01-04T10:00:00Z', 3, 3, 0, 0, 0, 0, 0,
        null, null, 40, '[]', '2025-01-05T00:00:00Z', null, null),
    ('frank_x@initech.test', null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, 'owner@corp.test', true)`;

const ALERTS = `
insert into sync_runs (trigger, status, as_of, window_start, window_end, started_at, finished_at)
values ('cli', 'succeeded', '2025-01-05T00:00:00Z', '2024-10-07T00:00:00Z', '2025-04-05T00:00:00Z', '2025-01-05T00:00:00Z', '2025-01-05T00:01:00Z');
insert into customer_alerts (customer_email, alert_type, details, opened_at, last_seen_at, resolved_at, opened_run_id, last_seen_run_id, resolved_run_id)
values
    ('bob@acme.test', 'low_show_rate', '{"show_rate":40}', '2025-01-01T00:00:00Z', '2025-01-05T00:00:00Z', null, 1, 1, null),
    ('bob@acme.test', 'no_show_streak', '{"streak":3}', '2025-01-02T00:00:00Z', '2025-01-05T00:00:00Z', null, 1, 1, null),
    ('bob@acme.test', 'no_show_streak', '{"streak":4}', '2024-11-01T00:00:00Z', '2024-11-05T00:00:00Z', '2024-11-06T00:00:00Z', 1, 1, 1),
    ('carol@globex.test', 'low_show_rate', '{"show_rate":40}', '2025-01-03T00:00:00Z', '2025-01-05T00:00:00Z', null, 1, 1, null),
    ('frank_x@initech.test', 'no_upcoming_calls', '{}', '2025-01-04T00:00:00Z', '2025-01-05T00:00:00Z', null, 1, 1, null)`;

// Bulk rows for paging: repeated values and nulls in every sort column.
const BULK = `
insert into unified_customers (email, show_rate, calendly_health_points, next_call_date, last_call_date, total_calls_booked)
select format('p%s@bulk.test', lpad(i::text, 3, '0')),
       case when i % 5 = 0 then null else (i % 7) * 12.5 end,
       case when i % 6 = 0 then null else (i % 4) * 5 - 10 end,
       case when i % 4 = 0 then null else timestamptz '2030-01-01' + (i % 9) * interval '1 day' + i * interval '1 microsecond' end,
       case when i % 3 = 0 then null else timestamptz '2024-06-01' + (i % 5) * interval '1 hour' end,
       case when i % 8 = 0 then null else i % 6 end
from generate_series(1, 130) as i`;

const CUSTOMER_FIELDS = `email totalCallsBooked callsCompleted callsNoShow callsCanceled callsRescheduled callsUpcoming showRate
  lastCallDate nextCallDate currentNoShowStreak assignedAm assignedAmEmail calendlyOrganizerEmail calendlyQualityPoints
  calendlyHealthPoints scoreFactors { score factor points } lastCalendlySync`;

const ORDER_COLUMNS = {
  SHOW_RATE: 'show_rate',
  HEALTH_POINTS: 'calendly_health_points',
  NEXT_CALL_DATE: 'next_call_date',
  LAST_CALL_DATE: 'last_call_date',
  TOTAL_CALLS_BOOKED: 'total_calls_booked',
} as const;

describe('customer queries over HTTP', () => {
  let db: Database;
  let app: App;

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.dataSource.query(CUSTOMERS);
    await db.dataSource.query(ALERTS);
    await db.dataSource.query(BULK);
    app = await startApp({ config: testConfig(), db, logger: silentLogger() });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  describe('customer(email)', () => {
    it('should return every metric as ISO-8601 dates and numbers when the email differs in case and spaces', async () => {
      // Act
      const response = await gql(app.url, `query($email: String!) { customer(email: $email) { ${CUSTOMER_FIELDS} } }`,
        { email: '  Alice@ACME.test\t' });

      // Assert
      expect(response.errors).toBeUndefined();
      expect(response.data?.customer).toEqual({
        email: 'alice@acme.test', totalCallsBooked: 10, callsCompleted: 9, callsNoShow: 1, callsCanceled: 0,
        callsRescheduled: 0, callsUpcoming: 0, showRate: 90, lastCallDate: '2025-01-01T10:00:00.000Z',
        nextCallDate: '2030-01-02T10:00:00.000Z', currentNoShowStreak: 0, assignedAm: 'Am One',
        assignedAmEmail: 'Am.One@Corp.test', calendlyOrganizerEmail: null, calendlyQualityPoints: 40,
        calendlyHealthPoints: 15, scoreFactors: [{ score: 'health', factor: 'show_rate_above_80', points: 5 }],
        lastCalendlySync: '2025-01-05T00:00:00.000Z',
      });
    });

    it('should return null when the email is unknown', async () => {
      const response = await gql(app.url, '{ customer(email: "nobody@nowhere.test") { email } }');
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ customer: null });
    });

    it('should list open alerts by default and all of them when openOnly is false', async () => {
      const response = await gql<{ customer: { open: { alertType: string }[]; all: unknown[] } }>(app.url, `{ customer(email: "bob@acme.test") {
        open: alerts { alertType resolvedAt } all: alerts(openOnly: false) { alertType resolvedAt } } }`);
      expect(response.errors).toBeUndefined();
      expect(response.data?.customer.open.map((a: { alertType: string }) => a.alertType).sort()).toEqual(['low_show_rate', 'no_show_streak']);
      expect(response.data?.customer.all).toHaveLength(3);
    });
  });

  describe('customers(...)', () => {
    it('should filter by show rate range and open alert type when both are given', async () => {
      const response = await gql(app.url, `{ customers(filter: { showRateMin: 30, showRateMax: 45, hasOpenAlert: "low_show_rate" })
        { totalCount nodes { email } } }`);
      expect(response.errors).toBeUndefined();
      expect(response.data?.customers).toEqual({ totalCount: 2, nodes: [{ email: 'bob@acme.test' }, { email: 'carol@globex.test' }] });
    });

    it('should filter by upcoming call, AM email (case-insensitive) and email substring', async () => {
      const upcoming = await gql<{ customers: Page }>(app.url, `{ customers(filter: { hasUpcomingCall: true, emailContains: "ACME" }) { nodes { email } } }`);
      const am = await gql<{ customers: Page }>(app.url, `{ customers(filter: { assignedAmEmail: "AM.ONE@corp.test" }) { totalCount nodes { email } } }`);
      // An underscore is a literal, not a LIKE wildcard.
      const literal = await gql<{ customers: Page }>(app.url, `{ customers(filter: { emailContains: "k_x" }) { nodes { email } } }`);
      const noUpcoming = await gql<{ customers: Page }>(app.url, `{ customers(filter: { hasUpcomingCall: false, emailContains: "acme" }) { nodes { email } } }`);

      expect(upcoming.data?.customers.nodes).toEqual([{ email: 'alice@acme.test' }]);
      expect(am.data?.customers).toEqual({ totalCount: 2, nodes: [{ email: 'alice@acme.test' }, { email: 'carol@globex.test' }] });
      expect(literal.data?.customers.nodes).toEqual([{ email: 'frank_x@initech.test' }]);
      expect(noUpcoming.data?.customers.nodes).toEqual([{ email: 'bob@acme.test' }]);
    });

    it('should sort with nulls last and ties broken by email when ordering by show rate', async () => {
      const response = await gql<{ customers: Page }>(app.url, `{ customers(filter: { emailContains: ".test" }, orderBy: { field: SHOW_RATE, direction: DESC }, first: 500)
        { nodes { email showRate } } }`);
      const named = dataOf(response).customers.nodes.filter((n: { email: string }) => !n.email.endsWith('@bulk.test'));
      expect(named.map((n: { email: string }) => n.email)).toEqual([
        'erin@initech.test', 'alice@acme.test', 'carol@globex.test', 'bob@acme.test', 'frank_x@initech.test', 'dan@globex.test',
      ]);
    });

    it.each(Object.entries(ORDER_COLUMNS).flatMap(([field, column]) => [
      [field, 'ASC', column], [field, 'DESC', column],
    ]))('should page through every row exactly once in the database order when ordering by %s %s', async (field, direction, column) => {
      // Arrange: the order the same sort gives in one SQL query
      const dir = direction.toLowerCase();
      const expected: { email: string }[] = await db.dataSource.query(
        `select email from unified_customers where email like '%@bulk.test'
         order by ${column} ${dir} nulls last, email ${dir}`);

      // Act: pages of 17 following endCursor
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const response: GraphQLResponse<{ customers: Page }> = await gql(app.url, `query($after: String) { customers(filter: { emailContains: "@bulk.test" },
          orderBy: { field: ${field}, direction: ${direction} }, first: 17, after: $after)
          { totalCount nodes { email } pageInfo { hasNextPage endCursor } } }`, { after });
        expect(response.errors).toBeUndefined();
        const { customers } = dataOf(response);
        expect(customers.totalCount).toBe(130);
        seen.push(...customers.nodes.map((n: { email: string }) => n.email));
        if (!customers.pageInfo.hasNextPage) break;
        after = customers.pageInfo.endCursor;
      }

      // Assert
      expect(seen).toEqual(expected.map((row) => row.email));
    });

    it('should default to 50 rows and cut first down to 500', async () => {
      const byDefault = await gql<{ customers: Page }>(app.url, '{ customers { nodes { email } pageInfo { hasNextPage } } }');
      const capped = await gql<{ customers: Page }>(app.url, '{ customers(first: 100000) { nodes { email } } }');
      expect(byDefault.data?.customers.nodes).toHaveLength(50);
      expect(byDefault.data?.customers.pageInfo.hasNextPage).toBe(true);
      expect(capped.data?.customers.nodes).toHaveLength(136);
    });

    it('should load the alerts of a whole page with one query when Customer.alerts is selected', async () => {
      // Arrange
      const batch = jest.spyOn(AlertService.prototype, 'findByCustomerEmails');

      // Act
      const response = await gql<{ customers: Page<{ email: string; alerts: unknown[] }> }>(app.url,
        '{ customers(first: 100) { nodes { email alerts { alertType } } } }');

      // Assert
      expect(response.errors).toBeUndefined();
      expect(batch).toHaveBeenCalledTimes(1);
      expect(batch.mock.calls[0][0]).toHaveLength(100);
      const bob = dataOf(response).customers.nodes.find((n: { email: string }) => n.email === 'bob@acme.test');
      expect(bob?.alerts).toHaveLength(2);
    });

    it('should answer BAD_USER_INPUT when the cursor is forged or belongs to another order', async () => {
      const first = await gql<{ customers: Page }>(app.url, '{ customers(orderBy: { field: SHOW_RATE, direction: ASC }, first: 2) { pageInfo { endCursor } } }');
      const cursor = first.data?.customers.pageInfo.endCursor as string;
      const otherOrder = await gql(app.url, '{ customers(orderBy: { field: HEALTH_POINTS, direction: ASC }, after: $c) { totalCount } }'
        .replace('$c', JSON.stringify(cursor)));
      const forged = await gql(app.url, `{ customers(orderBy: { field: SHOW_RATE, direction: ASC }, after: ${JSON.stringify(
        Buffer.from(JSON.stringify({ f: 'SHOW_RATE', d: 'ASC', v: "1); drop table x; --", e: 'a' })).toString('base64url'))}) { totalCount } }`);
      const garbage = await gql(app.url, '{ customers(after: "not a cursor") { totalCount } }');

      for (const response of [otherOrder, forged, garbage]) expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it.each([
      ['NEXT_CALL_DATE', '2024-13-45T99:99:99.000000Z'],
      ['LAST_CALL_DATE', '2024-02-30T10:00:00.000000Z'],
    ])('should answer BAD_USER_INPUT when an %s cursor holds a timestamp that is not a date (%s)', async (field, value) => {
      const cursor = Buffer.from(JSON.stringify({ f: field, d: 'ASC', v: value, e: 'a@b.test' })).toString('base64url');
      const response = await gql(app.url, `query($after: String) { customers(orderBy: { field: ${field}, direction: ASC }, after: $after)
        { nodes { email } } }`, { after: cursor });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('should answer BAD_USER_INPUT naming the field when a filter value is out of range', async () => {
      const response = await gql(app.url, '{ customers(filter: { showRateMin: 101, hasOpenAlert: "nope" }) { totalCount } }');
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.validationErrors?.map((e: { property: string }) => e.property).sort())
        .toEqual(['filter.hasOpenAlert', 'filter.showRateMin']);
    });
  });

  describe('alerts(...)', () => {
    it('should list open alerts newest first, filter by type and page by cursor', async () => {
      const open = await gql<{ alerts: Page<unknown> }>(app.url, '{ alerts { totalCount nodes { customerEmail alertType openedAt resolvedAt details } } }');
      const all = await gql<{ alerts: Page<unknown> }>(app.url, '{ alerts(openOnly: false) { totalCount } }');
      const typed = await gql<{ alerts: Page<{ customerEmail: string }> }>(app.url, '{ alerts(type: "low_show_rate", first: 1) { totalCount nodes { customerEmail } pageInfo { hasNextPage endCursor } } }');
      const next = await gql(app.url, `{ alerts(type: "low_show_rate", first: 1, after: ${JSON.stringify(typed.data?.alerts.pageInfo.endCursor)})
        { nodes { customerEmail } pageInfo { hasNextPage } } }`);

      expect(open.errors).toBeUndefined();
      expect(open.data?.alerts.totalCount).toBe(4);
      expect(open.data?.alerts.nodes[0]).toEqual({ customerEmail: 'frank_x@initech.test', alertType: 'no_upcoming_calls',
        openedAt: '2025-01-04T00:00:00.000Z', resolvedAt: null, details: {} });
      expect(all.data?.alerts.totalCount).toBe(5);
      expect(typed.data?.alerts).toMatchObject({ totalCount: 2, nodes: [{ customerEmail: 'carol@globex.test' }], pageInfo: { hasNextPage: true } });
      expect(next.data?.alerts).toEqual({ nodes: [{ customerEmail: 'bob@acme.test' }], pageInfo: { hasNextPage: false } });
    });

    it('should answer BAD_USER_INPUT naming type when the alert type is unknown', async () => {
      const response = await gql(app.url, '{ alerts(type: "bogus") { totalCount } }');
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', validationErrors: [{ property: 'type' }] });
    });
  });

  describe('limits and errors', () => {
    it('should refuse a query whose estimated cost is too high', async () => {
      const page = 'customers(first: 500) { nodes { email showRate alerts(openOnly: false) { id alertType details openedAt } } }';
      const query = `{ ${Array.from({ length: 6 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
      const response = await gql(app.url, query);
      expect(response.status).toBe(400);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    });

    it('should hide the cause and answer INTERNAL_SERVER_ERROR when a service fails unexpectedly', async () => {
      // Arrange
      jest.spyOn(CustomerService.prototype, 'findByEmail').mockRejectedValue(
        new Error('relation "secret_table" does not exist: select password from users'));

      // Act
      const response = await gql(app.url, '{ customer(email: "alice@acme.test") { email } }');

      // Assert
      expect(response.errors?.[0]).toEqual({ message: 'Internal server error', path: ['customer'],
        locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(response)).not.toContain('secret');
    });

    it('should answer GRAPHQL_VALIDATION_FAILED when a field does not exist', async () => {
      const response = await gql(app.url, '{ customer(email: "a") { nope } }');
      expect(response.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    });
  });
});
