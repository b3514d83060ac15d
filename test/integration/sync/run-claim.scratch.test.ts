import { SyncRunStatus } from '../../../entities';
import type { Database } from '../../../src/db/data-source';
import { claimRun, recoverStaleRuns } from '../../../src/sync/claim-run';
import { syncWindow } from '../../../src/sync/sync-window';
import { openTestDatabase } from '../../helpers/test-db';
import { NOW } from './sync-test.helper';

const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const onPGlite = process.env.DATABASE_URL ? it.skip : it;

describe('scratch rows and runs left by a dead process', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterEach(async () => {
    await db.dataSource.query(`update sync_runs set status = 'failed', finished_at = now() where status = 'running'`);
  });

  afterAll(async () => {
    await db?.close();
  });

  /** A sync_runs row as a process leaves it, with a few scratch rows under its id. */
  async function leftBehind(status: 'running' | 'failed', leaseExpiresIn: string): Promise<number> {
    const [{ id }] = await db.dataSource.query(
      `insert into sync_runs (trigger, status, as_of, window_start, window_end, lease_expires_at)
       values ('schedule', $1, now(), now() - interval '90 days', now() + interval '90 days', now() + $2::interval)
       returning id`, [status, leaseExpiresIn]);
    for (let n = 0; n < 3; n += 1) {
      await db.dataSource.query(
        `insert into calendly_incoming_events (uri, uuid, status, start_time, updated_at, raw, last_seen_run_id)
         values ($1, $2, 'active', now(), now(), '{}', $3)`, [`https://api.calendly.test/scheduled_events/r${id}e${n}`, `r${id}e${n}`, id]);
      await db.dataSource.query(
        `insert into calendly_incoming_invitees (uri, event_uri, status, updated_at, raw, last_seen_run_id)
         values ($1, $2, 'active', now(), '{}', $3)`,
        [`https://api.calendly.test/scheduled_events/r${id}e${n}/invitees/i`, `https://api.calendly.test/scheduled_events/r${id}e${n}`, id]);
    }
    return id;
  }

  async function scratchRunIds(): Promise<number[]> {
    const rows: { id: number }[] = await db.dataSource.query(
      `select last_seen_run_id as id from calendly_incoming_events
       union select last_seen_run_id from calendly_incoming_invitees order by 1`);
    return rows.map((row) => row.id);
  }

  async function statusOf(id: number): Promise<string> {
    const [row] = await db.dataSource.query('select status from sync_runs where id = $1', [id]);
    return row.status;
  }

  it('should fail a run whose lease expired and remove every dead run\'s scratch rows when the next run is claimed', async () => {
    // Arrange
    const crashed = await leftBehind('running', '-1 minute');
    const failed = await leftBehind('failed', '-1 hour');

    // Act
    const claim = await claimRun(db, 'cli', syncWindow(NOW, 90, 90));

    // Assert
    expect(claim.claimed).toBe(true);
    expect(await statusOf(crashed)).toBe(SyncRunStatus.FAILED);
    expect(await statusOf(failed)).toBe(SyncRunStatus.FAILED);
    expect(await scratchRunIds()).toEqual([]);
  });

  it('should return the run under way, and leave its scratch rows alone, while its lease holds', async () => {
    // Arrange
    const live = await leftBehind('running', '1 minute');

    // Act
    const claim = await claimRun(db, 'api', syncWindow(NOW, 90, 90));

    // Assert
    expect(claim).toMatchObject({ claimed: false, run: { id: live, status: SyncRunStatus.RUNNING } });
    expect(await scratchRunIds()).toEqual([live]);
  });

  it('should fail runs whose lease expired and remove dead runs\' scratch rows at start-up', async () => {
    // Arrange
    const crashed = await leftBehind('running', '-1 minute');
    const failed = await leftBehind('failed', '-1 hour');

    // Act
    const recovered = await recoverStaleRuns(db);

    // Assert
    expect(recovered).toBe(1);
    expect(await statusOf(crashed)).toBe(SyncRunStatus.FAILED);
    expect(await statusOf(failed)).toBe(SyncRunStatus.FAILED);
    expect(await scratchRunIds()).toEqual([]);
  });

  onPostgres('should leave a live run of another process and its scratch rows alone at start-up (PostgreSQL)', async () => {
    const live = await leftBehind('running', '1 minute');

    const recovered = await recoverStaleRuns(db);

    expect(recovered).toBe(0);
    expect(await statusOf(live)).toBe(SyncRunStatus.RUNNING);
    expect(await scratchRunIds()).toEqual([live]);
  });

  onPGlite('should fail every running row at start-up on the embedded database, whose process owns it alone', async () => {
    const leftRunning = await leftBehind('running', '1 minute');

    const recovered = await recoverStaleRuns(db);

    expect(recovered).toBe(1);
    expect(await statusOf(leftRunning)).toBe(SyncRunStatus.FAILED);
    expect(await scratchRunIds()).toEqual([]);
  });
});
