import { assertServerConfig, requireCalendlyApiKey } from './config/config';
import { bootstrap, runCommand } from './cli/bootstrap';
import { startApp } from './server/start-app';
import { onShutdownSignal } from './server/shutdown-signal';

/** npm start: migrations, then the GraphQL server and the scheduled sync until SIGTERM/SIGINT. */
runCommand(async () => {
  const { config, logger, db } = await bootstrap({
    check: (loaded) => {
      requireCalendlyApiKey(loaded);
      assertServerConfig(loaded);
    },
  });
  try {
    const app = await startApp({ config, db, logger });
    onShutdownSignal(logger, async () => {
      await app.close();
      await db.close();
    });
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return undefined;
});
