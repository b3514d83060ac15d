import { readFileSync, writeFileSync } from 'node:fs';
import { printAppSchema, schemaFilePath } from '../../src/server/build-schema';

describe('schema.graphql', () => {
  it('should equal the schema the resolvers build when the contract is unchanged', async () => {
    // Arrange
    const built = await printAppSchema();
    // An intended contract change: UPDATE_SCHEMA=1 npm test -- test/api/schema.snapshot.test.ts, then review the diff.
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaFilePath(), built);

    // Act
    const committed = readFileSync(schemaFilePath(), 'utf8');

    // Assert
    expect(built).toBe(committed);
  });
});
