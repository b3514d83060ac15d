import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../../src/db/data-dir-lock';

describe('lockDataDir', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'calendly-sync-lock-'));

  it('should refuse a second opener while the first holds the directory', () => {
    const dataDir = dir();
    const release = lockDataDir(dataDir);
    try {
      expect(() => lockDataDir(dataDir)).toThrow(expect.objectContaining({ code: 'DATA_DIR_LOCKED' }));
    } finally {
      release();
    }
    // Released: the next opener gets it.
    lockDataDir(dataDir)();
  });

  it('should take over a lock left by a process that no longer exists', () => {
    const dataDir = dir();
    // Pids are bounded by pid_max (at most 2^22 on Linux), so this one cannot be alive.
    writeFileSync(join(dataDir, 'calendly-sync.lock'), '99999999');

    const release = lockDataDir(dataDir);

    expect(readFileSync(join(dataDir, 'calendly-sync.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
