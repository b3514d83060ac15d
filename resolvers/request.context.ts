import type { CustomerAlert } from '../../entities';
import type { AlertService } from '../services/alert.service';
import { BatchLoader } from './batch-loader';

/** Per-request state: the batch loaders, so their caches never outlive one request. */
export interface AppContext {
  loaders: {
    customerAlerts(openOnly: boolean): BatchLoader<string, CustomerAlert[]>;
  };
}

export function createContext(alerts: AlertService): AppContext {
  const byOpenOnly = new Map<boolean, BatchLoader<string, CustomerAlert[]>>();
  return {
    loaders: {
      customerAlerts(openOnly) {
        let loader = byOpenOnly.get(openOnly);
        if (!loader) {
          loader = new BatchLoader((emails) => alerts.findByCustomerEmails(emails, openOnly), () => []);
          byOpenOnly.set(openOnly, loader);
        }
        return loader;
      },
    },
  };
}
