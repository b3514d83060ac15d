/** The parameters of one run of the models: metrics.md §1 (as_of, window) and §3 (run ids on alerts). */
export interface ModelParams {
  runId: number;
  asOf: Date;
  windowStart: Date;
  windowEnd: Date;
}

type ParamName = 'run_id' | 'as_of' | 'window_start' | 'window_end';

/** `{{ as_of }}` and its siblings, dbt's way of handing a model its variables. */
const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Throws unless runId is a positive integer and windowStart <= asOf <= windowEnd are valid Dates. */
export function assertParams(params: ModelParams): void {
  if (!Number.isInteger(params.runId) || params.runId <= 0) throw new Error(`runId must be a positive integer, got ${params.runId}`);
  for (const key of ['asOf', 'windowStart', 'windowEnd'] as const) {
    const value = params[key];
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new Error(`${key} must be a valid Date`);
  }
  if (params.windowStart > params.asOf || params.asOf > params.windowEnd) {
    throw new Error('the window must contain as_of (windowStart <= asOf <= windowEnd)');
  }
}

/**
 * Writes the run's parameters into a model's SQL as typed literals. Literals, not bind parameters
 * or settings: the planner then knows the window when it estimates how many events fall in it,
 * and compares a million start times with a constant instead of calling a function per row.
 * Safe to splice: the values are checked Dates and an integer, rendered in a fixed alphabet.
 */
export function renderRunParams(sql: string, params: ModelParams): string {
  assertParams(params);
  const literals: Record<ParamName, string> = {
    run_id: `${params.runId}::integer`,
    as_of: timestampLiteral(params.asOf),
    window_start: timestampLiteral(params.windowStart),
    window_end: timestampLiteral(params.windowEnd),
  };
  return sql.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (!Object.hasOwn(literals, name)) {
      throw new Error(`unknown run parameter ${placeholder} (known: ${Object.keys(literals).join(', ')})`);
    }
    return literals[name as ParamName];
  });
}

function timestampLiteral(value: Date): string {
  return `'${value.toISOString()}'::timestamptz`;
}
