/**
 * Every lab the app serves, one definition each (server side: it imports the labs; pages and client
 * components read catalog.ts instead). The one route app/api/labs/[lab]/route.ts serves them all.
 *
 * Add a lab
 * 1. Make a folder lib/labs/<name>/ holding the lab and nothing else:
 *    - info.ts: `export const <name>Info = { name, title, summary, docs: { slug, anchor, section },
 *      refreshMs } as const satisfies LabInfo;` plain data, the browser imports it.
 *    - limits.ts: the plain numbers the schemas and the page share (no zod).
 *    - contract.ts: the action schema (a zod discriminated union on `action` of `.strict()` objects,
 *      one of them `{ action: 'reset' }`), the state and outcome types, and
 *      `interface <Name>LabTypes extends LabTypes { name; actions; outcomes: { <action>: <Outcome> };
 *      state }`, which the route's lab and the page are both checked against.
 *    - lab.ts (and explanations.ts and the like, each file under ~400 lines): a class built around its
 *      LabHost with `state(query)` (reads through `host.read`), `perform(action): Promise<LabResult<
 *      <Name>LabTypes>>` (each action runs in `host.act`, which records its frames; answers come from
 *      `actionResults<<Name>LabTypes>('<name>')`) and `reset()`. `#` private fields.
 *    - index.ts: `export const <name>Lab = defineLab({ ...<name>Info, actionSchema, stateQuerySchema
 *      (noStateQuerySchema when the state takes no parameters), create: (host) => new <Name>Lab(host) })`,
 *      plus `maxConnections` when the lab needs more Iggy connections than the default 6.
 * 2. Add `<name>Info` to INFOS in lib/labs/catalog.ts and `<name>Lab` to LAB_DEFINITIONS below; until
 *    both are there type-checking fails. GET/POST /api/labs/<name>, the /labs index entry, the page
 *    /labs/<name> and the `::lab{name="<name>"}` directive follow from these two lines.
 * 3. Write app/_components/labs/<name>-lab.tsx: `const lab = useLab<<Name>LabTypes>('<name>')` with
 *    `import type` from lib/labs/<name>/contract (never runtime server code), the controls inside
 *    <LabFrame>, and add it to LAB_COMPONENTS in app/_components/labs/lab-view.tsx (a missing entry is
 *    a type error).
 * 4. Test the lab in test/unit/labs/ and its route in test/integration/labs/ (`labRoute(route,
 *    '/api/labs/<name>')` from lab-route-harness.ts, `route` being app/api/labs/[lab]/route), and put
 *    `::lab{name="<name>"}` at the end of the docs section info.docs names.
 */

import type { LabName } from './catalog';
import { clusterLab } from './cluster';
import { consumerGroupsLab } from './consumer-groups';
import type { LabDefinition } from './definition';
import { durabilityLab } from './durability';
import { partitioningLab } from './partitioning';
import { pollingLab } from './polling';

export const LAB_DEFINITIONS = {
  polling: pollingLab,
  partitioning: partitioningLab,
  'consumer-groups': consumerGroupsLab,
  durability: durabilityLab,
  cluster: clusterLab,
} as const satisfies { readonly [Name in LabName]: LabDefinition<Name> };
