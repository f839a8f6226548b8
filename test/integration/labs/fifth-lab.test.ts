import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionResults } from '@/lib/labs/action-result';
import type { LabIggyStatus, LabTypes } from '@/lib/labs/contract';
import { defineLab } from '@/lib/labs/definition';
import { LAB_DEFINITIONS } from '@/lib/labs/registry';
import { labRouteHandlers } from '@/lib/labs/route-handlers';
import type { LabHost } from '@/lib/labs/runtime';
import { noStateQuerySchema } from '@/lib/labs/schema-parts';
import { BASE, call, labRoute, postRequest, startLabsRuntime, boundLabRoute } from './lab-route-harness';

/*
 * A lab is one definition: this file adds a fifth one (here only, never to the app) with nothing but
 * what a lab folder holds (a contract, a lab class, a definition) and serves it through the handlers
 * the real route builds, next to the four real labs.
 */

// ─── what lib/labs/pings/contract.ts would hold ─────────────────────────────

const pingsActionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('ping'), times: z.number().int().min(1).max(3) }).strict(),
    z.object({ action: z.literal('reset') }).strict(),
  ],
  { error: 'action must be "ping" or "reset"' },
);
type PingsAction = z.infer<typeof pingsActionSchema>;

interface PingsState {
  iggy: LabIggyStatus;
  pings: number;
}

interface PingsLabTypes extends LabTypes {
  name: 'pings';
  actions: PingsAction;
  outcomes: { ping: { pings: number }; reset: { forgot: number } };
  state: PingsState;
}

// ─── lib/labs/pings/lab.ts ──────────────────────────────────────────────────

const result = actionResults<PingsLabTypes>('pings');

class PingsLab {
  readonly #host: LabHost;
  #pings = 0;

  constructor(host: LabHost) {
    this.#host = host;
  }

  async state(): Promise<PingsState> {
    return { iggy: this.#host.iggyStatus(), pings: this.#pings };
  }

  async perform(action: PingsAction) {
    switch (action.action) {
      case 'ping': {
        const recorded = await this.#host.act(async (ctx) => {
          const client = await ctx.client();
          for (let n = 0; n < action.times; n += 1) await client.ping();
        });
        this.#pings += action.times;
        return result('ping', recorded, {
          explanation: `Pinged Iggy ${action.times} times.`,
          outcome: { pings: this.#pings },
        });
      }
      case 'reset': {
        const forgot = this.#pings;
        this.#pings = 0;
        await this.#host.disconnect();
        return result(
          'reset',
          { frames: [], framesDropped: 0 },
          {
            explanation: 'Forgot the count.',
            outcome: { forgot },
          },
        );
      }
    }
  }

  async reset() {
    return this.perform({ action: 'reset' });
  }
}

// ─── lib/labs/pings/index.ts ────────────────────────────────────────────────

const pingsLab = defineLab({
  name: 'pings',
  title: 'Pings',
  summary: 'Ping Iggy and count.',
  docs: { slug: 'iggy-concepts', anchor: 'pings', section: 'Pings' },
  refreshMs: 3_000,
  actionSchema: pingsActionSchema,
  stateQuerySchema: noStateQuerySchema,
  create: (host) => new PingsLab(host),
});

const handlers = labRouteHandlers({ ...LAB_DEFINITIONS, pings: pingsLab });

startLabsRuntime();
const pings = labRoute<PingsState>(handlers, '/api/labs/pings');

describe('a fifth lab, added as one definition', () => {
  it('is served with the shared envelope: state, an action with its frames, and Reset', async () => {
    expect(await pings.state()).toMatchObject({ iggy: { reachable: true }, pings: 0 });
    const pinged = await pings.act<{ pings: number }>({ action: 'ping', times: 2 });
    expect(pinged.status).toBe(200);
    expect(pinged.body).toMatchObject({
      lab: 'pings',
      action: 'ping',
      explanation: 'Pinged Iggy 2 times.',
      outcome: { pings: 2 },
      framesDropped: 0,
    });
    expect(pinged.body).not.toHaveProperty('cli');
    const pingFrames = pinged.body.frames.filter((f) => f.command === 'Ping');
    expect(pingFrames.map((f) => f.kind)).toEqual(['request', 'reply', 'request', 'reply']);
    expect((await pings.state()).pings).toBe(2);
    const reset = await pings.act<{ forgot: number }>({ action: 'reset' });
    expect(reset.body).toMatchObject({ lab: 'pings', action: 'reset', outcome: { forgot: 2 } });
    expect((await pings.state()).pings).toBe(0);
  });

  it('validates with its own schema before the lab is touched, and refuses another origin', async () => {
    const tooMany = await pings.send<{ error: { code: string; message: string } }>(
      JSON.stringify({ action: 'ping', times: 4 }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('BAD_REQUEST');
    const foreign = await pings.send<{ error: { code: string } }>('{"action":"reset"}', {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect((await pings.get<{ error: { code: string } }>('?x=1')).status).toBe(400);
    expect((await pings.state()).pings).toBe(0);
  });

  it('leaves the real labs where they were, and answers an unknown lab with a JSON 404 on every method', async () => {
    expect(Object.keys(LAB_DEFINITIONS)).not.toContain('pings');
    const polling = await call<{ iggy: LabIggyStatus }>(
      boundLabRoute(handlers, '/api/labs/polling').GET,
      new Request(`${BASE}/api/labs/polling`),
    );
    expect(polling.status).toBe(200);
    type Refusal = { error: { code: string; message: string } };
    // 'constructor' is on every object's prototype: a lookup that is not an own property would find it.
    for (const name of ['nowhere', 'constructor']) {
      const path = `/api/labs/${name}`;
      const route = boundLabRoute(handlers, path);
      const answers = {
        GET: await call<Refusal>(route.GET, new Request(`${BASE}${path}`)),
        POST: await call<Refusal>(route.POST, postRequest(path, '{"action":"reset"}')),
        PUT: await call<Refusal>(route.PUT, new Request(`${BASE}${path}`, { method: 'PUT' })),
      };
      for (const [method, answer] of Object.entries(answers)) {
        expect(answer.status, `${method} ${name}`).toBe(404);
        expect(answer.body.error.code, `${method} ${name}`).toBe('NOT_FOUND');
        expect(answer.body.error.message, `${method} ${name}`).toContain('pings');
      }
    }
  });
});
