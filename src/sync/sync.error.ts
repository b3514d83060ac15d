import { AppError } from '../errors/app-error';

export type SyncErrorCode = 'DATA_TEST_FAILED' | 'SYNC_ABORTED' | 'SYNC_CLAIM_LOST';

export class SyncError extends AppError<SyncErrorCode> {}
