import 'reflect-metadata';
import { assertServerConfig, describeConfig, loadConfig, loadDotEnv, requireCalendlyApiKey, type Config } from './config/config';
import { ConfigError } from './config/config.error';
import { openDatabase } from './db/data-source';
import { migrate } from './db/migrate';
import { AppError } from './errors/app-error';
import { createLogger } from './logging/logger';
import { startApp } from './server/start-app';
import { onShutdownSignal } from './server/shutdown-signal';

/** Reads and checks the configuration; a bad one is one line on stderr and exit 1, before any connection. */
function configOrExit(): Config {
  try {
    loadDotEnv();
    const config = loadConfig();
    requireCalendlyApiKey(config);
    assertServerConfig(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
}

/** npm start: migrations, then the GraphQL server and the scheduled sync until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'calendly-sync starting');

  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(db.dataSource);
    logger.info({ applied, database: db.kind }, applied.length ? 'migrations applied' : 'database schema up to date');
    const app = await startApp({ config, db, logger });

    onShutdownSignal(logger, async () => {
      await app.close();
      await db.close();
    });
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  // Failures the code names (locked DATA_DIR, failed migration) are one readable line; others keep their stack.
  const failure = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`error: ${failure.message}\n`);
  if (!(failure instanceof AppError)) process.stderr.write(`${failure.stack ?? ''}\n`);
  process.exit(1);
});
