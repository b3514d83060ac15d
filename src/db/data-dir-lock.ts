import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { DbError } from './db.error';

// A directory (mkdir is atomic, also on network volumes) whose mtime the holder refreshes;
// named apart from the pid file earlier versions left, so such a leftover can never block start-up.
const LOCK_NAME = 'calendly-sync.pglite.lock';
const LEGACY_PID_FILE = 'calendly-sync.lock';

// A holder that stops refreshing (SIGKILL, lost host) is taken over after this long: short, so a
// restarted container starts within seconds. The refresh runs on the event loop, which PGlite
// blocks while a statement runs, so a single statement longer than this (models over ~1M
// bookings) could let a second process in; the holder then finds its lock lost (onLost).
export const DATA_DIR_LOCK_STALE_MS = 10_000;
const RETRY_INTERVAL_MS = 500;
const RETRY_MARGIN_MS = 2_000;

export interface DataDirLockOptions {
  staleMs?: number;
  /** Called, never thrown, when the lock can no longer be vouched for: another process may have the directory now. */
  onLost?: (error: DbError) => void;
}

/**
 * PGlite has no lock of its own and two processes on one data directory corrupt it, so the
 * directory is claimed first. A lock whose holder died is waited out (up to its stale period),
 * not refused, so a restart after a kill starts. Resolves to the function that releases it.
 */
export async function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? DATA_DIR_LOCK_STALE_MS;
  mkdirSync(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lock(dataDir, {
      lockfilePath: join(dataDir, LOCK_NAME),
      stale: staleMs,
      retries: { retries: Math.ceil((staleMs + RETRY_MARGIN_MS) / RETRY_INTERVAL_MS), factor: 1, minTimeout: RETRY_INTERVAL_MS, maxTimeout: RETRY_INTERVAL_MS },
      // proper-lockfile's default throws from a timer, which would crash the process.
      onCompromised: (cause) => options.onLost?.(new DbError('DATA_DIR_LOCKED',
        `lost the lock on DATA_DIR ${dataDir} (${cause.message}); another process may have opened it`, { cause })),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new DbError('DATA_DIR_LOCKED',
      `DATA_DIR ${dataDir} is in use by another process; the embedded database allows one process at a time (stop it, or set DATABASE_URL)`,
      { cause: error });
  }
  rmSync(join(dataDir, LEGACY_PID_FILE), { force: true });
  return async () => {
    // A lock already reported lost has nothing left to release.
    await release().catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ERELEASED') throw error;
    });
  };
}
