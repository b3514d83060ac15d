import http, { type Agent } from 'node:http';
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

/** What a test reads of a GraphQL error; anything else in `extensions` stays unchecked. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; validationErrors?: { property: string }[]; [key: string]: unknown };
}

/** `T` is the shape of `data` a test reads; a test that reads none of it can leave it out. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

/** POSTs one GraphQL operation with global fetch and returns the status plus the parsed body. */
export async function gql<T = Record<string, unknown>>(
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

/** The response's data; a response without any fails the test with its errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (!response.data) throw new Error(`the response has no data: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the request went out on a kept-alive socket an earlier request had used. */
  reusedSocket: boolean;
}

/**
 * One request with node:http, so a test controls what fetch would not let it (the `Host` and
 * `Origin` headers, the keep-alive socket through `agent`).
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'), reusedSocket: request.reusedSocket }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The GraphQL error code of a raw response's body, if it has one. */
export function errorCode(response: RawResponse): unknown {
  try {
    return (JSON.parse(response.body) as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code;
  } catch {
    return undefined;
  }
}
