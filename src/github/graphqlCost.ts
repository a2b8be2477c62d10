/**
 * GitHub's published GraphQL limits, as pure arithmetic over a query's connections
 * (docs.github.com → GraphQL → "Rate limits and query limits for the GraphQL API"):
 *
 * - **Cost (points)**: add up the requests needed to fulfil every connection, assuming each one reaches
 *   its `first`/`last` limit — a connection nested under a connection of `first: 50` needs 50 requests —
 *   then divide by 100 and round; a query costs at least 1 point.
 * - **Nodes**: every connection asks for `first` nodes per parent node; a call may ask for 500,000 in all.
 *
 * A query is described by its connections, not parsed: callers build the plan next to the query text
 * (the GitHub double computes the same figures from the query's syntax tree, and tests hold the two equal).
 */

/** One connection: its page size and the connections selected inside each of its nodes. */
export interface ConnectionPlan {
  first: number;
  children?: readonly ConnectionPlan[];
}

export interface QueryLimits {
  /** Requests GitHub counts to fulfil every connection. */
  requests: number;
  /** Nodes the query may return. */
  nodes: number;
  /** Points the query costs: max(1, round(requests / 100)). */
  cost: number;
}

/** GitHub's node limit per call. */
export const MAX_NODES_PER_CALL = 500_000;

/** Requests and nodes of `plans`, each reached `parents` times. */
function walk(plans: readonly ConnectionPlan[], parents: number): { requests: number; nodes: number } {
  let requests = 0;
  let nodes = 0;
  for (const plan of plans) {
    requests += parents;
    nodes += parents * plan.first;
    const inner = walk(plan.children ?? [], parents * plan.first);
    requests += inner.requests;
    nodes += inner.nodes;
  }
  return { requests, nodes };
}

/** Cost and node count of a query whose top-level connections are `roots` (each reached once). */
export function queryLimits(roots: readonly ConnectionPlan[]): QueryLimits {
  const { requests, nodes } = walk(roots, 1);
  return { requests, nodes, cost: pointsFor(requests) };
}

/** GitHub's rounding: requests / 100, rounded half up, at least 1. */
export function pointsFor(requests: number): number {
  return Math.max(1, Math.round(requests / 100));
}
