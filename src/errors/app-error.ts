/** Base class for every error this service raises on purpose: a stable code plus a readable message. */
export class AppError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    // Keeps `instanceof` working for subclasses when compiled to older targets.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A readable reason: our own errors carry their code; anything else is named but not dumped. */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}
