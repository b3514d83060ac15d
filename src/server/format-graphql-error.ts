import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { assertUnreachable } from '../errors/assert-unreachable';
import type { Logger } from '../logging/logger';
import { ApiError, type ApiErrorCode } from '../services/api.error';

// Codes the GraphQL layer itself produces for a bad request; their messages are safe to show.
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COMPLEX',
]);

const INTERNAL = { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } as const;

/**
 * The one place an AppError code becomes a GraphQL `extensions.code`. Only the API's own errors
 * are the client's doing; every other module's error (sync, runner, database, config) is ours,
 * so it is logged and answered as INTERNAL_SERVER_ERROR without this file naming each of them.
 */
function clientCode(code: ApiErrorCode): string {
  switch (code) {
    case 'INVALID_CURSOR':
      return 'BAD_USER_INPUT';
    default:
      return assertUnreachable(code);
  }
}

/** class-validator nests errors of input objects; clients want one entry per offending field. */
function flattenValidationErrors(errors: ValidationError[], prefix = ''): { property: string; constraints: Record<string, string> }[] {
  return errors.flatMap((error) => {
    const property = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ property, constraints: error.constraints }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], property)];
  });
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/**
 * Apollo's `formatError`: known errors keep a stable code, everything else becomes a generic
 * INTERNAL_SERVER_ERROR (no stack, SQL or secret) and is logged with its real cause.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };

    if (original instanceof ArgumentValidationError) {
      const validationErrors = flattenValidationErrors(original.extensions.validationErrors);
      const reasons = validationErrors.flatMap((entry) => Object.values(entry.constraints));
      return {
        ...base,
        message: `Invalid argument: ${reasons.join('; ') || validationErrors.map((entry) => entry.property).join(', ')}`,
        extensions: { code: 'BAD_USER_INPUT', validationErrors },
      };
    }

    if (original instanceof ApiError) {
      return { ...base, message: original.message, extensions: { code: clientCode(original.code) } };
    }

    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && CLIENT_CODES.has(code)) {
      return withoutStacktrace(formatted);
    }

    logger.error({ err: original, path: formatted.path }, 'GraphQL request failed');
    return { ...base, message: INTERNAL.message, extensions: { code: INTERNAL.code } };
  };
}
