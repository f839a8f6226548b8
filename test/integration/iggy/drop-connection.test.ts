/**
 * IggyClient.dropConnection(): the socket goes away without a Logout and the client never comes back, so the
 * server has to notice the vanished client itself (a consumer group then removes the member). Runs unchanged
 * against a real server (IGGY_TEST_URL).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { commandName, type FrameEvent } from '@/lib/iggy';
import { connectedClient, waitFor } from './clients';

const target: IggyTarget = await acquireIggy();
afterAll(async () => {
  await target.close();
});

describe('IggyClient.dropConnection', () => {
  it('closes the socket without logout and without reconnecting, even with reconnects enabled', async () => {
    const client = await connectedClient(target.url, {
      reconnect: { enabled: true, initialDelayMs: 10, maxDelayMs: 20 },
    });
    const sent: string[] = [];
    client.onFrame((frame: FrameEvent) => {
      if (frame.direction === 'sent') sent.push(commandName(frame.operation, frame.commandCode));
    });
    const states: string[] = [];
    client.onStateChange((state) => states.push(state));
    client.dropConnection();
    expect(client.state).toBe('closed');
    // Long enough for several reconnect attempts at 10–20 ms, had any been scheduled.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(states).toEqual(['closed']);
    expect(sent).toEqual([]);
    await expect(client.getStats()).rejects.toMatchObject({ kind: 'closed' });
    client.dropConnection(); // idempotent
    await client.close(); // and close() afterwards is a no-op, not a logout on a dead socket
    expect(sent).toEqual([]);
  });

  it('lets the server remove a vanished group member and deal its partitions to the others', async () => {
    const admin = await connectedClient(target.url);
    const stream = (await admin.createStream(uniqueName('drop'))).name;
    try {
      await admin.createTopic({ streamId: stream, name: 't', partitionsCount: 2 });
      await admin.createConsumerGroup(stream, 't', 'g');
      const stays = await connectedClient(target.url);
      const vanishes = await connectedClient(target.url);
      await stays.joinConsumerGroup(stream, 't', 'g');
      await vanishes.joinConsumerGroup(stream, 't', 'g');
      expect((await admin.getConsumerGroup(stream, 't', 'g'))?.membersCount).toBe(2);
      vanishes.dropConnection();
      await waitFor(
        async () => (await admin.getConsumerGroup(stream, 't', 'g'))?.membersCount === 1,
        5_000,
        'the server to remove the dropped member',
      );
      expect((await stays.syncConsumerGroup(stream, 't', 'g'))?.partitions.sort()).toEqual([0, 1]);
    } finally {
      await admin.deleteStream(stream);
    }
  });
});
