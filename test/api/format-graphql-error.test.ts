import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConfigError } from '../../src/config/config.error';
import { DbError } from '../../src/db/db.error';
import { createLogger } from '../../src/logging/logger';
import { createFormatError } from '../../src/server/format-graphql-error';
import { ApiError } from '../../src/services/api.error';
import { SqlRunnerError } from '../../src/sql-runner/sql-runner.error';
import { SyncError } from '../../src/sync/sync.error';

describe('createFormatError', () => {
  const logger = createLogger('silent');
  const format = createFormatError(logger);
  const formatted: GraphQLFormattedError = { message: 'raw', path: ['customers'], locations: [{ line: 1, column: 3 }] };

  afterEach(() => jest.restoreAllMocks());

  it('should answer BAD_USER_INPUT with its message when the API refuses a client value', () => {
    const result = format(formatted, new ApiError('INVALID_CURSOR', 'the cursor is not valid'));
    expect(result).toEqual({ ...formatted, message: 'the cursor is not valid', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it.each([
    new SqlRunnerError('DATA_TEST_FAILED', 'data test failed: {"email":"secret@example.com"}'),
    new SyncError('SYNC_ABORTED', 'aborted'),
    new DbError('MIGRATION_FAILED', 'select password from users'),
    new ConfigError('API_TOKEN', 'is secret'),
  ])('should hide the message of every other error of ours and log it (%s)', (error) => {
    // Arrange
    const logged = jest.spyOn(logger, 'error');

    // Act
    const result = format(formatted, error);

    // Assert
    expect(result).toEqual({ ...formatted, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('should pass a bad request through without its stack trace', () => {
    const error = new GraphQLError('Cannot query field "nope"', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const result = format({ ...formatted, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at x'] } }, error);
    expect(result.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
