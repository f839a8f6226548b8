// Child processes of `npm run demo` that must not outlive it. Each runs in its own process group, so stopping
// it stops whatever it started too (`next start` runs a separate next-server process; a server started through a
// wrapper has the real server as a child), and a Ctrl-C in the terminal reaches only the launcher, which then
// stops them in order.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './run.mjs';

const live = new Set();

/**
 * Starts `command` as the leader of a new process group. With `prefix`, its output is shown line by line behind
 * that prefix (so the reader can tell whose line it is); otherwise it goes straight to the terminal.
 */
export function spawnGroup(command, args, { prefix, ...options } = {}) {
  const child = spawn(command, args, {
    cwd: repoRoot,
    ...options,
    detached: true,
    stdio: ['ignore', prefix ? 'pipe' : 'inherit', prefix ? 'pipe' : 'inherit'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  if (prefix) {
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
    }
  }
  return child;
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Sends `signal` to the child's whole group and waits for the child to exit; SIGKILL after `graceMs`. */
export async function stopGroup(child, { signal = 'SIGTERM', graceMs = 10_000 } = {}) {
  if (child.pid === undefined) return;
  const exited = isRunning(child) ? new Promise((resolve) => child.once('exit', resolve)) : null;
  signalGroup(child, signal);
  if (exited) {
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // The leader may be gone while a grandchild still runs in the group (a next-server): end it too.
  signalGroup(child, 'SIGKILL');
}

// Last resort when the launcher exits without its cleanup (an uncaught error): no orphaned servers.
process.on('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});
