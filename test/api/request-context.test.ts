import type { CustomerAlert } from '../../entities';
import { createContext } from '../../resolvers/request.context';
import type { AlertService } from '../../src/services/alert.service';

describe('createContext: per-request alert loaders', () => {
  const alert = (customerEmail: string) => ({ customerEmail }) as CustomerAlert;
  const fakeAlerts = () => {
    const calls: { emails: readonly string[]; openOnly: boolean }[] = [];
    const service = {
      findByCustomerEmails: async (emails: readonly string[], openOnly: boolean) => {
        calls.push({ emails, openOnly });
        return new Map([['bob@acme.test', [alert('bob@acme.test')]]]);
      },
    } as unknown as AlertService;
    return { calls, service };
  };

  it('should fetch the keys asked for in one turn with one call per openOnly, and [] for a customer without alerts', async () => {
    // Arrange
    const { calls, service } = fakeAlerts();
    const context = createContext(service);

    // Act
    const [bob, alice, again, allOfBob] = await Promise.all([
      context.loaders.customerAlerts(true).load('bob@acme.test'),
      context.loaders.customerAlerts(true).load('alice@acme.test'),
      context.loaders.customerAlerts(true).load('bob@acme.test'),
      context.loaders.customerAlerts(false).load('bob@acme.test'),
    ]);

    // Assert
    expect(calls).toEqual([
      { emails: ['bob@acme.test', 'alice@acme.test'], openOnly: true },
      { emails: ['bob@acme.test'], openOnly: false },
    ]);
    expect([bob, alice, again, allOfBob].map((alerts) => alerts.length)).toEqual([1, 0, 1, 1]);
  });

  it('should share nothing between two requests', async () => {
    const { calls, service } = fakeAlerts();
    await createContext(service).loaders.customerAlerts(true).load('bob@acme.test');
    await createContext(service).loaders.customerAlerts(true).load('bob@acme.test');
    expect(calls).toHaveLength(2);
  });
});
