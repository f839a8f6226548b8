import { defineLab } from '../definition';
import { noStateQuerySchema } from '../schema-parts';
import { durabilityActionSchema } from './contract';
import { durabilityInfo } from './info';
import { DurabilityLab } from './lab';

/** The durability lab, as the registry lists it and the lab route serves it. */
export const durabilityLab = defineLab({
  ...durabilityInfo,
  actionSchema: durabilityActionSchema,
  stateQuerySchema: noStateQuerySchema,
  create: (host) => new DurabilityLab(host),
});
