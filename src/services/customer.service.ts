import type { DataSource } from 'typeorm';
import { UnifiedCustomer, type AlertType } from '../../entities';
import { entityRows, type EntityRows } from './entity-rows';
import { CURSOR_VALUE_CHECKS, clampPageSize, decodeCursor, encodeCursor, type CursorValueType } from './page-cursor';

export interface CustomerFilterValues {
  showRateMin?: number | null;
  showRateMax?: number | null;
  hasOpenAlert?: AlertType | null;
  hasUpcomingCall?: boolean | null;
  assignedAmEmail?: string | null;
  emailContains?: string | null;
}

export type CustomerOrderField = 'EMAIL' | 'SHOW_RATE' | 'HEALTH_POINTS' | 'NEXT_CALL_DATE' | 'LAST_CALL_DATE' | 'TOTAL_CALLS_BOOKED';
export type OrderDirection = 'ASC' | 'DESC';

export interface CustomerOrderValues {
  field: CustomerOrderField;
  direction: OrderDirection;
}

export interface CustomerListRequest {
  filter?: CustomerFilterValues | null;
  orderBy?: CustomerOrderValues | null;
  first?: number | null;
  after?: string | null;
}

export interface CustomerPage {
  nodes: UnifiedCustomer[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Kept so `totalCount` is only counted when a client asks for it. */
  filter: CustomerFilterValues;
}

interface SortColumn {
  column: string;
  /** Exact text form of the value for the cursor: timestamps keep their microseconds. */
  cursorText: string;
  /** The SQL type a cursor's value is cast back to; its text is checked against it first. */
  cast: CursorValueType;
}

const UTC_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const SORT_COLUMNS: Record<Exclude<CustomerOrderField, 'EMAIL'>, SortColumn> = {
  SHOW_RATE: { column: 'c.show_rate', cursorText: 'c.show_rate::text', cast: 'numeric' },
  HEALTH_POINTS: { column: 'c.calendly_health_points', cursorText: 'c.calendly_health_points::text', cast: 'integer' },
  TOTAL_CALLS_BOOKED: { column: 'c.total_calls_booked', cursorText: 'c.total_calls_booked::text', cast: 'integer' },
  NEXT_CALL_DATE: { column: 'c.next_call_date', cursorText: `to_char(c.next_call_date at time zone 'UTC', ${UTC_MICROS})`, cast: 'timestamptz' },
  LAST_CALL_DATE: { column: 'c.last_call_date', cursorText: `to_char(c.last_call_date at time zone 'UTC', ${UTC_MICROS})`, cast: 'timestamptz' },
};

interface CustomerCursor {
  f: CustomerOrderField;
  d: OrderDirection;
  /** Sort value as text, null for a row in the nulls-last tail. */
  v: string | null;
  e: string;
}

const DEFAULT_ORDER: CustomerOrderValues = { field: 'EMAIL', direction: 'ASC' };

/** Collects SQL conditions with positional parameters. */
class SqlConditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  where(extra: string[] = []): string {
    const all = [...this.clauses, ...extra];
    return all.length ? `where ${all.join(' and ')}` : '';
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Reads customers and their call health from `unified_customers` (metrics.md §2). */
export class CustomerService {
  // Raw SQL mapped to entities: the repository's query building and hydration cost more CPU per
  // request than the primary-key lookup itself.
  private readonly rows: EntityRows<UnifiedCustomer>;
  private readonly columns: string;
  private readonly byEmailSql: string;

  constructor(private readonly dataSource: DataSource) {
    this.rows = entityRows(dataSource, UnifiedCustomer);
    this.columns = this.rows.columns('c');
    // calendly_customer_key (migration 000008) is the key the sync stores; on a parameter it is
    // computed once, so the lookup stays a primary-key probe
    this.byEmailSql = `select ${this.columns} from unified_customers c where c.email = calendly_customer_key($1)`;
  }

  /** One customer by email, matched the way the sync keys them: lower(trim(email)). */
  async findByEmail(email: string): Promise<UnifiedCustomer | null> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(this.byEmailSql, [email]);
    return row ? this.rows.map(row) : null;
  }

  /** A keyset-paginated page: nulls last, ties broken by email in the sort's direction. */
  async list(request: CustomerListRequest): Promise<CustomerPage> {
    const filter = request.filter ?? {};
    const order = request.orderBy ?? DEFAULT_ORDER;
    const limit = clampPageSize(request.first ?? undefined, 50);
    const cursor = request.after ? this.parseCursor(request.after, order) : undefined;
    if (limit === 0) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, filter };

    // One statement: the keyset walk returns the whole rows, not keys to fetch again.
    const conditions = this.filterConditions(filter);
    const rows = await this.dataSource.query<(Record<string, unknown> & { email: string; page_v: string | null })[]>(
      this.keysetSql(conditions, order, cursor, limit + 1), conditions.params);

    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      nodes: page.map((row) => this.rows.map(row)),
      pageInfo: {
        hasNextPage: rows.length > limit,
        endCursor: last ? encodeCursor({ f: order.field, d: order.direction, v: last.page_v, e: last.email } satisfies CustomerCursor) : null,
      },
      filter,
    };
  }

  /** How many customers match the filter. */
  async count(filter: CustomerFilterValues): Promise<number> {
    const conditions = this.filterConditions(filter);
    const [row] = await this.dataSource.query<{ count: string }[]>(
      `select count(*) as count from unified_customers c ${conditions.where()}`, conditions.params);
    return Number(row.count);
  }

  private filterConditions(filter: CustomerFilterValues): SqlConditions {
    const sql = new SqlConditions();
    if (filter.showRateMin != null) sql.add(`c.show_rate >= ${sql.param(filter.showRateMin)}`);
    if (filter.showRateMax != null) sql.add(`c.show_rate <= ${sql.param(filter.showRateMax)}`);
    if (filter.hasOpenAlert != null) {
      sql.add(`exists (select 1 from customer_alerts a where a.customer_email = c.email
        and a.alert_type = ${sql.param(filter.hasOpenAlert)} and a.resolved_at is null)`);
    }
    // As of the last sync, like every other figure on the row (next_call_date is always > as_of).
    if (filter.hasUpcomingCall === true) sql.add('c.next_call_date is not null');
    if (filter.hasUpcomingCall === false) sql.add('c.next_call_date is null');
    if (filter.assignedAmEmail != null) {
      sql.add(`lower(c.assigned_am_email) = ${sql.param(filter.assignedAmEmail.trim().toLowerCase())}`);
    }
    if (filter.emailContains != null && filter.emailContains.trim() !== '') {
      sql.add(`c.email like ${sql.param(`%${escapeLike(filter.emailContains.trim().toLowerCase())}%`)}`);
    }
    return sql;
  }

  // Two index-friendly branches, (value, email) over the non-null rows then email over the
  // null tail, each limited, so a deep page costs the same as the first one. The tail is only
  // read when the first branch did not fill the page (a one-time filter on the CTE's count):
  // otherwise a filter the tail never matches would walk the whole email index for nothing.
  private keysetSql(sql: SqlConditions, order: CustomerOrderValues, cursor: CustomerCursor | undefined, take: number): string {
    const dir = order.direction === 'ASC' ? 'asc' : 'desc';
    const op = order.direction === 'ASC' ? '>' : '<';
    const columns = this.columns;
    if (order.field === 'EMAIL') {
      const after = cursor ? [`c.email ${op} ${sql.param(cursor.e)}`] : [];
      return `select ${columns}, null::text as page_v from unified_customers c ${sql.where(after)} order by c.email ${dir} limit ${take}`;
    }

    const sort = SORT_COLUMNS[order.field];
    const tailAfter = cursor && cursor.v === null ? [`c.email ${op} ${sql.param(cursor.e)}`] : [];
    const tail = (extra: string[]) => `select ${columns}, null::text as page_v, null::${sort.cast} as page_sort, 1 as page_tail
      from unified_customers c ${sql.where([`${sort.column} is null`, ...tailAfter, ...extra])}
      order by c.email ${dir} limit ${take}`;
    if (cursor && cursor.v === null) return tail([]);

    const after = cursor
      ? [`(${sort.column}, c.email) ${op} (${sql.param(cursor.v)}::${sort.cast}, ${sql.param(cursor.e)})`]
      : [];
    return `with head as (select ${columns}, ${sort.cursorText} as page_v, ${sort.column} as page_sort, 0 as page_tail
        from unified_customers c ${sql.where([`${sort.column} is not null`, ...after])}
        order by ${sort.column} ${dir}, c.email ${dir} limit ${take})
      select k.* from (select * from head union all (${tail([`(select count(*) from head) < ${take}`])})) k
      order by k.page_tail, k.page_sort ${dir}, k.email ${dir} limit ${take}`;
  }

  private parseCursor(after: string, order: CustomerOrderValues): CustomerCursor {
    return decodeCursor<CustomerCursor>(after, (raw) => raw.f === order.field && raw.d === order.direction
      && typeof raw.e === 'string'
      && (raw.v === null || (typeof raw.v === 'string' && (order.field === 'EMAIL' || CURSOR_VALUE_CHECKS[SORT_COLUMNS[order.field].cast](raw.v)))));
  }
}
