// The decisions of `npm run demo`, kept apart from the processes they start so their order is tested.

/** Values of IGGY_STAND_IN that turn the stand-in off. */
const OFF = new Set(['0', 'false', 'no', 'off']);

export class UsageError extends Error {}

export const USAGE = `Usage: npm run demo [-- --cluster] [-- --no-stand-in]
  --cluster      start (or use) a three-node cluster instead of one server
  --no-stand-in  never start the in-memory stand-in (same as IGGY_STAND_IN=0)`;

/** { cluster, standIn } from the command line and the environment; throws UsageError on anything else. */
export function parseDemoOptions(argv, env) {
  const options = { cluster: false, standIn: !OFF.has((env.IGGY_STAND_IN ?? '').trim().toLowerCase()) };
  for (const arg of argv) {
    if (arg === '--cluster') options.cluster = true;
    else if (arg === '--no-stand-in') options.standIn = false;
    else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`Unknown option ${arg}.\n${USAGE}`);
  }
  return options;
}

/**
 * Which server `npm run demo` uses or starts, in order of preference: one that already answers; the real Iggy
 * from Docker, then from IGGY_SERVER_BIN; the in-memory stand-in only when neither is there. Nothing is started in
 * place of a remote server (the reader asked for that one). `dockerWorks` is a function: asking Docker takes a
 * few seconds, so it is asked only when it matters.
 *
 * @returns {'use-running' | 'docker' | 'binary' | 'stand-in' | 'none'}
 */
export function chooseServer({ answers, local, dockerWorks, serverBin, standIn }) {
  if (answers) return 'use-running';
  if (!local) return 'none';
  if (dockerWorks()) return 'docker';
  if (serverBin) return 'binary';
  if (standIn) return 'stand-in';
  return 'none';
}
