import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { CalendlyClient, type CalendlyClientOptions } from '../../../src/calendly/calendly-client';
import type { Simulator } from '../../../src/simulator/simulator.server';

export const NOW = new Date('2026-03-01T12:00:00.000Z');

/** A pino logger writing into memory, so tests can search what would have been logged. */
export function memoryLogger(): { logger: Logger; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), output: () => chunks.join('') };
}

/** A client pointed at the simulator with test-friendly defaults (fast retries, no pacing). */
export function clientFor(simulator: Simulator, overrides: Partial<CalendlyClientOptions> = {}): CalendlyClient {
  return new CalendlyClient({
    baseUrl: simulator.url,
    apiKey: simulator.apiKey,
    rateLimitPerMinute: 600_000,
    concurrency: 4,
    maxRetries: 3,
    timeoutMs: 5_000,
    retryBaseDelayMs: 5,
    ...overrides,
  });
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<{ pages: T[][]; items: T[] }> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return { pages: all, items: all.flat() };
}

export async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}
