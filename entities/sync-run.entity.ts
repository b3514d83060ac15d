import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericToNumber } from './column-transformers';

export enum SyncRunStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(SyncRunStatus, { name: 'SyncRunStatus' });

/** What started a run; `webhook` is the refresh of the models after webhook deliveries. */
export type SyncTrigger = 'schedule' | 'api' | 'cli' | 'demo' | 'webhook';

/** How a run read Calendly (metrics.md §6). */
export enum SyncFetchMode {
  FULL = 'full',
  INCREMENTAL = 'incremental',
  NONE = 'none',
}
registerEnumType(SyncFetchMode, { name: 'SyncFetchMode' });

@ObjectType('ModelExecution', { description: 'A model or data test a run executed.' })
export class ModelExecutionType {
  @Field()
  name!: string;

  @Field({ description: 'sha256 of the SQL file.' })
  checksum!: string;

  @Field(() => Int)
  durationMs!: number;
}

/** One sync run (metrics.md §4). */
@Entity({ name: 'sync_runs' })
@ObjectType('SyncRun', { description: 'One sync run: its window, outcome and figures.' })
export class SyncRun {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  @Field(() => ID)
  id!: number;

  @Column({ name: 'trigger', type: 'text' })
  @Field(() => String)
  trigger!: SyncTrigger;

  @Column({ name: 'status', type: 'text' })
  @Field(() => SyncRunStatus)
  status!: SyncRunStatus;

  @Column({ name: 'as_of', type: 'timestamptz' })
  @Field(() => Date)
  asOf!: Date;

  @Column({ name: 'window_start', type: 'timestamptz' })
  @Field(() => Date)
  windowStart!: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  @Field(() => Date)
  windowEnd!: Date;

  @Column({ name: 'started_at', type: 'timestamptz' })
  @Field(() => Date)
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  error!: string | null;

  @Column({ name: 'events_processed', type: 'integer' })
  @Field(() => Int)
  eventsProcessed!: number;

  @Column({ name: 'invitees_processed', type: 'integer' })
  @Field(() => Int)
  inviteesProcessed!: number;

  @Column({ name: 'customers_updated', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  customersUpdated!: number | null;

  @Column({ name: 'no_shows_detected', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  noShowsDetected!: number | null;

  @Column({ name: 'upcoming_calls', type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  upcomingCalls!: number | null;

  @Column({ name: 'avg_show_rate', type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numericToNumber })
  @Field(() => Float, { nullable: true })
  avgShowRate!: number | null;

  @Column({ name: 'records_rejected', type: 'integer' })
  @Field(() => Int)
  recordsRejected!: number;

  @Column({ name: 'fetch_mode', type: 'text', nullable: true })
  @Field(() => SyncFetchMode, { nullable: true, description: 'full, incremental or none; null until the run has decided, and for runs older than the figure.' })
  fetchMode!: SyncFetchMode | null;

  @Column({ name: 'requests_made', type: 'integer' })
  @Field(() => Int, { description: 'HTTP requests sent to Calendly, retries included.' })
  requestsMade!: number;

  @Column({ name: 'invitee_reads_skipped', type: 'integer' })
  @Field(() => Int, { description: 'Events in the window whose invitees this run did not re-read; 0 for a full run.' })
  inviteeReadsSkipped!: number;

  @Column({ name: 'models', type: 'jsonb', nullable: true })
  @Field(() => [ModelExecutionType], { nullable: true })
  models!: ModelExecutionType[] | null;
}
