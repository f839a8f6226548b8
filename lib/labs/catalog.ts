/**
 * Every lab the app has, as plain data (each lab's info.ts): the /labs index, the lab pages, the docs
 * directive (`::lab{name="…"}`) and the docs checker read this list, so a lab that is not listed here
 * cannot be embedded (the docs build fails) and a listed lab cannot be missing from the index. No
 * server code here: client components may import it. The registry (registry.ts, server side) must
 * define a lab for every name here, and no other: type-checking holds the two together.
 */

import { clusterInfo } from './cluster/info';
import { consumerGroupsInfo } from './consumer-groups/info';
import type { LabInfo } from './definition';
import { durabilityInfo } from './durability/info';
import { partitioningInfo } from './partitioning/info';
import { pollingInfo } from './polling/info';

const INFOS = [pollingInfo, partitioningInfo, consumerGroupsInfo, durabilityInfo, clusterInfo] as const;

export type LabName = (typeof INFOS)[number]['name'];

export const LABS: readonly LabInfo<LabName>[] = INFOS;

export const LAB_NAMES: readonly LabName[] = LABS.map((lab) => lab.name);

export function isLabName(name: string): name is LabName {
  return (LAB_NAMES as readonly string[]).includes(name);
}

export function findLab(name: string): LabInfo<LabName> | undefined {
  return LABS.find((lab) => lab.name === name);
}
