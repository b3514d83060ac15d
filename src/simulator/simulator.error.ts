import { AppError } from '../errors/app-error';

/** The simulator's command line: arguments it cannot use, or a request for its usage. */
export type SimulatorErrorCode = 'INVALID_ARGUMENTS' | 'USAGE';

export class SimulatorError extends AppError<SimulatorErrorCode> {}
