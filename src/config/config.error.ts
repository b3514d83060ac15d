import { AppError } from '../errors/app-error';

export type ConfigErrorCode = 'INVALID_CONFIG';

/** A configuration variable is missing or malformed; the message names it and never echoes a secret. */
export class ConfigError extends AppError<ConfigErrorCode> {
  constructor(readonly variable: string, reason: string) {
    super('INVALID_CONFIG', `${variable} ${reason}`);
  }
}
