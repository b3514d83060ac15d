import { loadConfig, type Config } from '../../../src/config/config';
import { createLogger, type Logger } from '../../../src/logging/logger';

/** A config for an in-process server: loopback, port 0, no schedule, quiet logs. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    SYNC_CRON: 'off',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '10000',
    CALENDLY_API_KEY: 'unused-in-tests',
    ...env,
  });
}

export function silentLogger(): Logger {
  return createLogger('silent');
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation with global fetch and returns the status plus the parsed body. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}
