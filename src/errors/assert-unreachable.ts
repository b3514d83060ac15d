/** Compile-time exhaustiveness check for switches over union types. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable case: ${String(value)}`);
}
