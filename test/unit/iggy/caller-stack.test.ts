import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IggyClient, IggyErrorCode, isIggyError, type IggyError } from '@/lib/iggy';
import { startTestServer, type TestServer } from '@/test/support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

async function rejectionOf(promise: Promise<unknown>): Promise<IggyError> {
  try {
    await promise;
  } catch (error) {
    if (isIggyError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to reject');
}

// Named functions whose names must show up in the stacks below.
function createTheSameStreamAgain(client: IggyClient): Promise<unknown> {
  return client.createStream('caller-stack');
}

function askForStatsThenLoseTheConnection(client: IggyClient): Promise<unknown> {
  return client.getStats();
}

describe("an IggyError rejected from a client call keeps the caller's stack", () => {
  it('a server status answered on the socket names the function that made the call', async () => {
    const client = IggyClient.fromUrl(server.url, { requestTimeoutMs: 5_000, connectTimeoutMs: 3_000 });
    try {
      await client.connect();
      await client.createStream('caller-stack');
      const error = await rejectionOf(createTheSameStreamAgain(client));
      expect(error.code).toBe(IggyErrorCode.StreamNameAlreadyExists);
      expect(error.stack).toMatch(/^IggyError: /);
      expect(error.stack).toContain('createTheSameStreamAgain');
    } finally {
      await client.close();
    }
  });

  it('a disconnect while the call waits names its caller too', async () => {
    const client = IggyClient.fromUrl(server.url, { requestTimeoutMs: 5_000, connectTimeoutMs: 3_000 });
    await client.connect();
    const pending = askForStatsThenLoseTheConnection(client);
    client.dropConnection();
    const error = await rejectionOf(pending);
    expect(error.kind).toBe('disconnected');
    expect(error.stack).toContain('askForStatsThenLoseTheConnection');
  });

  it("each rejection carries its own caller's frames, once", async () => {
    const client = IggyClient.fromUrl(server.url, { requestTimeoutMs: 5_000, connectTimeoutMs: 3_000 });
    try {
      await client.connect();
      await client.createStream('caller-stack-twice').catch(() => undefined);
      const first = await rejectionOf(createTwiceFirst(client));
      const second = await rejectionOf(createTwiceSecond(client));
      expect(first.stack).toContain('createTwiceFirst');
      expect(second.stack).toContain('createTwiceSecond');
      expect(first.stack).not.toContain('createTwiceSecond');
      expect(second.stack?.split('--- called from ---')).toHaveLength(2);
    } finally {
      await client.close();
    }
  });
});

function createTwiceFirst(client: IggyClient): Promise<unknown> {
  return client.createStream('caller-stack-twice');
}

function createTwiceSecond(client: IggyClient): Promise<unknown> {
  return client.createStream('caller-stack-twice');
}
