import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { getVariableValues, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../services/page-cursor';

/**
 * Selections the pricing walks at most (fragments counted each time they are spread). A document
 * with more is refused: it is either an attack or a bug, and pricing it would cost as much as it.
 */
const MAX_PRICED_NODES = 10_000;

/**
 * The price of one `totalCount`: a `count(*)` reads every row the filter matches, with no page
 * size to bound it, so it costs more than any page. The table's size is unknown when a document
 * is priced, so the price is a share of the budget instead: six counts fit in one request (a
 * dashboard's few totals), or one full page of 500 customers with their alerts and two counts.
 */
export const COUNT_PRICE = 4_000;

interface PricingState {
  /** Prices of the counts seen since the last list was priced (see pageSizeEstimator). */
  pendingCounts: number;
}

const countEstimator: ComplexityEstimator = ({ field, context }) => {
  if (field.name !== 'totalCount') return undefined;
  (context as PricingState).pendingCounts += COUNT_PRICE;
  return COUNT_PRICE;
};

/**
 * A list with a `first` argument costs its children once per row it can return: `first`, or the
 * field's declared default when `first` is absent or `null` (the service returns that default
 * page then). A `totalCount` beside the rows runs once, not per row: children are priced before
 * their parent, so the counts noted since the last list was priced are this connection's own, and
 * they are added once instead of multiplied.
 */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity, context }) => {
  const first = field.args.find((arg) => arg.name === 'first');
  if (!first) return undefined;
  const size = typeof args.first === 'number' ? args.first : typeof first.defaultValue === 'number' ? first.defaultValue : MAX_PAGE_SIZE;
  const state = context as PricingState;
  const counts = state.pendingCounts;
  state.pendingCounts = 0;
  return 1 + counts + (childComplexity - counts) * Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
};

const ESTIMATORS = [countEstimator, fieldExtensionsEstimator(), pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })];

function refusal(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extensions, http: { status: 400 } } });
}

/**
 * Prices every operation before it runs and refuses one whose price exceeds `maxComplexity`, or
 * that cannot be priced, so one request cannot ask for 500 customers × every alert many times
 * over. Nothing runs unpriced. Pricing walks the document against the schema on every request:
 * about 0.2 ms for a typical query, too little to be worth a cache.
 */
export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const price = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number => {
    try {
      return getComplexity({ schema, query: document, operationName, variables, estimators: ESTIMATORS,
        maxQueryNodes: MAX_PRICED_NODES, context: { pendingCounts: 0 } satisfies PricingState });
    } catch {
      throw refusal(`Query could not be priced (more than ${MAX_PRICED_NODES} selections?); it was not run`);
    }
  };

  const listener: GraphQLRequestListener<object> = {
    async didResolveOperation({ request, document, operation }) {
      const variables = request.variables ?? {};
      // Refused here as execution would refuse them, so that every document that runs was priced
      // with the values it runs with.
      const coercion = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
      if (coercion.errors) {
        throw new GraphQLError(coercion.errors[0].message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      }
      const complexity = price(document, request.operationName ?? undefined, variables);
      if (complexity > maxComplexity) {
        throw refusal(`Query is too complex: ${complexity}; the maximum is ${maxComplexity}`, { complexity, maxComplexity });
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
