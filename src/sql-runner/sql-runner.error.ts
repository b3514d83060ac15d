import { AppError } from '../errors/app-error';

/** A model's SQL failed, or a data test found violating rows: either way the run's transaction rolls back. */
export type SqlRunnerErrorCode = 'MODEL_FAILED' | 'DATA_TEST_FAILED';

export class SqlRunnerError extends AppError<SqlRunnerErrorCode> {}
