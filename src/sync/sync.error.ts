import { AppError } from '../errors/app-error';

export type SyncErrorCode = 'SYNC_ALREADY_RUNNING' | 'DATA_TEST_FAILED' | 'SYNC_ABORTED';

export class SyncError extends AppError<SyncErrorCode> {}
