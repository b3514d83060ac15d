import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ALERT_TYPES = ['low_show_rate', 'no_show_streak', 'no_upcoming_calls', 'am_change'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** An alert about a customer's call health, with its lifecycle (metrics.md §3). */
@Entity({ name: 'customer_alerts' })
@ObjectType('Alert', { description: 'A call-health alert; open while resolvedAt is null.' })
export class CustomerAlert {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  @Field(() => ID)
  id!: number;

  @Column({ name: 'customer_email', type: 'text' })
  @Field()
  customerEmail!: string;

  @Column({ name: 'alert_type', type: 'text' })
  @Field(() => String, { description: 'low_show_rate, no_show_streak, no_upcoming_calls or am_change.' })
  alertType!: AlertType;

  @Column({ name: 'details', type: 'jsonb' })
  @Field(() => GraphQLJSONObject, { description: 'The figures that triggered it.' })
  details!: Record<string, unknown>;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  @Field(() => Date)
  openedAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  @Field(() => Date)
  lastSeenAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'opened_run_id', type: 'integer' })
  openedRunId!: number;

  @Column({ name: 'last_seen_run_id', type: 'integer' })
  lastSeenRunId!: number;

  @Column({ name: 'resolved_run_id', type: 'integer', nullable: true })
  resolvedRunId!: number | null;
}
