import { IsBoolean, IsOptional, IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import type { TriggerSyncValues } from '../../src/services/sync-run.service';

@InputType({ description: 'Window of the run; unset values use SYNC_LOOKBACK_DAYS / SYNC_LOOKAHEAD_DAYS.' })
export class TriggerSyncInput implements TriggerSyncValues {
  @Field(() => Int, { nullable: true, description: 'Days before as_of (1..365).' })
  @IsOptional() @IsInt() @Min(1) @Max(365)
  lookbackDays?: number;

  @Field(() => Int, { nullable: true, description: 'Days after as_of (1..365).' })
  @IsOptional() @IsInt() @Min(1) @Max(365)
  lookaheadDays?: number;

  @Field(() => Boolean, { nullable: true, description: 'Read every event\'s invitees, not only new, changed or settling ones (metrics.md §6).' })
  @IsOptional() @IsBoolean()
  full?: boolean;
}
