import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericToNumber } from './column-transformers';
import { ScoreFactor } from './score-factor.type';

/** A customer row of the shared `unified_customers` table; the call columns are this service's (metrics.md §2). */
@Entity({ name: 'unified_customers' })
@ObjectType('Customer', { description: 'A customer and their call health, keyed by normalised email.' })
export class UnifiedCustomer {
  @PrimaryColumn({ name: 'email', type: 'text' })
  @Field(() => ID, { description: 'lower(trim(email)).' })
  email!: string;

  @Column({ name: 'hubspot_owner_email', type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Owner in HubSpot (another source).' })
  hubspotOwnerEmail!: string | null;

  @Column({ name: 'is_high_value', type: 'boolean', nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'High-value flag (another source).' })
  isHighValue!: boolean | null;

  @Column({ name: 'total_calls_booked', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Bookings in the window, rescheduled ones excluded.' })
  totalCallsBooked!: number | null;

  @Column({ name: 'calls_completed', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  callsCompleted!: number | null;

  @Column({ name: 'calls_no_show', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  callsNoShow!: number | null;

  @Column({ name: 'calls_canceled', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  callsCanceled!: number | null;

  @Column({ name: 'calls_rescheduled', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  callsRescheduled!: number | null;

  @Column({ name: 'calls_upcoming', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  callsUpcoming!: number | null;

  @Column({ name: 'show_rate', type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericToNumber })
  @Field(() => Float, { nullable: true, description: '100 * completed / due, 0..100; null when nothing is due.' })
  showRate!: number | null;

  @Column({ name: 'last_call_date', type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true })
  lastCallDate!: Date | null;

  @Column({ name: 'next_call_date', type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true })
  nextCallDate!: Date | null;

  @Column({ name: 'current_no_show_streak', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  currentNoShowStreak!: number | null;

  @Column({ name: 'calendly_organizer_name', type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  calendlyOrganizerName!: string | null;

  @Column({ name: 'calendly_organizer_email', type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  calendlyOrganizerEmail!: string | null;

  @Column({ name: 'assigned_am', type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  assignedAm!: string | null;

  @Column({ name: 'assigned_am_email', type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  assignedAmEmail!: string | null;

  @Column({ name: 'assigned_am_source', type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'calendly when this service set the AM.' })
  assignedAmSource!: string | null;

  @Column({ name: 'calendly_user_id', type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Invitee uri of the latest booking.' })
  calendlyUserId!: string | null;

  @Column({ name: 'calendly_quality_points', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  calendlyQualityPoints!: number | null;

  @Column({ name: 'calendly_health_points', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  calendlyHealthPoints!: number | null;

  @Column({ name: 'calendly_score_factors', type: 'jsonb', nullable: true })
  @Field(() => [ScoreFactor], { nullable: true, description: 'Why the scores are what they are.' })
  scoreFactors!: ScoreFactor[] | null;

  @Column({ name: 'last_calendly_sync', type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true, description: 'as_of of the run that last wrote the row.' })
  lastCalendlySync!: Date | null;
}
