import { startSimulator, type SimulatorOptions } from './simulator.server';

// `npm run simulator -- --events 10000 --seed 1 --port 4010 --latency 30 --rate-limit 500`
// prints `{"url","organizationUri","apiKey"}` as one JSON line, then serves until SIGINT/SIGTERM.

const USAGE = `usage: simulator [--events N] [--seed N] [--port N] [--latency MS] [--rate-limit PER_MINUTE]
                 [--error-rate F] [--malformed-rate F] [--stall-rate F] [--stall-ms MS] [--api-key KEY]
                 [--now ISO] [--lookback-days N] [--lookahead-days N] [--no-invalid-records] [--retry-after]`;

export function parseSimulatorArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = { events: 1000, seed: 1 };
  const faults: NonNullable<SimulatorOptions['faults']> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    const num = () => {
      const raw = value();
      const parsed = Number(raw);
      if (!Number.isFinite(parsed)) throw new Error(`${flag} must be a number, got "${raw}"`);
      return parsed;
    };
    switch (flag) {
      case '--events': options.events = num(); break;
      case '--seed': options.seed = num(); break;
      case '--port': options.port = num(); break;
      case '--host': options.host = value(); break;
      case '--latency': options.latencyMs = num(); break;
      case '--rate-limit': options.rateLimitPerMinute = num(); break;
      case '--retry-after': options.retryAfterHeader = true; break;
      case '--api-key': options.apiKey = value(); break;
      case '--now': options.now = new Date(value()); break;
      case '--lookback-days': options.lookbackDays = num(); break;
      case '--lookahead-days': options.lookaheadDays = num(); break;
      case '--no-invalid-records': options.invalidRecords = false; break;
      case '--error-rate': faults.errorRate = num(); break;
      case '--malformed-rate': faults.malformedRate = num(); break;
      case '--stall-rate': faults.stallRate = num(); break;
      case '--stall-ms': faults.stallMs = num(); break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (options.now && Number.isNaN(options.now.getTime())) throw new Error('--now must be an ISO-8601 timestamp');
  if (Object.keys(faults).length) options.faults = faults;
  return options;
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
