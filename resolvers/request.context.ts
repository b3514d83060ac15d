import DataLoader from 'dataloader';
import type { CustomerAlert } from '../entities';
import type { AlertService } from '../src/services/alert.service';

/**
 * Per-request state the resolvers share: the batch loaders, so a page's `Customer.alerts` is one
 * statement and nothing cached outlives the request. Declared beside the resolvers, which use it,
 * so server/ (which builds one per request) imports resolvers/ and never the reverse.
 */
export interface AppContext {
  loaders: {
    customerAlerts(openOnly: boolean): DataLoader<string, CustomerAlert[]>;
  };
}

export function createContext(alerts: AlertService): AppContext {
  const byOpenOnly = new Map<boolean, DataLoader<string, CustomerAlert[]>>();
  return {
    loaders: {
      customerAlerts(openOnly) {
        let loader = byOpenOnly.get(openOnly);
        if (!loader) {
          loader = new DataLoader(async (emails) => {
            const found = await alerts.findByCustomerEmails(emails, openOnly);
            return emails.map((email) => found.get(email) ?? []);
          });
          byOpenOnly.set(openOnly, loader);
        }
        return loader;
      },
    },
  };
}
