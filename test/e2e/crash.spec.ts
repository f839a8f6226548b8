import type { APIRequestContext, Page } from '@playwright/test';
import { expect, expectConnected, scrollTimelineTo, test, timelineRows } from './fixtures';

/**
 * Issue 12, against the test server's journal model (docs/iggy-concepts.md#what-a-crash-loses): a crash of Iggy loses the messages still in
 * the partition journal and the offsets start again. The page must say so — a divider with the lost range, a mark
 * on the partition lane — and show every message that exists afterwards, offsets 0, 1, 2 … with the producer's
 * JSON ids still counting. A graceful restart loses nothing and shows no divider.
 */

interface StatusBody {
  producer: { sent: number; running: boolean };
  consumer: { received: number };
  resets: { id: number; partitionId: number; lostFrom: string; lostTo: string; afterSeq: number }[];
}

interface MessageBody {
  seq: number;
  offset: string;
  partitionId: number;
  payload: { id: number };
}

async function status(request: APIRequestContext): Promise<StatusBody> {
  return (await (await request.get('/api/status')).json()) as StatusBody;
}

async function allMessages(request: APIRequestContext): Promise<MessageBody[]> {
  const body = (await (await request.get('/api/messages?limit=1000')).json()) as { messages: MessageBody[] };
  return body.messages;
}

async function produce(page: Page, request: APIRequestContext, atLeast: number): Promise<number> {
  await page.getByRole('button', { name: 'Start producer' }).click();
  await expect(page.getByRole('button', { name: 'Stop producer' })).toBeEnabled();
  await expect
    .poll(async () => (await status(request)).consumer.received, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(atLeast);
  await page.getByRole('button', { name: 'Stop producer' }).click();
  await expect(page.getByRole('button', { name: 'Start producer' })).toBeEnabled();
  await expect.poll(async () => (await status(request)).producer.running).toBe(false);
  const { sent } = (await status(request)).producer;
  await expect.poll(async () => (await status(request)).consumer.received, { timeout: 20_000 }).toBe(sent);
  return sent;
}

async function openDashboard(page: Page) {
  await page.goto('/');
  await expectConnected(page);
  await expect(page.getByText(/^Live/)).toBeVisible();
  await page
    .getByRole('radiogroup', { name: 'Producer rate' })
    .getByRole('radio', { name: '10 per second' })
    .check();
}

test('a crash that loses messages: the divider names the lost range, and no message is skipped', async ({
  page,
  request,
  iggy,
}) => {
  await openDashboard(page);
  const before = await produce(page, request, 6);

  await iggy.crash();
  await iggy.start();
  await expectConnected(page);
  const total = await produce(page, request, before + 3);
  const after = total - before;

  // The API: one reset with the lost range, placed after the last message shown before it.
  await expect
    .poll(async () => (await status(request)).resets)
    .toEqual([
      expect.objectContaining({
        id: 1,
        partitionId: 0,
        lostFrom: '0',
        lostTo: String(before - 1),
        afterSeq: before,
      }),
    ]);
  const messages = await allMessages(request);
  const offsets = [
    ...Array.from({ length: before }, (_, i) => String(i)),
    ...Array.from({ length: after }, (_, i) => String(i)),
  ];
  expect(messages.map((m) => m.offset)).toEqual(offsets);
  expect(messages.map((m) => m.payload.id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

  // The page: the divider, then offsets 0, 1, 2 … again while the ids keep counting. How many rows sit above the
  // divider depends on how fast the machine ran the producer: bring it into view in the virtualized list.
  await expect.poll(async () => (await timelineRows(page)).length, { timeout: 30_000 }).toBe(total);
  await expect
    .poll(() => scrollTimelineTo(page, '[data-testid="reset-divider"]'), { timeout: 30_000 })
    .toBe(true);
  const divider = page.getByTestId('reset-divider');
  await expect(divider).toBeVisible();
  await expect(divider).toContainText(`Iggy lost offsets 0–${before - 1} of partition 0`);
  await expect(divider).toContainText('the server restarted before flushing its in-memory journal');
  await expect(divider.getByRole('link', { name: 'Learn about what a crash loses' })).toHaveAttribute(
    'href',
    '/docs/iggy-concepts#what-a-crash-loses',
  );
  await expect(divider).toHaveAttribute('data-after-seq', String(before));
  await expect(page.getByTestId('reset-mark-0')).toContainText(`lost offsets 0–${before - 1}`);
  const rows = await timelineRows(page);
  expect(rows.map((r) => String(r.offset))).toEqual(offsets);
  expect(rows.map((r) => r.id)).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
  // In the list (newest first) the divider sits between the first new offset 0 and the last old one.
  expect(await scrollTimelineTo(page, '[data-testid="reset-divider"]')).toBe(true);
  const order = await page
    .getByRole('list', { name: 'Message timeline' })
    .evaluate((list) =>
      [...list.querySelectorAll('[data-testid="message-offset"], [data-testid="reset-divider"]')].map(
        (el) => el.getAttribute('data-seq') ?? 'divider',
      ),
    );
  const at = order.indexOf('divider');
  expect(order[at - 1]).toBe(String(before + 1));
  expect(order[at + 1]).toBe(String(before));
});

test('a graceful restart: no divider, no loss, offsets simply continue', async ({ page, request, iggy }) => {
  await openDashboard(page);
  const before = await produce(page, request, 4);
  await iggy.restartGracefully();
  await expectConnected(page);
  const total = await produce(page, request, before + 3);

  expect((await status(request)).resets).toEqual([]);
  const messages = await allMessages(request);
  expect(messages.map((m) => m.offset)).toEqual(Array.from({ length: total }, (_, i) => String(i)));
  expect(messages.map((m) => m.payload.id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  await expect.poll(async () => (await timelineRows(page)).length, { timeout: 15_000 }).toBe(total);
  await expect(page.getByTestId('reset-divider')).toHaveCount(0);
  await expect(page.getByTestId('reset-mark-0')).toHaveCount(0);
});
