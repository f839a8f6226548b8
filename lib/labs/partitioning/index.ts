import { defineLab } from '../definition';
import { noStateQuerySchema } from '../schema-parts';
import { partitioningActionSchema } from './contract';
import { partitioningInfo } from './info';
import { PartitioningLab } from './lab';

/** The partitioning lab, as the registry lists it and the lab route serves it. */
export const partitioningLab = defineLab({
  ...partitioningInfo,
  actionSchema: partitioningActionSchema,
  stateQuerySchema: noStateQuerySchema,
  create: (host) => new PartitioningLab(host),
});
