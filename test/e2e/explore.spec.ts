import { readFile } from 'node:fs/promises';
import { Consumer, IggyClient, Partitioning, encodeUserHeaders } from '../../lib/iggy/index';
import { E2E_IGGY_PASSWORD, E2E_IGGY_USERNAME, expect, test } from './fixtures';
import type { TestServer } from '../support/index';

// The explorer end to end: browse a partition, seek by offset and by time, follow a live tail, send a message
// with headers and send one again, export the loaded range, watch a consumer's lag, and see a deleted topic
// reported as such; in the light theme on a desktop and in the dark theme at 390 px.

const STREAM = 'shop';
const TOPIC = 'orders';

async function seed(iggy: TestServer): Promise<IggyClient> {
  const client = new IggyClient({
    host: iggy.host,
    port: iggy.port,
    username: E2E_IGGY_USERNAME,
    password: E2E_IGGY_PASSWORD,
    requestTimeoutMs: 5_000,
  });
  await client.connect();
  await client.createStream(STREAM);
  await client.createTopic({ streamId: STREAM, name: TOPIC, partitionsCount: 2 });
  for (let i = 0; i < 5; i++) {
    await client.sendMessages({
      streamId: STREAM,
      topicId: TOPIC,
      partitioning: Partitioning.partitionId(0),
      messages: [
        {
          payload: JSON.stringify({ order: i }),
          userHeaders: encodeUserHeaders([{ key: 'source', value: { kind: 'string', value: 'seed' } }]),
        },
      ],
    });
    // Distinct server timestamps, so seeking by time has something to tell apart.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return client;
}

const messageCard = (page: import('@playwright/test').Page, offset: number) =>
  page.getByRole('article', { name: `Offset ${offset}`, exact: true });

test('browse, seek by offset and time, tail, send, send again, export and watch lag (light, desktop)', async ({
  page,
  iggy,
}) => {
  const client = await seed(iggy);
  try {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Explore' }).click();
    await expect(page.getByRole('heading', { name: 'Explore your server' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Stream shop/ })).toBeVisible();
    await page.getByText(/^Topic orders/).click();
    await page.getByRole('link', { name: 'Browse partition 0' }).click();

    // First page: all five seeded messages, JSON payload formatted, header decoded by kind.
    await expect(messageCard(page, 4)).toBeVisible();
    const first = messageCard(page, 0);
    await expect(first.getByLabel('Payload of message 0')).toContainText('"order": 0');
    await expect(first.getByRole('cell', { name: 'seed' })).toBeVisible();
    await expect(first).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6} UTC/);

    // Seek by offset, then by the server time of offset 3.
    await page.getByLabel('Offset', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Seek offset' }).click();
    await expect(messageCard(page, 0)).toHaveCount(0);
    await expect(messageCard(page, 2)).toBeVisible();
    await expect(page).toHaveURL(/\?offset=2$/);
    const polled = await client.pollMessages({
      consumer: Consumer.single('e2e-peek'),
      streamId: STREAM,
      topicId: TOPIC,
      partitionId: 0,
      strategy: { kind: 'offset', value: 3n },
      count: 1,
      autoCommit: false,
    });
    const micros = polled.messages[0]!.timestampMicros;
    // The time input takes milliseconds: offset 3's server time, cut to the millisecond, lands on offset 3
    // (the seeded messages are 20 ms apart).
    const millis = new Date(Number(micros / 1000n)).toISOString().slice(0, 23);
    await page.getByLabel('Time (UTC)').fill(millis);
    await page.getByRole('button', { name: 'Seek time' }).click();
    await expect(page).toHaveURL(/\?timestamp=\d+$/);
    await expect(messageCard(page, 3)).toBeVisible();
    await expect(messageCard(page, 2)).toHaveCount(0);

    // Live tail follows a message sent behind the page's back.
    await page.getByRole('button', { name: 'Live tail' }).click();
    await client.sendMessages({
      streamId: STREAM,
      topicId: TOPIC,
      partitioning: Partitioning.partitionId(0),
      messages: [{ payload: 'tailed text' }],
    });
    await expect(messageCard(page, 5).getByLabel('Payload of message 5')).toHaveText('tailed text');
    await page.getByRole('button', { name: 'Stop live tail' }).click();

    // Export the loaded range as JSON lines.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON lines' }).click(),
    ]);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { offset: string }).offset)).toContain('5');

    // Send a JSON message with a typed header to partition 1; the confirmation links to it.
    const form = page.getByRole('region', { name: 'Send a message' });
    await form.getByLabel('Partition id').first().check();
    await form.getByRole('textbox', { name: 'Partition id' }).fill('1');
    await form.getByLabel('Payload (at most').fill('{"sent":"by e2e"}');
    await form.getByRole('button', { name: 'Add header' }).click();
    await form.getByLabel('Header 1 key').fill('attempt');
    await form.getByLabel('Kind').selectOption('uint32');
    await form.getByLabel('Header 1 value').fill('7');
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(form.getByText('Sent to partition 1 at offset 0.')).toBeVisible();
    await form.getByRole('link', { name: 'Show it in the browser' }).click();
    await expect(page).toHaveURL(/\/explore\/shop\/orders\/1\?offset=0$/);
    const sent = messageCard(page, 0);
    await expect(sent.getByLabel('Payload of message 0')).toContainText('"sent": "by e2e"');
    await expect(sent.getByRole('row', { name: /attempt uint32 7/ })).toBeVisible();

    // Send it again: the form takes payload and headers; the copy lands at offset 1.
    await sent.getByRole('button', { name: 'Send message 0 again' }).click();
    const again = page.getByRole('region', { name: 'Send a message' });
    await expect(again.getByLabel('Header 1 value')).toHaveValue('7');
    await again.getByLabel('Partition id').first().check();
    await again.getByRole('textbox', { name: 'Partition id' }).fill('1');
    await again.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(again.getByText('Sent to partition 1 at offset 1.')).toBeVisible();

    // A consumer 2 behind on partition 0: its lag chart and a link to its first unconsumed message.
    await client.storeConsumerOffset({
      consumer: Consumer.single('e2e-reader'),
      streamId: STREAM,
      topicId: TOPIC,
      partitionId: 0,
      offset: 3n,
    });
    await page.getByLabel('Watch a consumer by name').fill('e2e-reader');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await expect(
      page.getByRole('img', { name: /Lag of consumer e2e-reader .* now 4 messages/ }),
    ).toBeVisible();
    await page.getByRole('link', { name: /2 behind on partition 0/ }).click();
    await expect(page).toHaveURL(/\/explore\/shop\/orders\/0\?offset=4$/);
    await expect(messageCard(page, 4)).toBeVisible();

    // Browsing stored nothing under the explorer's own consumer.
    const browsing = await client.getConsumerOffset({
      consumer: Consumer.single('iggy-demo-explorer-never-commits'),
      streamId: STREAM,
      topicId: TOPIC,
      partitionId: 0,
    });
    expect(browsing).toBeNull();
  } finally {
    await client.close();
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('deep link, send, and a deleted topic shown as such (dark, 390 px)', async ({ page, iggy }) => {
    const client = await seed(iggy);
    try {
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
      await page.goto('/explore/shop/orders/0?offset=3');
      await expect(messageCard(page, 3)).toBeVisible();
      await expect(messageCard(page, 2)).toHaveCount(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      const form = page.getByRole('region', { name: 'Send a message' });
      await form.getByLabel('Payload (at most').fill('not json');
      await expect(form.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
      await form.getByLabel('Text', { exact: true }).check();
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(form.getByText(/Sent to partition [01] at offset \d+\./)).toBeVisible();

      await client.deleteTopic(STREAM, TOPIC);
      await page.getByRole('button', { name: 'Newer →' }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'TOPIC_NOT_FOUND' }).first()).toContainText(
        'does not exist in stream "shop"',
      );
    } finally {
      await client.close();
    }
  });
});
