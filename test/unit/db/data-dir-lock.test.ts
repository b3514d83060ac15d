import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockDataDir } from '../../../src/db/data-dir-lock';
import type { DbError } from '../../../src/db/db.error';

// The shortest stale period proper-lockfile allows: keeps the waits of these tests to seconds.
const STALE_MS = 2000;
const LOCK_MODULE = resolve(__dirname, '../../../src/db/data-dir-lock.ts');

// Another node process takes the lock through the real module (transpiled on the fly, no
// ts-node here), prints `locked` or `refused <code>`, and holds what it got until killed.
const HOLDER_SCRIPT = `
const { readFileSync } = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => module._compile(ts.transpileModule(readFileSync(filename, 'utf8'),
  { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, filename);
const { lockDataDir } = require(process.argv[1]);
lockDataDir(process.argv[2], { staleMs: Number(process.argv[3]) }).then(
  () => { process.stdout.write('locked\\n'); setInterval(() => undefined, 60000); },
  (error) => { process.stdout.write('refused ' + error.code + '\\n'); process.exit(0); });
`;

interface Holder {
  child: ChildProcess;
  /** The child's verdict: `locked` or `refused <code>`. */
  outcome: Promise<string>;
}

const children: ChildProcess[] = [];

function spawnHolder(dataDir: string): Holder {
  const child = spawn(process.execPath, ['-e', HOLDER_SCRIPT, LOCK_MODULE, dataDir, String(STALE_MS)],
    { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const outcome = new Promise<string>((done, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) done(output.trim());
    });
    child.once('exit', (code) => fail(new Error(`lock holder exited (${code}) before answering: ${output}`)));
  });
  return { child, outcome };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('lockDataDir', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'calendly-sync-lock-'));

  afterEach(async () => {
    await Promise.all(children.splice(0).map(killed));
  });

  it('should refuse a second opener while the first holds the directory', async () => {
    const dataDir = dir();
    const release = await lockDataDir(dataDir, { staleMs: STALE_MS });
    try {
      await expect(lockDataDir(dataDir, { staleMs: STALE_MS })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
    } finally {
      await release();
    }
    // Released: the next opener gets it.
    await (await lockDataDir(dataDir, { staleMs: STALE_MS }))();
  });

  it('should start when the pid file of the earlier lock names a live pid, such as our own after a restart', async () => {
    // Arrange: in a container node restarts with the same pid, so the old file names a live process.
    const dataDir = dir();
    writeFileSync(join(dataDir, 'calendly-sync.lock'), String(process.pid));

    // Act
    const release = await lockDataDir(dataDir, { staleMs: STALE_MS });

    // Assert: it opened; the leftover no longer matters either way.
    await release();
  });

  it('should start once the lock of a SIGKILLed holder goes stale, waiting instead of failing', async () => {
    // Arrange
    const dataDir = dir();
    const holder = spawnHolder(dataDir);
    await expect(holder.outcome).resolves.toBe('locked');
    await killed(holder.child);

    // Act
    const release = await lockDataDir(dataDir, { staleMs: STALE_MS });

    // Assert
    await release();
  });

  it('should refuse with DATA_DIR_LOCKED while another live process holds the directory', async () => {
    // Arrange
    const dataDir = dir();
    const holder = spawnHolder(dataDir);
    await expect(holder.outcome).resolves.toBe('locked');

    // Act / Assert: the holder keeps refreshing its lock, so the wait for staleness ends in a refusal.
    await expect(lockDataDir(dataDir, { staleMs: STALE_MS })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
  });

  it('should let exactly one of two processes starting at once take the directory', async () => {
    // Arrange
    const dataDir = dir();

    // Act
    const outcomes = await Promise.all([spawnHolder(dataDir), spawnHolder(dataDir)].map((holder) => holder.outcome));

    // Assert
    expect(outcomes.sort()).toEqual(['locked', 'refused DATA_DIR_LOCKED']);
  });

  it('should report a lost lock through onLost instead of throwing from its timer', async () => {
    // Arrange
    const dataDir = dir();
    const lost = new Promise<DbError>((onLost) => {
      void lockDataDir(dataDir, { staleMs: STALE_MS, onLost });
    });
    await new Promise((settle) => setTimeout(settle, 100));

    // Act: someone removes the lock directory under the holder.
    rmSync(join(dataDir, 'calendly-sync.pglite.lock'), { recursive: true });

    // Assert
    await expect(lost).resolves.toMatchObject({ code: 'DATA_DIR_LOCKED' });
  });
});
