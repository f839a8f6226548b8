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
export function launcherServerSettings(target) {
  return {
    IGGY_ROOT_USERNAME: target.username,
    IGGY_ROOT_PASSWORD: target.password,
    IGGY_TCP_ADDRESS: `${target.host === 'localhost' ? '127.0.0.1' : target.host}:${target.port}`,
    IGGY_HTTP_ADDRESS: '127.0.0.1:8080', // the default 3000 would take the web app's port
    IGGY_QUIC_ENABLED: 'false',
    IGGY_SHARDING_CPU_ALLOCATION: 'all', // 0.9.0 on single-NUMA machines, see docs/troubleshooting.md
  };
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
