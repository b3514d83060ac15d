import { parseSimulatorArgs } from '../../../src/simulator/cli';

describe('parseSimulatorArgs', () => {
  it('should default to 1000 events and seed 1 when no flag is given', () => {
    expect(parseSimulatorArgs([])).toEqual({ events: 1000, seed: 1 });
  });

  it('should read every flag into the simulator options, faults grouped', () => {
    // Act
    const options = parseSimulatorArgs([
      '--events', '10', '--seed', '7', '--port', '4010', '--host', '0.0.0.0', '--latency', '30', '--rate-limit', '500',
      '--retry-after', '--api-key', 'k', '--now', '2026-03-01T12:00:00Z', '--lookback-days', '90', '--lookahead-days', '30',
      '--no-invalid-records', '--error-rate', '0.1', '--malformed-rate', '0.2', '--stall-rate', '0.3', '--stall-ms', '400',
    ]);

    // Assert
    expect(options).toEqual({
      events: 10, seed: 7, port: 4010, host: '0.0.0.0', latencyMs: 30, rateLimitPerMinute: 500, retryAfterHeader: true,
      apiKey: 'k', now: new Date('2026-03-01T12:00:00Z'), lookbackDays: 90, lookaheadDays: 30, invalidRecords: false,
      faults: { errorRate: 0.1, malformedRate: 0.2, stallRate: 0.3, stallMs: 400 },
    });
  });

  it('should take a value written as --flag=value', () => {
    expect(parseSimulatorArgs(['--events=25', '--api-key=secret'])).toMatchObject({ events: 25, apiKey: 'secret' });
  });

  it.each([
    ['an unknown flag', ['--evnets', '10']],
    ['a number that is not one', ['--events', 'many']],
    ['a flag without its value', ['--seed']],
    ['a stray argument', ['10']],
    ['a timestamp that is not one', ['--now', 'yesterday']],
  ])('should refuse %s with INVALID_ARGUMENTS', (_case, argv) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENTS' }));
  });

  it('should answer --help with the usage', () => {
    expect(() => parseSimulatorArgs(['--help'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
