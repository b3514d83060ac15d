import type { Database } from '../../src/db/data-source';
import { startApp, type App } from '../../src/server/start-app';
import { openTestDatabase } from '../helpers/test-db';
import { gql, silentLogger, testConfig } from './support/test-app';

type Nodes = { nodes: unknown[] };

const aliases = (count: number, selection: string) => Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ');

describe('query pricing: every document priced before it runs', () => {
  let db: Database;
  let app: App;

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.dataSource.query(`insert into unified_customers (email, show_rate)
      select format('c%s@cost.test', i), 50 from generate_series(1, 600) as i`);
    app = await startApp({ config: testConfig(), db, logger: silentLogger() });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('should refuse a document too large to price instead of running it unpriced', async () => {
    // Arrange: the reviewer's attack, ten full pages hidden behind 10,001 cheap aliases
    const pages = aliases(10, 'customers(first: 500) { nodes { email showRate alerts { id alertType } } }');
    const padding = Array.from({ length: 10_001 }, (_, i) => `t${i}: __typename`).join(' ');

    // Act
    const response = await gql(app.url, `{ ${pages} ${padding} }`);

    // Assert
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(response.data).toBeUndefined();
  });

  it('should price first: null as the default page it returns', async () => {
    // Arrange: 200 × 50 rows × 3 fields is over the limit; priced as one row each it would not be
    const page = (first: string) => `{ ${aliases(200, `customers${first} { nodes { email showRate } }`)} }`;

    // Act
    const explicitNull = await gql(app.url, page('(first: null)'));
    const absent = await gql(app.url, page(''));
    const fewer = await gql<{ a0: Nodes }>(app.url, `{ ${aliases(100, 'customers(first: null) { nodes { email showRate } }')} }`);

    // Assert
    expect(explicitNull.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(absent.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(fewer.errors).toBeUndefined();
    expect(fewer.data?.a0.nodes).toHaveLength(50);
  });

  it('should price first: null through a variable the same way', async () => {
    const query = `query($n: Int) { ${aliases(200, 'customers(first: $n) { nodes { email showRate } }')} }`;
    const response = await gql(app.url, query, { n: null });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('should price the same document again with the variables of each request', async () => {
    const query = `query($n: Int) { ${aliases(200, 'customers(first: $n) { nodes { email showRate } }')} }`;
    const small = await gql(app.url, query, { n: 1 });
    const large = await gql(app.url, query, { n: null });
    const smallAgain = await gql(app.url, query, { n: 1 });

    expect(small.errors).toBeUndefined();
    expect(large.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(smallAgain.errors).toBeUndefined();
  });

  it('should price totalCount as a scan: a handful of counts per request, not thousands', async () => {
    const handful = await gql<{ a5: { totalCount: number } }>(app.url, `{ ${aliases(6, 'customers(first: 0) { totalCount }')} }`);
    const tooMany = await gql(app.url, `{ ${aliases(7, 'customers(first: 0) { totalCount }')} }`);
    const alertCounts = await gql(app.url, `{ ${aliases(7, 'alerts(first: 0) { totalCount }')} }`);

    expect(handful.errors).toBeUndefined();
    expect(handful.data?.a5.totalCount).toBe(600);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(alertCounts.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('should still answer BAD_USER_INPUT when a variable does not coerce', async () => {
    const response = await gql(app.url, 'query($n: Int) { customers(first: $n) { nodes { email } } }', { n: 'many' });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('should let a full page with alerts and its count through', async () => {
    const response = await gql<{ customers: Nodes }>(app.url, '{ customers(first: 500) { totalCount nodes { email showRate alerts { id alertType } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data?.customers.nodes).toHaveLength(500);
  });
});
