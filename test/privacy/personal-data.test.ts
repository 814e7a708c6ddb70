import { PersonalDataError, PersonalDataRegistry, type PersonalDataSource } from '../../src/core/privacy/personal-data';

const subject = { learnerKey: 'learner:msteams:aad-1', channelId: 'msteams', userId: 'aad-1' };

function source(name: string, behaviour: { fails?: boolean; eraseLast?: boolean; erased: string[] }): PersonalDataSource {
  return {
    name,
    labelKey: `privacy:sections.${name}`,
    eraseLast: behaviour.eraseLast,
    export: async () => ({ count: 2, data: { from: name } }),
    erase: async () => {
      if (behaviour.fails) throw new Error(`${name} is down`);
      behaviour.erased.push(name);
      return 2;
    },
  };
}

describe('personal data registry', () => {
  it('exports every registered source and leaves out empty ones', async () => {
    const erased: string[] = [];
    const registry = new PersonalDataRegistry()
      .register(source('learnerRecord', { eraseLast: true, erased }))
      .register(source('reminders', { erased }))
      .register({ name: 'empty', labelKey: 'x', export: async () => ({ count: 0, data: [] }), erase: async () => 0 });
    const { file, summary } = await registry.exportAll(subject, new Date('2026-01-01T00:00:00Z'));
    expect(Object.keys(file.sections)).toEqual(['learnerRecord', 'reminders']);
    expect(summary.map((s) => [s.name, s.count])).toEqual([
      ['learnerRecord', 2],
      ['reminders', 2],
    ]);
    expect(file.exportedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('erases the learner record last, after every other source', async () => {
    const erased: string[] = [];
    const registry = new PersonalDataRegistry()
      .register(source('learnerRecord', { eraseLast: true, erased }))
      .register(source('reminders', { erased }))
      .register(source('certificates', { erased }));
    expect(await registry.eraseAll(subject)).toEqual({ reminders: 2, certificates: 2, learnerRecord: 2 });
    expect(erased).toEqual(['reminders', 'certificates', 'learnerRecord']);
  });

  it('keeps going past a failing source, keeps the learner record so the erasure can be run again, and says what failed', async () => {
    const erased: string[] = [];
    const registry = new PersonalDataRegistry()
      .register(source('learnerRecord', { eraseLast: true, erased }))
      .register(source('reminders', { fails: true, erased }))
      .register(source('certificates', { erased }));
    await expect(registry.eraseAll(subject)).rejects.toMatchObject({ code: 'personal_data_erase_failed', message: expect.stringContaining('reminders (reminders is down)') });
    expect(erased).toEqual(['certificates']);
  });

  it('refuses two sources with one name', () => {
    const registry = new PersonalDataRegistry().register(source('reminders', { erased: [] }));
    expect(() => registry.register(source('reminders', { erased: [] }))).toThrow(PersonalDataError);
  });
});
