import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs `work` in one transaction on one connection and commits it. Inside, query only through
 * `runner`: PGlite has a single connection, which the transaction holds until it ends.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    // A dropped connection took its transaction with it (TypeORM may have released the runner
    // already): trying to roll back on it would only replace the error that says what happened.
    if (runner.isTransactionActive && !runner.isReleased) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
