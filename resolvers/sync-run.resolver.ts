import { Arg, Args, ID, Mutation, Query, Resolver } from 'type-graphql';
import { SyncRun } from '../entities';
import { SyncRunService } from '../src/services/sync-run.service';
import { SyncRunsArgs, TriggerSyncInput } from './types';

@Resolver(() => SyncRun)
export class SyncRunResolver {
  constructor(private readonly syncRunService: SyncRunService) {}

  @Query(() => [SyncRun], { description: 'The latest sync runs, newest first.' })
  syncRuns(@Args(() => SyncRunsArgs) args: SyncRunsArgs): Promise<SyncRun[]> {
    return this.syncRunService.list(args.first);
  }

  @Query(() => SyncRun, { nullable: true })
  syncRun(@Arg('id', () => ID) id: string): Promise<SyncRun | null> {
    return this.syncRunService.findById(id);
  }

  @Mutation(() => SyncRun, {
    description: 'Starts a sync and returns it at once (status RUNNING); when one is already running anywhere, returns that one.',
  })
  triggerSync(@Arg('input', () => TriggerSyncInput, { nullable: true }) input?: TriggerSyncInput): Promise<SyncRun> {
    return this.syncRunService.trigger(input ?? {});
  }
}
