import { Field, Int, ObjectType } from 'type-graphql';

/** One factor that contributed to a Calendly score, so a UI can say why (metrics.md §2). */
@ObjectType({ description: 'A factor that contributed points to a Calendly score.' })
export class ScoreFactor {
  @Field({ description: 'Which score: quality or health.' })
  score!: string;

  @Field({ description: 'The rule that applied, e.g. show_rate_above_80 or no_call_in_90_days.' })
  factor!: string;

  @Field(() => Int, { description: 'Points it added (negative when it took points away).' })
  points!: number;
}
