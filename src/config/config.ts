import { parseExpression } from 'cron-parser';
import { ConfigError } from './config.error';

/** Validated, frozen service configuration. Nothing else in the code reads `process.env`. */
export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  calendlyApiKey: string | undefined;
  calendlyBaseUrl: string;
  calendlyOrganizationUri: string | undefined;
  /** Requests per minute the client allows itself; Calendly's paid-plan limit is 500. */
  calendlyRateLimitPerMinute: number;
  /** Invitee requests in flight at once. */
  calendlyConcurrency: number;
  calendlyMaxRetries: number;
  calendlyTimeoutMs: number;
  /** `null` when `SYNC_CRON=off`. */
  syncCron: string | null;
  syncLookbackDays: number;
  syncLookaheadDays: number;
  /** Incremental runs re-read the invitees of calls started this many days before as_of. */
  syncSettleDays: number;
  /** A run is full when no full run succeeded within this many hours; 0: every run is full. */
  syncFullRefreshHours: number;
  /** How long shutdown waits for a running sync before marking it failed. */
  shutdownTimeoutMs: number;
  host: string;
  port: number;
  apiToken: string | undefined;
  /** Origins a browser app may call `/graphql` from; empty: no cross-origin access. */
  corsOrigins: readonly string[];
  /** The webhook subscription's signing key; unset: `/webhooks/calendly` answers 404. */
  calendlyWebhookSigningKey: string | undefined;
  /** After a webhook delivery, how long to gather more before one refresh of the models. */
  webhookRefreshDelayMs: number;
  logLevel: string;
}

type Parser<T> = (raw: string, variable: string) => T;

interface Variable<K extends keyof Config> {
  key: K;
  env: string;
  /** Used when the variable is unset or empty. `undefined` means "optional, no default". */
  default: string | undefined;
  doc: string;
  sensitive?: boolean;
  parse: Parser<Config[K]>;
}

const asString: Parser<string> = (raw) => raw;

// Spaces around a pasted secret are never part of it; the presented bearer token is trimmed too.
const asTrimmed: Parser<string> = (raw) => raw.trim();

/** Comma-separated `scheme://host[:port]` origins, as a browser sends them in `Origin`. */
const asOrigins: Parser<readonly string[]> = (raw, variable) => {
  const origins = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError(variable, `must be comma-separated origins such as https://app.example.com, got "${entry}"`);
    }
    return url.origin;
  });
  return Object.freeze(origins);
};

function asInteger(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(variable, `must be a whole number, got "${raw}"`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new ConfigError(variable, `must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

function asUrl(protocols: string[]): Parser<string> {
  return (raw, variable) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(variable, 'is not a valid URL');
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(variable, `must use ${protocols.join(' or ')}, got ${url.protocol}`);
    }
    return raw.replace(/\/+$/, '');
  };
}

const asCron: Parser<string | null> = (raw, variable) => {
  if (raw.trim().toLowerCase() === 'off') return null;
  try {
    parseExpression(raw);
  } catch {
    throw new ConfigError(variable, `is not a valid cron expression (or "off"), got "${raw}"`);
  }
  return raw;
};

const asLogLevel: Parser<string> = (raw, variable) => {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw)) throw new ConfigError(variable, `must be one of ${levels.join(', ')}, got "${raw}"`);
  return raw;
};

// The declarative schema: one entry per variable, in the order of interfaces.md.
const VARIABLES: { [K in keyof Config]: Variable<K> } = {
  databaseUrl: { key: 'databaseUrl', env: 'DATABASE_URL', default: undefined, sensitive: true,
    doc: 'postgres:// URL of a PostgreSQL server; unset means the embedded PGlite database', parse: asUrl(['postgres:', 'postgresql:']) },
  dataDir: { key: 'dataDir', env: 'DATA_DIR', default: './data', doc: 'where the embedded database lives', parse: asString },
  calendlyApiKey: { key: 'calendlyApiKey', env: 'CALENDLY_API_KEY', default: undefined, sensitive: true,
    doc: 'Calendly personal access token or OAuth access token', parse: asString },
  calendlyBaseUrl: { key: 'calendlyBaseUrl', env: 'CALENDLY_BASE_URL', default: 'https://api.calendly.com',
    doc: 'Calendly API root', parse: asUrl(['http:', 'https:']) },
  calendlyOrganizationUri: { key: 'calendlyOrganizationUri', env: 'CALENDLY_ORGANIZATION_URI', default: undefined,
    doc: 'organisation to sync; read from GET /users/me when unset', parse: asUrl(['http:', 'https:']) },
  calendlyRateLimitPerMinute: { key: 'calendlyRateLimitPerMinute', env: 'CALENDLY_RATE_LIMIT_PER_MINUTE', default: '500',
    doc: 'requests per minute the client allows itself', parse: asInteger(1, 1_000_000) },
  calendlyConcurrency: { key: 'calendlyConcurrency', env: 'CALENDLY_CONCURRENCY', default: '8',
    doc: 'invitee requests in flight at once', parse: asInteger(1, 64) },
  calendlyMaxRetries: { key: 'calendlyMaxRetries', env: 'CALENDLY_MAX_RETRIES', default: '5',
    doc: 'retries of a request after a 5xx, timeout or connection reset', parse: asInteger(0, 20) },
  calendlyTimeoutMs: { key: 'calendlyTimeoutMs', env: 'CALENDLY_TIMEOUT_MS', default: '30000',
    doc: 'per-request deadline in milliseconds, the whole response included', parse: asInteger(100, 600_000) },
  syncCron: { key: 'syncCron', env: 'SYNC_CRON', default: '0 */4 * * *', doc: 'sync schedule for npm start; "off" disables it', parse: asCron },
  syncLookbackDays: { key: 'syncLookbackDays', env: 'SYNC_LOOKBACK_DAYS', default: '90', doc: 'window start, days before as_of', parse: asInteger(1, 365) },
  syncLookaheadDays: { key: 'syncLookaheadDays', env: 'SYNC_LOOKAHEAD_DAYS', default: '90', doc: 'window end, days after as_of', parse: asInteger(1, 365) },
  syncSettleDays: { key: 'syncSettleDays', env: 'SYNC_SETTLE_DAYS', default: '7',
    doc: 'incremental runs re-read the invitees of calls that started this many days before as_of', parse: asInteger(0, 365) },
  syncFullRefreshHours: { key: 'syncFullRefreshHours', env: 'SYNC_FULL_REFRESH_HOURS', default: '24',
    doc: 'a run is full when no full run succeeded within this many hours; 0: every run is full', parse: asInteger(0, 8760) },
  shutdownTimeoutMs: { key: 'shutdownTimeoutMs', env: 'SHUTDOWN_TIMEOUT_MS', default: '30000',
    doc: 'how long shutdown waits for a running sync', parse: asInteger(0, 3_600_000) },
  host: { key: 'host', env: 'HOST', default: '127.0.0.1', doc: 'GraphQL server host', parse: asString },
  port: { key: 'port', env: 'PORT', default: '4000', doc: 'GraphQL server port (0 picks a free one)', parse: asInteger(0, 65535) },
  apiToken: { key: 'apiToken', env: 'API_TOKEN', default: undefined, sensitive: true,
    doc: 'bearer token every GraphQL and /metrics request must send', parse: asTrimmed },
  corsOrigins: { key: 'corsOrigins', env: 'CORS_ORIGINS', default: '',
    doc: 'comma-separated origins a browser app may call /graphql from; unset: none', parse: asOrigins },
  calendlyWebhookSigningKey: { key: 'calendlyWebhookSigningKey', env: 'CALENDLY_WEBHOOK_SIGNING_KEY', default: undefined, sensitive: true,
    doc: 'signing key of the Calendly webhook subscription; unset: /webhooks/calendly answers 404', parse: asTrimmed },
  webhookRefreshDelayMs: { key: 'webhookRefreshDelayMs', env: 'WEBHOOK_REFRESH_DELAY_MS', default: '2000',
    doc: 'after a webhook delivery, how long to gather more before one refresh of the models', parse: asInteger(0, 3_600_000) },
  logLevel: { key: 'logLevel', env: 'LOG_LEVEL', default: 'info', doc: 'pino log level', parse: asLogLevel },
};

/** Parses and validates every variable once; throws `ConfigError` naming the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = {} as Record<keyof Config, unknown>;
  for (const variable of Object.values(VARIABLES) as Variable<keyof Config>[]) {
    const given = env[variable.env];
    const raw = given === undefined || given.trim() === '' ? variable.default : given;
    config[variable.key] = raw === undefined ? undefined : variable.parse(raw, variable.env);
  }
  return Object.freeze(config as Config);
}

/** The configuration for logs: secrets masked, unset values shown as such. */
export function describeConfig(config: Config): Record<string, string | number | null> {
  const described: Record<string, string | number | null> = {};
  for (const variable of Object.values(VARIABLES) as Variable<keyof Config>[]) {
    const value = config[variable.key];
    if (value === undefined) described[variable.env] = null;
    else if (variable.sensitive) described[variable.env] = '***';
    else described[variable.env] = Array.isArray(value) ? value.join(',') : value as string | number | null;
  }
  return described;
}

/** `CALENDLY_API_KEY` is only needed by commands that talk to Calendly; they call this first. */
export function requireCalendlyApiKey(config: Config): string {
  if (!config.calendlyApiKey) throw new ConfigError('CALENDLY_API_KEY', 'is required to talk to Calendly');
  return config.calendlyApiKey;
}

/** Loads a `.env` file from the working directory when there is one (interfaces.md allows it). */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A loopback name or address; anchored, so `127.0.0.1.evil.example` is not one. */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|::1|\[::1\]|127(\.\d{1,3}){3})$/i.test(host);
}

/** Rules that span variables, checked where the server starts. */
export function assertServerConfig(config: Config): void {
  if (!config.apiToken && !isLoopbackHost(config.host)) {
    throw new ConfigError('API_TOKEN', `is required when HOST is not a loopback address (HOST=${config.host})`);
  }
}
