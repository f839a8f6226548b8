import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { loadLabsConfig } from '@/lib/labs/config';
import { LabsRuntime, type LabsRuntimeOptions } from '@/lib/labs/runtime';

/** A labs runtime on its own stream (unique per test file), against the test server or IGGY_TEST_URL. */
export async function startLabs(
  options: LabsRuntimeOptions = {},
): Promise<{ target: IggyTarget; runtime: LabsRuntime; streamName: string; close(): Promise<void> }> {
  const target = await acquireIggy();
  const streamName = uniqueName('labs');
  const runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: target.url, IGGY_LABS_STREAM: streamName }), {
    clientOptions: { connectTimeoutMs: 2000, requestTimeoutMs: 3000 },
    ...options,
  });
  return {
    target,
    runtime,
    streamName,
    close: async () => {
      await runtime.close();
      await target.close();
    },
  };
}
