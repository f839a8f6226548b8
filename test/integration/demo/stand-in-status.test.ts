import { afterEach, describe, expect, it } from 'vitest';
import { acquireIggy, type IggyTarget } from '@/test/support/harness';
import type { DemoRuntime } from '@/lib/demo/runtime';
import { startRuntime, testConfig, waitFor } from './runtime-fixture';

// The page's stand-in notice hangs on `iggy.standIn`: it must follow the version the server reports at login.
// A real server (IGGY_TEST_URL) reports its own version, so this needs the in-memory one.
describe.skipIf(Boolean(process.env.IGGY_TEST_URL))('IggyStatus.standIn', () => {
  const targets: IggyTarget[] = [];
  const runtimes: DemoRuntime[] = [];
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
    await Promise.all(targets.splice(0).map((target) => target.close()));
  });

  it.each([
    ['0.9.0+stand-in', true],
    ['0.9.0', false],
  ])('a server reporting %s gives standIn = %s', async (serverVersion, standIn) => {
    const target = await acquireIggy({ serverVersion });
    targets.push(target);
    const { runtime } = startRuntime(testConfig(target));
    runtimes.push(runtime);
    await runtime.startProducer();
    await waitFor('the connection', () => runtime.status().iggy.connected);
    expect(runtime.status().iggy).toMatchObject({ serverVersion, standIn });
  });
});
