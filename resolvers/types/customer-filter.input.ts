import { IsOptional, IsIn, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { ALERT_TYPES, type AlertType } from '../../entities';
import type { CustomerFilterValues } from '../../src/services/customer.service';

@InputType({ description: 'Conditions a customer must all meet.' })
export class CustomerFilter implements CustomerFilterValues {
  @Field(() => Float, { nullable: true, description: 'Show rate at least this (0..100).' })
  @IsOptional() @Min(0) @Max(100)
  showRateMin?: number;

  @Field(() => Float, { nullable: true, description: 'Show rate at most this (0..100).' })
  @IsOptional() @Min(0) @Max(100)
  showRateMax?: number;

  @Field(() => String, { nullable: true, description: 'Has an open alert of this type: low_show_rate, no_show_streak, no_upcoming_calls or am_change.' })
  @IsOptional() @IsIn(ALERT_TYPES)
  hasOpenAlert?: AlertType;

  @Field(() => Boolean, { nullable: true, description: 'Has (true) or has no (false) upcoming call, as of the last sync.' })
  hasUpcomingCall?: boolean;

  @Field(() => String, { nullable: true, description: 'Assigned account manager email, case-insensitive.' })
  @IsOptional() @MaxLength(320)
  assignedAmEmail?: string;

  @Field(() => String, { nullable: true, description: 'Part of the customer email, case-insensitive.' })
  @IsOptional() @MaxLength(320)
  emailContains?: string;
}
