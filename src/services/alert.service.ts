import type { DataSource, Repository } from 'typeorm';
import { CustomerAlert, type AlertType } from '../../entities';
import { entityRows, type EntityRows } from './entity-rows';
import { clampPageSize, decodeCursor, encodeCursor } from './page-cursor';

export interface AlertFilterValues {
  openOnly: boolean;
  type?: AlertType | null;
  customerEmail?: string | null;
}

export interface AlertListRequest extends Omit<AlertFilterValues, 'openOnly'> {
  openOnly?: boolean | null;
  first?: number | null;
  after?: string | null;
}

export interface AlertPage {
  nodes: CustomerAlert[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  filter: AlertFilterValues;
}

const MAX_INT4 = 2_147_483_647;

/** Reads call-health alerts (metrics.md §3), newest first. */
export class AlertService {
  private readonly repository: Repository<CustomerAlert>;
  private readonly rows: EntityRows<CustomerAlert>;
  private readonly columns: string;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(CustomerAlert);
    this.rows = entityRows(dataSource, CustomerAlert);
    this.columns = this.rows.columns('a');
  }

  /** A page of alerts, newest (highest id) first, keyset-paginated on id. */
  async list(request: AlertListRequest): Promise<AlertPage> {
    const filter: AlertFilterValues = { openOnly: request.openOnly ?? true, type: request.type, customerEmail: request.customerEmail };
    const limit = clampPageSize(request.first ?? undefined, 50);
    const query = this.filtered(filter).orderBy('alert.id', 'DESC').take(limit + 1);
    if (request.after) query.andWhere('alert.id < :afterId', { afterId: this.parseCursor(request.after) });
    const rows = limit === 0 ? [] : await query.getMany();
    const nodes = rows.slice(0, limit);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor({ id: last.id }) : null },
      filter,
    };
  }

  /** How many alerts match the filter. */
  async count(filter: AlertFilterValues): Promise<number> {
    return this.filtered(filter).getCount();
  }

  /** Alerts of many customers in one query, grouped by email, newest first (the batch behind Customer.alerts). */
  async findByCustomerEmails(emails: readonly string[], openOnly: boolean): Promise<Map<string, CustomerAlert[]>> {
    const grouped = new Map<string, CustomerAlert[]>(emails.map((email) => [email, []]));
    if (emails.length === 0) return grouped;
    // Raw SQL mapped to entities: this runs once per request that selects Customer.alerts.
    const keys = [...new Set(emails)];
    const alerts = (await this.dataSource.query<Record<string, unknown>[]>(
      `select ${this.columns} from customer_alerts a
        where a.customer_email in (${keys.map((_, i) => `$${i + 1}`).join(', ')})${openOnly ? ' and a.resolved_at is null' : ''}
        order by a.opened_at desc, a.id desc`, keys)).map((row) => this.rows.map(row));
    for (const alert of alerts) grouped.get(alert.customerEmail)?.push(alert);
    return grouped;
  }

  private filtered(filter: AlertFilterValues) {
    const query = this.repository.createQueryBuilder('alert');
    if (filter.openOnly) query.andWhere('alert.resolved_at is null');
    if (filter.type) query.andWhere('alert.alert_type = :type', { type: filter.type });
    if (filter.customerEmail) query.andWhere('alert.customer_email = calendly_customer_key(:email)', { email: filter.customerEmail });
    return query;
  }

  private parseCursor(after: string): number {
    return decodeCursor<{ id: number }>(after, ({ id }) => typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 && id <= MAX_INT4).id;
  }
}
