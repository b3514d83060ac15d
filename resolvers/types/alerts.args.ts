import { IsOptional, IsIn, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { ALERT_TYPES, type AlertType } from '../../entities';

@ArgsType()
export class AlertsArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Only alerts not yet resolved.' })
  openOnly?: boolean | null;

  @Field(() => String, { nullable: true, description: 'low_show_rate, no_show_streak, no_upcoming_calls or am_change.' })
  @IsOptional() @IsIn(ALERT_TYPES)
  type?: AlertType;

  @Field(() => String, { nullable: true, description: 'Only this customer (matched case-insensitively).' })
  @IsOptional() @MaxLength(320)
  customerEmail?: string;

  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size; at most 500.' })
  @Min(0) @Max(100_000)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional() @MaxLength(2000)
  after?: string;
}
