import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class SyncRunsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'How many of the latest runs; at most 500.' })
  @Min(0) @Max(100_000)
  first?: number | null;
}
