import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  isObjectType,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../services/page-cursor';

// A paginated list costs its children once per row it may return.
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : undefined;
  if (size === undefined) return undefined;
  return 1 + childComplexity * Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
};

/** Names of fields whose own complexity function may read their arguments. */
function fieldsWithComplexity(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.extensions?.complexity !== undefined) names.add(field.name);
    }
  }
  return names;
}

function variablesIn(value: ValueNode, into: Set<string>): void {
  visit(value, { Variable: (node) => { into.add(node.name.value); } });
}

/**
 * The variables an operation's estimated cost can depend on: those in `first`/`limit`
 * arguments (the page-size estimator), in any argument of a field with its own complexity
 * function, and in directives (`@include`/`@skip` decide which fields count). A variable used
 * anywhere else (`customer(email: $email)`) cannot change the estimate.
 */
function costVariables(document: DocumentNode, complexFields: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  visit(document, {
    Field(node) {
      for (const arg of node.arguments ?? []) {
        if (arg.name.value === 'first' || arg.name.value === 'limit' || complexFields.has(node.name.value)) variablesIn(arg.value, names);
      }
    },
    Directive(node) {
      for (const arg of node.arguments ?? []) variablesIn(arg.value, names);
    },
  });
  return [...names].sort();
}

const MAX_CACHED_PER_DOCUMENT = 256;

/**
 * Refuses an operation whose estimated cost exceeds `maxComplexity` before it runs, so one
 * request cannot ask for 500 customers × every alert × every field many times over.
 *
 * The estimate walks the whole document against the schema, so it is computed once per
 * document (Apollo hands back the same parsed document for the same query text), operation and
 * values of the variables it can depend on, and reused.
 */
export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const complexFields = fieldsWithComplexity(schema);
  const cache = new WeakMap<DocumentNode, { variables: string[]; results: Map<string, number> }>();
  const estimators = [fieldExtensionsEstimator(), pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })];

  const estimate = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | undefined => {
    let entry = cache.get(document);
    if (!entry) {
      entry = { variables: costVariables(document, complexFields), results: new Map() };
      cache.set(document, entry);
    }
    const key = JSON.stringify([operationName ?? null, ...entry.variables.map((name) => variables[name] ?? null)]);
    const cached = entry.results.get(key);
    if (cached !== undefined) return cached;
    let complexity: number;
    try {
      complexity = getComplexity({ schema, query: document, operationName, variables, estimators });
    } catch (error) {
      // Variables that do not coerce: execution refuses them as BAD_USER_INPUT before any resolver runs.
      if (error instanceof GraphQLError) return undefined;
      throw error;
    }
    if (entry.results.size >= MAX_CACHED_PER_DOCUMENT) entry.results.clear();
    entry.results.set(key, complexity);
    return complexity;
  };

  const listener = {
    async didResolveOperation({ request, document }: { request: { operationName?: string | null; variables?: Record<string, unknown> | null }; document: DocumentNode }) {
      const complexity = estimate(document, request.operationName ?? undefined, request.variables ?? {});
      if (complexity !== undefined && complexity > maxComplexity) {
        throw new GraphQLError(`Query is too complex: ${complexity}; the maximum is ${maxComplexity}`, {
          extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } },
        });
      }
    },
  };
  return {
    // The listener keeps no per-request state, so one object serves every request.
    async requestDidStart() {
      return listener;
    },
  };
}
