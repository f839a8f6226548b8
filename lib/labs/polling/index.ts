import { defineLab } from '../definition';
import { pollingActionSchema, pollingStateQuerySchema } from './contract';
import { pollingInfo } from './info';
import { PollingLab } from './lab';

/** The polling lab, as the registry lists it and the lab route serves it. */
export const pollingLab = defineLab({
  ...pollingInfo,
  actionSchema: pollingActionSchema,
  stateQuerySchema: pollingStateQuerySchema,
  create: (host) => new PollingLab(host),
});
