import { describe, expect, it } from 'vitest';
import { ClusterModel } from '../../support/model/cluster';
import { ManualClock } from './manual-clock';

/** docs/iggy-concepts.md#replication-and-clusters: who leads, and when a dead primary is replaced. */

function cluster(size = 3, timings = {}) {
  const clock = new ManualClock();
  const model = new ClusterModel(size, timings, clock);
  const views: { view: number; primary: number; atMs: number }[] = [];
  model.onViewChange((event) => views.push(event));
  return { clock, model, views };
}

describe('cluster model', () => {
  it('starts in view 0 with node 0 the writable primary and a quorum of ⌊N/2⌋+1', () => {
    const { model } = cluster(3);
    expect(model.view).toBe(0);
    expect(model.metadataPrimary).toBe(0);
    expect(model.writablePrimary).toBe(0);
    expect(model.quorum).toBe(2);
    expect(new ClusterModel(5).quorum).toBe(3);
    expect(new ClusterModel(1).quorum).toBe(1);
  });

  it('replaces a killed primary with node (view+1) mod N exactly 5 000 + 250 ms after the kill', () => {
    const { clock, model, views } = cluster(3);
    const killedAt = clock.now();
    model.kill(0);
    // Nobody takes writes, but metadata still names the dead node until the view settles.
    expect(model.writablePrimary).toBeUndefined();
    expect(model.metadataPrimary).toBe(0);
    clock.advance(5249);
    expect(model.writablePrimary).toBeUndefined();
    expect(model.status).toBe('view-change');
    clock.advance(1);
    expect(model.writablePrimary).toBe(1);
    expect(model.view).toBe(1);
    expect(views).toEqual([{ view: 1, primary: 1, atMs: killedAt + 5250 }]);
  });

  it('takes the heartbeat timeout it is given', () => {
    const { clock, model } = cluster(3, { heartbeatTimeoutMs: 800, electionDelayMs: 0 });
    model.kill(0);
    clock.advance(799);
    expect(model.writablePrimary).toBeUndefined();
    clock.advance(1);
    expect(model.writablePrimary).toBe(1);
  });

  it('a killed follower changes nothing while a quorum is left', () => {
    const { clock, model, views } = cluster(3);
    model.kill(2);
    expect(model.writablePrimary).toBe(0);
    clock.advance(20_000);
    expect(views).toEqual([]);
    expect(model.writablePrimary).toBe(0);
  });

  it('without a quorum the primary is stalled (takes no writes), and comes back with it', () => {
    const { model } = cluster(3);
    model.kill(1);
    model.kill(2);
    expect(model.metadataPrimary).toBe(0);
    expect(model.writablePrimary).toBeUndefined();
    expect(model.stalledPrimary).toBe(0);
    model.restart(2);
    expect(model.writablePrimary).toBe(0);
    expect(model.stalledPrimary).toBeUndefined();
  });

  it('elects nobody without a quorum; a restart that restores it completes the election', () => {
    const { clock, model, views } = cluster(3);
    model.kill(0);
    model.kill(1);
    clock.advance(60_000);
    expect(model.writablePrimary).toBeUndefined();
    expect(views).toEqual([]);
    model.restart(1);
    // The view change has moved on while waiting; the restart completes it once its candidate is electable.
    clock.advance(5000 + 250);
    expect(model.writablePrimary).toBeDefined();
    const primary = model.writablePrimary!;
    expect(model.isAlive(primary)).toBe(true);
    expect(primary).not.toBe(0);
    expect(views).toHaveLength(1);
  });

  it('skips a dead candidate: after the view-change timeout it moves on to the next view', () => {
    const { clock, model } = cluster(5);
    model.kill(1); // the next candidate, dead before the primary
    model.kill(0);
    clock.advance(5000 + 250);
    expect(model.writablePrimary).toBeUndefined();
    clock.advance(5000); // view 1 (node-1) cannot settle: escalate to view 2
    clock.advance(250);
    expect(model.view).toBe(2);
    expect(model.writablePrimary).toBe(2);
  });

  it('a restarted node rejoins as a follower; the metadata leader stays', () => {
    const { clock, model } = cluster(3);
    model.kill(0);
    clock.advance(5250);
    model.restart(0);
    expect(model.isAlive(0)).toBe(true);
    expect(model.metadataPrimary).toBe(1);
    expect(model.writablePrimary).toBe(1);
  });

  it('an old primary restarted before the timeout does not lead again: the failover goes on', () => {
    const { clock, model } = cluster(3);
    model.kill(0);
    clock.advance(1000);
    model.restart(0);
    expect(model.writablePrimary).toBeUndefined();
    clock.advance(4250);
    expect(model.writablePrimary).toBe(1);
  });

  it('a second failover moves on to the next node', () => {
    const { clock, model, views } = cluster(3);
    model.kill(0);
    clock.advance(5250);
    model.restart(0);
    model.kill(1);
    clock.advance(5250);
    expect(model.writablePrimary).toBe(2);
    expect(views.map((v) => v.primary)).toEqual([1, 2]);
    model.restart(1);
    model.kill(2);
    clock.advance(5250);
    // (view + 1) mod N wraps around to node 0.
    expect(model.writablePrimary).toBe(0);
    expect(model.view).toBe(3);
  });

  it('a candidate killed during the election makes the view change move on', () => {
    const { clock, model } = cluster(5);
    model.kill(0);
    clock.advance(5100); // view change to 1 started at 5 000
    model.kill(1);
    clock.advance(150); // its 250 ms are up: node-1 is dead, escalation starts
    expect(model.writablePrimary).toBeUndefined();
    clock.advance(5000 + 250);
    expect(model.writablePrimary).toBe(2);
  });

  it('refuses bad sizes, timings and node indexes', () => {
    expect(() => new ClusterModel(0)).toThrow(RangeError);
    expect(() => new ClusterModel(2.5)).toThrow(RangeError);
    expect(() => new ClusterModel(3, { heartbeatTimeoutMs: -1 })).toThrow(RangeError);
    const { model } = cluster(3);
    expect(() => model.kill(3)).toThrow(RangeError);
    expect(() => model.restart(-1)).toThrow(RangeError);
  });

  it('dispose stops every timer', () => {
    const { clock, model, views } = cluster(3);
    model.kill(0);
    model.dispose();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(20_000);
    expect(views).toEqual([]);
  });
});
