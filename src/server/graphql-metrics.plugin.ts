import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ServiceMetrics } from '../metrics/service-metrics';

function rootFieldNames(selectionSet: SelectionSetNode, document: DocumentNode, into: Set<string>, seen = new Set<string>()): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFieldNames(selection.selectionSet, document, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((definition) =>
        definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFieldNames(fragment.selectionSet, document, into, seen);
    }
  }
}

// The operation label is the root fields it asks for (`customers+syncRuns`), not the client's
// operation name: names are free text, so a client could make the series grow without bound.
function operationLabel(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined): string {
  if (!operation || !document) return '-';
  const names = new Set<string>();
  rootFieldNames(operation.selectionSet, document, names);
  return [...names].sort().join('+');
}

/** Counts each GraphQL request and its latency by operation and outcome. */
export function graphqlMetricsPlugin(metrics: Pick<ServiceMetrics, 'graphqlRequest'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, document, errors, response }) {
          const failed = (errors?.length ?? 0) > 0 || (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlRequest(operationLabel(operation, document), failed ? 'error' : 'ok', seconds);
        },
      };
    },
  };
}
