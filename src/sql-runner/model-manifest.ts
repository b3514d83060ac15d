import { isAbsolute, join } from 'node:path';
import { sqlDir } from '../db/sql-dir';

/** One SQL file the runner executes: `name` is what sync_runs.models records, `path` is relative to sql/ (or absolute). */
export interface ManifestEntry {
  name: string;
  path: string;
}

/** What a run executes, in order: models, then data tests, then the query for the run figures (sql/figures/, not a model: it writes no table). */
export interface ModelManifest {
  models: readonly ManifestEntry[];
  dataTests: readonly ManifestEntry[];
  figures: ManifestEntry;
}

const model = (name: string): ManifestEntry => ({ name, path: `models/${name}.sql` });
const dataTest = (name: string): ManifestEntry => ({ name: `tests/${name}`, path: `tests/${name}.sql` });

/** The explicit model order: staging → intermediate → marts (style.md §11). */
export const MODEL_MANIFEST: ModelManifest = {
  models: [
    model('staging/stg_sync__run_params'),
    model('staging/stg_calendly__scheduled_events'),
    model('staging/stg_calendly__event_invitees'),
    model('intermediate/int_calendly__bookings'),
    model('intermediate/int_customers__call_metrics'),
    model('marts/unified_customers'),
    model('marts/customer_alerts'),
  ],
  dataTests: [
    dataTest('assert_show_rate_between_0_and_100'),
    dataTest('assert_next_call_date_after_as_of'),
    dataTest('assert_last_call_date_not_after_as_of'),
    dataTest('assert_call_counts_add_up'),
    dataTest('assert_one_open_alert_per_customer_and_type'),
  ],
  figures: { name: 'figures/sync_run_figures', path: 'figures/sync_run_figures.sql' },
};

/** Absolute path of a manifest entry's SQL file. */
export function manifestFilePath(entry: ManifestEntry): string {
  return isAbsolute(entry.path) ? entry.path : join(sqlDir(), entry.path);
}
