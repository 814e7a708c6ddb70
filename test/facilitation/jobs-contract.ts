import type { JobPort } from '../../src/ports/jobs';

const T0 = new Date('2026-12-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** The behaviour every job adapter must have; `make` opens a fresh port on the same store each call. */
export function describeJobsContract(name: string, make: () => Promise<JobPort>, cleanup: () => Promise<void>): void {
  describe(`${name} jobs`, () => {
    const opened: JobPort[] = [];
    const open = async () => {
      const port = await make();
      await port.open();
      opened.push(port);
      return port;
    };
    afterAll(async () => {
      for (const port of opened) await port.close();
      await cleanup();
    });

    it('keeps a job until it is due, hands it to one claimer, and keeps what it produced', async () => {
      const jobs = await open();
      const job = await jobs.schedule({ kind: 'k1', group: 'g1', payload: { module: 'm2' }, runAt: at(1) }, T0);
      expect(job).toMatchObject({ state: 'scheduled', attempts: 0, payload: { module: 'm2' } });
      expect(await jobs.claimDue(['k1'], at(0.5), 60_000, 10)).toEqual([]);
      const [claimed] = await jobs.claimDue(['k1'], at(1), 60_000, 10);
      expect(claimed).toMatchObject({ id: job.id, state: 'running', attempts: 1 });
      expect(await jobs.claimDue(['k1'], at(1), 60_000, 10)).toEqual([]);
      expect(await jobs.complete(claimed, { messageId: 'activity-1' }, at(1))).toBe(true);
      expect(await jobs.get(job.id)).toMatchObject({ state: 'done', result: { messageId: 'activity-1' } });
      expect(await jobs.pending('g1')).toEqual([]);
    });

    it('never gives one due job to two instances claiming at the same moment', async () => {
      const [a, b] = [await open(), await open()];
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add((await a.schedule({ kind: 'race', group: 'g2', payload: { i }, runAt: at(0) }, T0)).id);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimDue(['race'], at(1), 60_000, 4)));
      const claimed = claims.flat().map((j) => j.id);
      expect(claimed.length).toBe(new Set(claimed).size);
      expect(new Set(claimed)).toEqual(ids);
    });

    it('makes a job due again when its lease runs out, and ignores the settlement of the old holder', async () => {
      const jobs = await open();
      const job = await jobs.schedule({ kind: 'lease', group: 'g3', payload: {}, runAt: at(0) }, T0);
      const [first] = await jobs.claimDue(['lease'], at(0), 60_000, 1);
      expect(await jobs.claimDue(['lease'], at(0.9), 60_000, 1)).toEqual([]);
      const [second] = await jobs.claimDue(['lease'], at(1), 60_000, 1);
      expect(second).toMatchObject({ id: job.id, attempts: 2 });
      expect(await jobs.complete(first, { by: 'first' }, at(1))).toBe(false);
      expect(await jobs.retryAt(second, at(5), 'status 429', at(1))).toBe(true);
      expect(await jobs.get(job.id)).toMatchObject({ state: 'scheduled', runAt: at(5).toISOString(), lastError: 'status 429' });
      const [third] = await jobs.claimDue(['lease'], at(5), 60_000, 1);
      expect(await jobs.fail(third, 'http_403', at(5))).toBe(true);
      expect(await jobs.claimDue(['lease'], at(60), 60_000, 1)).toEqual([]);
      expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', lastError: 'http_403', attempts: 3 });
    });

    it('lists and cancels only a group’s jobs that have not started, and survives reopening', async () => {
      const jobs = await open();
      const later = await jobs.schedule({ kind: 'k4', group: 'g4', payload: { n: 2 }, runAt: at(20) }, T0);
      const sooner = await jobs.schedule({ kind: 'k4', group: 'g4', payload: { n: 1 }, runAt: at(10) }, T0);
      await jobs.schedule({ kind: 'k4', group: 'other', payload: {}, runAt: at(10) }, T0);
      expect((await jobs.pending('g4')).map((j) => j.id)).toEqual([sooner.id, later.id]);
      expect(await jobs.cancel(later.id, 'other', T0)).toBe(false);
      expect(await jobs.cancel(later.id, 'g4', T0)).toBe(true);
      expect(await jobs.cancel(later.id, 'g4', T0)).toBe(false);
      const reopened = await open();
      expect((await reopened.pending('g4')).map((j) => j.id)).toEqual([sooner.id]);
      expect((await reopened.claimDue(['k4'], at(30), 60_000, 10)).filter((j) => j.group === 'g4').map((j) => j.id)).toEqual([sooner.id]);
    });

    it('finds a person’s jobs by a payload field in any state, and replaces a payload (erasure)', async () => {
      const jobs = await open();
      const mine = await jobs.schedule({ kind: 'k5', group: 'g5', payload: { facilitatorKey: 'learner:msteams:fay', moduleId: 'm1' }, runAt: at(0) }, T0);
      await jobs.schedule({ kind: 'k5', group: 'g5', payload: { facilitatorKey: 'learner:msteams:other' }, runAt: at(0) }, T0);
      const [claimed] = (await jobs.claimDue(['k5'], at(0), 60_000, 10)).filter((j) => j.id === mine.id);
      await jobs.complete(claimed, { messageId: 'x' }, at(0));
      expect((await jobs.withPayload('k5', 'facilitatorKey', 'learner:msteams:fay')).map((j) => [j.id, j.state])).toEqual([[mine.id, 'done']]);
      expect(await jobs.replacePayload(mine.id, { facilitatorKey: '', moduleId: 'm1' }, at(1))).toBe(true);
      expect(await jobs.withPayload('k5', 'facilitatorKey', 'learner:msteams:fay')).toEqual([]);
      expect(await jobs.get(mine.id)).toMatchObject({ state: 'done', payload: { facilitatorKey: '', moduleId: 'm1' }, result: { messageId: 'x' } });
      await expect(jobs.withPayload('k5', "x') OR 1=1 --", 'v')).rejects.toThrow(/invalid payload field/);
    });
  });
}
