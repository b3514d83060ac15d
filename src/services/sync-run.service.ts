import type { DataSource, Repository } from 'typeorm';
import { SyncRun } from '../../entities';
import type { SyncCoordinator } from '../sync/sync-coordinator';
import { clampPageSize } from './page-cursor';

export interface TriggerSyncValues {
  lookbackDays?: number | null;
  lookaheadDays?: number | null;
  full?: boolean | null;
}

const MAX_INT4 = 2_147_483_647;

/** Reads the run record (metrics.md §4) and starts runs through the coordinator's single-run guard. */
export class SyncRunService {
  private readonly repository: Repository<SyncRun>;

  constructor(dataSource: DataSource, private readonly coordinator: Pick<SyncCoordinator, 'start'>) {
    this.repository = dataSource.getRepository(SyncRun);
  }

  /** The latest runs, newest first. */
  async list(first?: number | null): Promise<SyncRun[]> {
    return this.repository.find({ order: { id: 'DESC' }, take: clampPageSize(first ?? undefined, 20) });
  }

  /** One run, or null when the id is unknown (or not an id at all). */
  async findById(id: string): Promise<SyncRun | null> {
    if (!/^\d{1,10}$/.test(id) || Number(id) > MAX_INT4) return null;
    return this.repository.findOneBy({ id: Number(id) });
  }

  /** Starts a run, or returns the one already running anywhere; never waits for it to finish. */
  async trigger(input: TriggerSyncValues): Promise<SyncRun> {
    const started = await this.coordinator.start({
      trigger: 'api',
      lookbackDays: input.lookbackDays ?? undefined,
      lookaheadDays: input.lookaheadDays ?? undefined,
      full: input.full ?? undefined,
    });
    return started.run;
  }
}
