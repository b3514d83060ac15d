import { AppError } from '../errors/app-error';

/** Errors a client causes with a bad argument the schema types cannot catch (e.g. a forged cursor). */
export type ApiErrorCode = 'INVALID_CURSOR';

export class ApiError extends AppError<ApiErrorCode> {}
