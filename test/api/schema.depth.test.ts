import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { buildAppSchema, type AppServices } from '../../src/server/build-schema';

/**
 * How many fields deep a selection on `type` can nest, or Infinity when an object type can reach
 * itself (a recursive schema, where only a depth limit bounds a query).
 */
function maxSelectionDepth(type: GraphQLObjectType, path: ReadonlySet<string> = new Set()): number {
  if (path.has(type.name)) return Infinity;
  let deepest = 0;
  for (const field of Object.values(type.getFields())) {
    const target = getNamedType(field.type);
    deepest = Math.max(deepest, 1 + (isObjectType(target) ? maxSelectionDepth(target, new Set([...path, type.name])) : 0));
  }
  return deepest;
}

describe('schema depth', () => {
  it('should have no recursive type, so the cost limit alone bounds a query', async () => {
    // Arrange: no resolver runs, so no services are needed
    const schema = await buildAppSchema({} as AppServices);

    // Act
    const depths = [schema.getQueryType(), schema.getMutationType()].flatMap((root) => (root ? [maxSelectionDepth(root)] : []));

    // Assert: a query nests 4 fields at most (customers { nodes { alerts { id } } }); a recursive
    // type would make this Infinity, and then a depth limit is needed again.
    expect(Math.max(...depths)).toBe(4);
  });
});
