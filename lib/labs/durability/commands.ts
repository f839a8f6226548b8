/**
 * The crash and graceful-restart commands the durability lab shows, exactly as docs/getting-started.md
 * step 9 gives them (a unit test holds the two together). The app cannot stop the server itself: it
 * does not own the server's process, so the reader runs these and the lab reports what it saw after.
 * Plain data: the lab's page imports it.
 */

export interface RestartCommand {
  /** What the step does, as a label for the copy button. */
  label: string;
  command: string;
}

export interface RestartSetup {
  id: 'docker' | 'binary';
  title: string;
  crash: RestartCommand[];
  graceful: RestartCommand[];
  note: string;
}

/** The docs' manual start of a server the launcher ran from IGGY_SERVER_BIN, on one line. */
export const BINARY_START_COMMAND =
  'cd .data/iggy && IGGY_ROOT_USERNAME=iggy IGGY_ROOT_PASSWORD=iggy IGGY_TCP_ADDRESS=127.0.0.1:8090 ' +
  'IGGY_HTTP_ADDRESS=127.0.0.1:8080 IGGY_QUIC_ENABLED=false IGGY_SHARDING_CPU_ALLOCATION=all /path/to/iggy-server';

export const RESTART_SETUPS: readonly RestartSetup[] = [
  {
    id: 'docker',
    title: 'Docker (server/docker-compose.yml)',
    crash: [
      {
        label: 'kill the container without warning (SIGKILL)',
        command: 'docker kill --signal=KILL iggy-demo-server',
      },
      { label: 'start it again', command: 'docker start iggy-demo-server' },
    ],
    graceful: [
      {
        label: 'restart it gracefully (SIGTERM, then start)',
        command: 'docker compose -f server/docker-compose.yml restart',
      },
    ],
    note: 'Docker does not restart a container you killed yourself, hence the second crash command.',
  },
  {
    id: 'binary',
    title: 'A server started from IGGY_SERVER_BIN',
    crash: [
      { label: 'find the server’s process id', command: 'pgrep -x iggy-server' },
      { label: 'kill it without warning (SIGKILL)', command: 'kill -KILL <pid>' },
      { label: 'start it again from the same data directory', command: BINARY_START_COMMAND },
    ],
    graceful: [
      { label: 'find the server’s process id', command: 'pgrep -x iggy-server' },
      { label: 'stop it gracefully (SIGTERM)', command: 'kill -TERM <pid>' },
      { label: 'start it again from the same data directory', command: BINARY_START_COMMAND },
    ],
    note: 'The launcher does not restart a server it started: start it again by hand (replace <pid> and /path/to/iggy-server), and stop it with Ctrl+C when you are done.',
  },
];
