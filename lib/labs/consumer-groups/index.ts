import { defineLab } from '../definition';
import { noStateQuerySchema } from '../schema-parts';
import { consumerGroupsActionSchema } from './contract';
import { consumerGroupsInfo } from './info';
import { CONSUMER_GROUPS_MAX_CONNECTIONS, ConsumerGroupsLab } from './lab';

/** The consumer-group lab, as the registry lists it and the lab route serves it. */
export const consumerGroupsLab = defineLab({
  ...consumerGroupsInfo,
  actionSchema: consumerGroupsActionSchema,
  stateQuerySchema: noStateQuerySchema,
  create: (host) => new ConsumerGroupsLab(host),
  // One connection per member, plus the producer's, the admin's and the state reader's.
  maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS,
});
