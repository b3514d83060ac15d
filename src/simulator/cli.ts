import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SimulatorError } from './simulator.error';
import { startSimulator, type SimulatorOptions } from './simulator.server';

// `npm run simulator -- --events 10000 --seed 1 --port 4010 --latency 30 --rate-limit 500`
// prints `{"url","organizationUri","apiKey"}` as one JSON line, then serves until SIGINT/SIGTERM.

const USAGE = `usage: simulator [--events N] [--seed N] [--port N] [--latency MS] [--rate-limit PER_MINUTE]
                 [--error-rate F] [--malformed-rate F] [--stall-rate F] [--stall-ms MS] [--api-key KEY]
                 [--now ISO] [--lookback-days N] [--lookahead-days N] [--no-invalid-records] [--retry-after]`;

const FLAGS = {
  events: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  latency: { type: 'string' },
  'rate-limit': { type: 'string' },
  'retry-after': { type: 'boolean' },
  'api-key': { type: 'string' },
  now: { type: 'string' },
  'lookback-days': { type: 'string' },
  'lookahead-days': { type: 'string' },
  'no-invalid-records': { type: 'boolean' },
  'error-rate': { type: 'string' },
  'malformed-rate': { type: 'string' },
  'stall-rate': { type: 'string' },
  'stall-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type NumericFlag = 'events' | 'seed' | 'port' | 'latency' | 'rate-limit' | 'lookback-days' | 'lookahead-days'
  | 'error-rate' | 'malformed-rate' | 'stall-rate' | 'stall-ms';

function invalid(reason: string): SimulatorError {
  return new SimulatorError('INVALID_ARGUMENTS', `${reason}\n${USAGE}`);
}

function readFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS }).values;
  } catch (error) {
    // node:util names the flag that is unknown or lacks its value, or the stray argument.
    throw invalid((error as Error).message);
  }
}

/** The options of `npm run simulator -- …`; throws SimulatorError (INVALID_ARGUMENTS, or USAGE for --help). */
export function parseSimulatorArgs(argv: string[]): SimulatorOptions {
  const values = readFlags(argv);
  if (values.help) throw new SimulatorError('USAGE', USAGE);

  const num = (flag: NumericFlag): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const parsed = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(parsed)) throw invalid(`--${flag} must be a number, got "${raw}"`);
    return parsed;
  };
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) throw invalid('--now must be an ISO-8601 timestamp');

  const faults = withoutUndefined({
    errorRate: num('error-rate'), malformedRate: num('malformed-rate'), stallRate: num('stall-rate'), stallMs: num('stall-ms'),
  });
  return withoutUndefined({
    events: num('events') ?? 1000,
    seed: num('seed') ?? 1,
    port: num('port'),
    host: values.host,
    latencyMs: num('latency'),
    rateLimitPerMinute: num('rate-limit'),
    retryAfterHeader: values['retry-after'],
    apiKey: values['api-key'],
    now,
    lookbackDays: num('lookback-days'),
    lookaheadDays: num('lookahead-days'),
    invalidRecords: values['no-invalid-records'] ? false : undefined,
    faults: Object.keys(faults).length ? faults : undefined,
  });
}

/** Only the options given: a key set to undefined would override a default wherever options are spread. */
function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

async function main(): Promise<void> {
  const simulator = await startSimulator(parseSimulatorArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: simulator.url, organizationUri: simulator.organizationUri, apiKey: simulator.apiKey })}\n`);
  const stop = () => {
    simulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
