import { AppError } from '../errors/app-error';

export type SyncErrorCode = 'SYNC_ABORTED' | 'SYNC_CLAIM_LOST';

export class SyncError extends AppError<SyncErrorCode> {}
