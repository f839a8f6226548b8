import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

/** `npm run test-server -- --cluster N` as a process: its startup lines, drill signals and bad flags. */

const CLI = ['--import', 'tsx', 'test/support/cli.ts'];

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], {
    env: { ...process.env, IGGY_TEST_SERVER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** Resolves once stdout holds a line matching `pattern` (bounded). */
  const line = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = out.split('\n').find((l) => pattern.test(l));
      if (match) return match;
      if (Date.now() > deadline)
        throw new Error(`no line ${pattern} in ${timeoutMs} ms; stdout: ${out} stderr: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, line, stderr: () => err };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('test-server CLI --cluster', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it.each([['0'], ['17'], ['two']])(
    'refuses --cluster %s with exit status 2 and a clear message',
    async (value) => {
      const run = start(['--cluster', value]);
      children.push(run.child);
      expect(await run.exited).toBe(2);
      expect(run.stderr()).toContain(`--cluster takes a node count from 1 to 16, got "${value}"`);
    },
  );

  it('prints each node and the seed list; SIGUSR1 kills the primary, SIGUSR2 restarts it, SIGTERM stops all', async () => {
    const run = start(['--cluster', '3'], { IGGY_TEST_SERVER_PASSWORD: 'not-printed' });
    children.push(run.child);
    const seed = await run.line(/seed list/);
    expect(seed).not.toContain('not-printed');
    expect(seed).toContain('kill -USR1 kills the current primary');
    const ports = [0, 1, 2].map((i) => Number(/:(\d+)$/.exec(seed.match(/@(\S+)/)![1]!.split(',')[i]!)![1]));
    expect(seed).toMatch(
      /iggy:\/\/iggy:\$IGGY_TEST_SERVER_PASSWORD@127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/,
    );
    for (let i = 0; i < 3; i += 1) {
      expect(await run.line(new RegExp(`node-${i} listening on 127\\.0\\.0\\.1:${ports[i]}$`))).toBeTruthy();
      expect(await accepts(ports[i]!)).toBe(true);
    }

    run.child.kill('SIGUSR1');
    await run.line(/node-0 \(the primary\) killed/);
    expect(await accepts(ports[0]!)).toBe(false);
    run.child.kill('SIGUSR2');
    await run.line(/node-0 restarted as a follower/);
    expect(await accepts(ports[0]!)).toBe(true);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    for (const port of ports) expect(await accepts(port)).toBe(false);
  });
});
