import { noStateQuerySchema } from '../schema-parts';
import { defineLab } from '../definition';
import { clusterActionSchema } from './contract';
import { clusterInfo } from './info';
import { ClusterLab } from './lab';
import { CLUSTER_LIMITS } from './limits';

/** The cluster lab, as the registry lists it and the lab route serves it. */
export const clusterLab = defineLab({
  ...clusterInfo,
  actionSchema: clusterActionSchema,
  stateQuerySchema: noStateQuerySchema,
  create: (host) => new ClusterLab(host),
  // The state reader, the cluster-aware writer, and a plain connection to each of a few nodes.
  maxConnections: 2 + CLUSTER_LIMITS.nodeConnectionsMax,
});
