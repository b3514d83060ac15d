import 'reflect-metadata';
import { describeConfig, loadConfig, loadDotEnv, type Config } from '../config/config';
import { ConfigError } from '../config/config.error';
import { openDatabase, type Database } from '../db/data-source';
import { migrate } from '../db/migrate';
import { AppError, describeFailure } from '../errors/app-error';
import { createLogger, type Logger } from '../logging/logger';

/** What every command starts from: the validated configuration, a logger and an open, migrated database. */
export interface Service {
  config: Config;
  logger: Logger;
  db: Database;
}

export interface BootstrapOptions {
  /** What the command needs of the configuration beyond its syntax (an API key, a token off loopback). Throws ConfigError. */
  check?: (config: Config) => void;
  /** The configuration the command runs on, derived from the validated one (the demo points it at its simulator). */
  configure?: (config: Config) => Promise<Config>;
  /** An in-memory embedded database, whatever DATABASE_URL and DATA_DIR say (the demo never touches a real one). */
  inMemoryDatabase?: boolean;
}

/**
 * The configuration read and checked once before anything connects (a bad one is a
 * ConfigError, see runCommand), and the logger: all a command that needs no database starts from.
 */
export async function loadService(options: Omit<BootstrapOptions, 'inMemoryDatabase'> = {}): Promise<Omit<Service, 'db'>> {
  loadDotEnv();
  const loaded = loadConfig();
  options.check?.(loaded);
  const logger = createLogger(loaded.logLevel);
  const config = options.configure ? await options.configure(loaded) : loaded;
  logger.info({ config: describeConfig(config) }, 'calendly-sync starting');
  return { config, logger };
}

/**
 * Start-up shared by `npm start`, `npm run sync` and `npm run demo`: the configuration and
 * logger of loadService, then the database opened and migrated.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<Service> {
  const { config, logger } = await loadService(options);

  const db = await openDatabase({
    databaseUrl: options.inMemoryDatabase ? undefined : config.databaseUrl,
    dataDir: options.inMemoryDatabase ? undefined : config.dataDir,
    // Another process took the data directory: this one must not write to it again. The
    // database is already closed to queries; a SIGTERM runs the command's own shutdown.
    onLockLost: (error) => {
      logger.fatal({ err: error }, 'lost the lock on DATA_DIR: stopping');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    },
  });
  try {
    const applied = await migrate(db.dataSource);
    logger.info({ applied, database: db.kind }, applied.length ? 'migrations applied' : 'database schema up to date');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return { config, logger, db };
}

/**
 * Runs a command's main function. A number it resolves with is the exit code; undefined leaves
 * the process running (a server). A failure is one line on stderr (`onFailure` may add its own
 * output); only an error the code does not name keeps its stack.
 */
export function runCommand(main: () => Promise<number | undefined>, onFailure?: (reason: string) => void): void {
  main().then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => {
      const reason = error instanceof ConfigError ? error.message : describeFailure(error);
      process.stderr.write(`error: ${reason}\n`);
      if (!(error instanceof AppError) && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
      onFailure?.(reason);
      process.exit(1);
    },
  );
}
