import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  getVariableValues,
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
 * The variables an operation's price can depend on: those in `first` arguments, in any argument
 * of a field with its own complexity function, and in directives (`@include`/`@skip` decide which
 * fields count). A variable used anywhere else (`customer(email: $email)`) cannot change it.
 */
function costVariables(document: DocumentNode, complexFields: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  visit(document, {
    Field(node) {
      for (const arg of node.arguments ?? []) {
        if (arg.name.value === 'first' || complexFields.has(node.name.value)) variablesIn(arg.value, names);
      }
    },
    Directive(node) {
      for (const arg of node.arguments ?? []) variablesIn(arg.value, names);
    },
  });
  return [...names].sort();
}

function refusal(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extensions, http: { status: 400 } } });
}

const MAX_CACHED_PER_DOCUMENT = 256;

/**
 * Prices every operation before it runs and refuses one whose price exceeds `maxComplexity`, or
 * that cannot be priced, so one request cannot ask for 500 customers × every alert many times
 * over. Nothing runs unpriced.
 *
 * Pricing walks the whole document against the schema (about 0.2 ms for a typical query, more
 * than the lookup it guards), so a price is kept per document (Apollo hands back the same parsed
 * document for the same query text), operation and values of the variables it depends on.
 */
export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const complexFields = fieldsWithComplexity(schema);
  const cache = new WeakMap<DocumentNode, { variables: string[]; prices: Map<string, number> }>();

  const price = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number => {
    let entry = cache.get(document);
    if (!entry) {
      entry = { variables: costVariables(document, complexFields), prices: new Map() };
      cache.set(document, entry);
    }
    const key = JSON.stringify([operationName ?? null, ...entry.variables.map((name) => variables[name] ?? null)]);
    const cached = entry.prices.get(key);
    if (cached !== undefined) return cached;
    let complexity: number;
    try {
      complexity = getComplexity({ schema, query: document, operationName, variables, estimators: ESTIMATORS,
        maxQueryNodes: MAX_PRICED_NODES, context: { pendingCounts: 0 } satisfies PricingState });
    } catch {
      throw refusal(`Query could not be priced (more than ${MAX_PRICED_NODES} selections?); it was not run`);
    }
    if (entry.prices.size >= MAX_CACHED_PER_DOCUMENT) entry.prices.clear();
    entry.prices.set(key, complexity);
    return complexity;
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
