// The environment for an iggy-server that `npm run demo` starts from IGGY_SERVER_BIN.
// The server reads every IGGY_* variable as configuration, so handing it the launcher's whole environment would
// also hand it this app's own settings (IGGY_URL, IGGY_SERVER_BIN, IGGY_STREAM, …): at best "Unknown environment
// variable" warnings in its log, at worst a name that a later server version does read. So the child gets the
// few operating-system variables a process needs, the Rust logging knobs, and the settings the launcher chose.

/** Variables passed through unchanged when present: what any process needs, plus the server's log controls. */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TZ',
  'LANG',
  'RUST_LOG',
  'RUST_BACKTRACE',
];

/**
 * The settings the launcher gives the server. The data directory is not among them: the child runs with
 * .data/iggy as its working directory and the server's default data path (`local_data`) is relative to it.
 * IGGY_PATH would be the released 0.9.0 name for it, and edge builds report it as unknown.
 */
export function launcherServerSettings(target, version) {
  return {
    IGGY_ROOT_USERNAME: target.username,
    IGGY_ROOT_PASSWORD: target.password,
    IGGY_TCP_ADDRESS: `${target.host === 'localhost' ? '127.0.0.1' : target.host}:${target.port}`,
    IGGY_HTTP_ADDRESS: '127.0.0.1:8080', // the default 3000 would take the web app's port
    IGGY_QUIC_ENABLED: 'false',
    [cpuAllocationName(version)]: 'all', // 0.9.0 on single-NUMA machines, see docs/troubleshooting.md
  };
}

/**
 * The version in `iggy-server --version` output ("server 0.9.0-edge.5" → "0.9.0-edge.5"); undefined when the
 * output holds none.
 */
export function parseServerVersion(output) {
  return /\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(String(output ?? ''))?.[1];
}

/**
 * True for a build from before the released 0.9.0 renamed the settings of its `[system]` table (a pre-release
 * such as 0.9.0-edge.5, or anything older): those builds read `IGGY_SYSTEM_SHARDING_CPU_ALLOCATION`, and a debug
 * build of them stops at start-up on the released name; the released 0.9.0 in turn refuses the old name. An
 * unknown version gets the released names.
 */
export function usesPreReleaseNames(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(version ?? '');
  if (!match) return false;
  const [major, minor, patch] = match.slice(1, 4).map(Number);
  const core = major * 1_000_000 + minor * 1_000 + patch;
  const release = 9_000; // 0.9.0
  return core < release || (core === release && match[4] !== undefined);
}

/** The CPU allocation setting's name for a server of `version` (see usesPreReleaseNames). */
export function cpuAllocationName(version) {
  return usesPreReleaseNames(version)
    ? 'IGGY_SYSTEM_SHARDING_CPU_ALLOCATION'
    : 'IGGY_SHARDING_CPU_ALLOCATION';
}

/** Builds the child's environment from the launcher's own and the launcher's settings (settings win). */
export function serverEnvironment(parentEnv, settings) {
  const env = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value === undefined) continue;
    if (PASSED_THROUGH.includes(name) || name.startsWith('LC_')) env[name] = value;
  }
  return { ...env, ...settings };
}

/** The cluster's name, as its metadata reports it. */
export const CLUSTER_NAME = 'demo-cluster';

/** Each node's replica port (the VSR traffic between nodes): its client port + 10000, e.g. 8090 → 18090. */
export function replicaPort(clientPort) {
  return clientPort + 10_000;
}

/**
 * The settings of node `index` of a cluster of `nodes` ({ host, port } on loopback) started from
 * IGGY_SERVER_BIN, each process in its own data folder (its working directory) and with `--replica-id index`.
 * The cluster names (IGGY_CLUSTER_*) were seen working only on the 0.9.0-edge.5 build; the released 0.9.0 is
 * expected to read the same ones but that is not confirmed. HTTP, QUIC and WebSocket are off: three servers on
 * one machine would otherwise fight over their default ports (and HTTP's 3000 is the web app's). `version` is
 * the binary's own (parseServerVersion), for the CPU allocation setting's name.
 */
export function clusterNodeSettings(nodes, index, credentials, version) {
  const self = nodes[index];
  const settings = {
    IGGY_ROOT_USERNAME: credentials.username, // mandatory in cluster mode
    IGGY_ROOT_PASSWORD: credentials.password,
    IGGY_TCP_ADDRESS: `${loopbackIp(self.host)}:${self.port}`,
    IGGY_HTTP_ENABLED: 'false',
    IGGY_QUIC_ENABLED: 'false',
    IGGY_WEBSOCKET_ENABLED: 'false',
    [cpuAllocationName(version)]: 'all',
    IGGY_CLUSTER_ENABLED: 'true',
    IGGY_CLUSTER_NAME: CLUSTER_NAME,
  };
  nodes.forEach((node, i) => {
    const prefix = `IGGY_CLUSTER_NODES_${i}_`;
    settings[`${prefix}NAME`] = `node-${i}`;
    settings[`${prefix}IP`] = loopbackIp(node.host); // a literal IP: what the cluster metadata lists
    settings[`${prefix}REPLICA_ID`] = String(i);
    settings[`${prefix}PORTS_TCP`] = String(node.port);
    settings[`${prefix}PORTS_TCP_REPLICA`] = String(replicaPort(node.port));
  });
  return settings;
}

function loopbackIp(host) {
  return host === 'localhost' ? '127.0.0.1' : host;
}
