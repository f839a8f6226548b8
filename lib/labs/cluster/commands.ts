/**
 * How to kill the primary and bring it back, per way the cluster runs (what `npm run demo -- --cluster` starts
 * and prints). Plain data, the page imports it: the lab itself never kills anything, it does not own the
 * servers' processes.
 */

export interface DrillCommand {
  label: string;
  command: string;
}

export interface DrillSetup {
  id: 'docker' | 'binary' | 'stand-in';
  title: string;
  /** Commands per node index, or one line for whichever node leads. */
  kill: (primaryIndex: number | null) => DrillCommand[];
  restart: (primaryIndex: number | null) => DrillCommand[];
  note: string;
}

const CONTAINER = (i: number) => `iggy-demo-node-${i}`;

export const DRILL_SETUPS: readonly DrillSetup[] = [
  {
    id: 'docker',
    title: 'Docker Compose (server/docker-compose.cluster.yml): containers iggy-demo-node-0, -1 and -2',
    kill: (i) =>
      i === null
        ? [0, 1, 2].map((n) => ({ label: `Kill node-${n}`, command: `docker kill ${CONTAINER(n)}` }))
        : [{ label: `Kill the primary, node-${i}`, command: `docker kill ${CONTAINER(i)}` }],
    restart: (i) =>
      i === null
        ? [0, 1, 2].map((n) => ({ label: `Start node-${n} again`, command: `docker start ${CONTAINER(n)}` }))
        : [{ label: `Start node-${i} again`, command: `docker start ${CONTAINER(i)}` }],
    note: 'docker kill sends SIGKILL: the node stops at once, as in a crash. The container keeps its data volume; docker start brings the node back as a follower.',
  },
  {
    id: 'binary',
    title: 'IGGY_SERVER_BIN: three processes the launcher started',
    kill: () => [
      {
        label: 'Kill the primary (its pid is the one the launcher printed for that node)',
        command: 'kill -KILL <pid of the primary node>',
      },
    ],
    restart: () => [
      {
        label: 'Restart every node that is down (the launcher’s own pid, as it printed it)',
        command: 'kill -USR2 <pid of npm run demo>',
      },
    ],
    note: 'The launcher prints one “kill node-N: kill -KILL <pid>” line per node at start: use the line of the node the roster names leader. The lab cannot know those pids.',
  },
  {
    id: 'stand-in',
    title: 'The stand-in cluster (no Docker, no IGGY_SERVER_BIN)',
    kill: () => [
      {
        label: 'Kill the current primary (the pid the launcher printed)',
        command: 'kill -USR1 <pid of the stand-in>',
      },
    ],
    restart: () => [
      { label: 'Restart the dead nodes (the same pid)', command: 'kill -USR2 <pid of the stand-in>' },
    ],
    note: 'The stand-in kills whichever node is primary now; the launcher printed its pid under “Failover drill”.',
  },
];

/** node-2 → 2, for the compose file's container names; null for a name that is not node-N. */
export function nodeIndexOf(name: string | undefined): number | null {
  const match = name === undefined ? null : /^node-(\d{1,2})$/.exec(name);
  return match ? Number(match[1]) : null;
}
