import { AppError } from '../errors/app-error';

export type DbErrorCode = 'DATA_DIR_LOCKED' | 'MIGRATION_FAILED';

export class DbError extends AppError<DbErrorCode> {}

/** SQLSTATEs this code branches on. */
export const UNIQUE_VIOLATION = '23505';
