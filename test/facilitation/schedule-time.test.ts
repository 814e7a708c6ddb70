import { dayOfWeekIn, parseWhen } from '../../src/core/facilitation/schedule/schedule-time';

// Tuesday 1 December 2026, 12:00 UTC (Lisbon is on UTC in winter, Madrid and Paris one hour ahead).
const NOW = new Date('2026-12-01T12:00:00Z');
const iso = (text: string, zone = 'Europe/Lisbon') => {
  const parsed = parseWhen(text, zone, NOW);
  return parsed.ok ? parsed.at.toISOString() : 'invalid';
};

describe('when a scheduled discussion goes out', () => {
  it('reads "monday 10:00" in all five course languages as next Monday at 10:00 in the zone', () => {
    for (const text of [
      'monday 10:00',
      'Monday at 10:00',
      'lunes 10:00',
      'el lunes a las 10:00',
      'lundi 10h00',
      'lundi à 10h',
      'segunda-feira 10:00',
      'segunda às 10:00',
      'الاثنين 10:00',
      'الإثنين ١٠:٠٠',
      'الاثنين الساعة 10:00',
    ]) {
      expect([text, iso(text)]).toEqual([text, '2026-12-07T10:00:00.000Z']);
    }
    expect(iso('lunes 10:00', 'Europe/Madrid')).toBe('2026-12-07T09:00:00.000Z');
    expect(iso('miércoles 9:30', 'Europe/Madrid')).toBe('2026-12-02T08:30:00.000Z');
    expect(iso('mercredi 9:30', 'Europe/Paris')).toBe('2026-12-02T08:30:00.000Z');
    expect(iso('quarta-feira 9:30')).toBe('2026-12-02T09:30:00.000Z');
    expect(iso('الأربعاء 9:30', 'Asia/Riyadh')).toBe('2026-12-02T06:30:00.000Z');
  });

  it('takes today for a later time on the same weekday, and next week for a time already gone', () => {
    expect(iso('tuesday 13:00')).toBe('2026-12-01T13:00:00.000Z');
    expect(iso('tuesday 11:00')).toBe('2026-12-08T11:00:00.000Z');
  });

  it('reads a date and time, tomorrow, today and relative delays', () => {
    expect(iso('2026-12-07 10:00', 'America/New_York')).toBe('2026-12-07T15:00:00.000Z');
    expect(iso('tomorrow 9:00')).toBe('2026-12-02T09:00:00.000Z');
    expect(iso('mañana 9:00')).toBe('2026-12-02T09:00:00.000Z');
    expect(iso('demain 9h00')).toBe('2026-12-02T09:00:00.000Z');
    expect(iso('amanhã 9:00')).toBe('2026-12-02T09:00:00.000Z');
    expect(iso('غدًا 9:00')).toBe('2026-12-02T09:00:00.000Z');
    expect(iso('in 2h')).toBe('2026-12-01T14:00:00.000Z');
    expect(iso('in 90 minutes')).toBe('2026-12-01T13:30:00.000Z');
    expect(iso('dans 1h30')).toBe('2026-12-01T13:30:00.000Z');
    expect(iso('dentro de 2 horas')).toBe('2026-12-01T14:00:00.000Z');
    expect(iso('daqui a 30 min')).toBe('2026-12-01T12:30:00.000Z');
    expect(iso('بعد 2 ساعة')).toBe('2026-12-01T14:00:00.000Z');
  });

  it('returns a past instant as such (the command refuses it) and rejects what names no time', () => {
    expect(iso('2026-11-30 10:00')).toBe('2026-11-30T10:00:00.000Z');
    expect(iso('today 9:00')).toBe('2026-12-01T09:00:00.000Z');
    for (const text of ['', 'monday', 'someday 10:00', '2026-02-30 10:00', '2026-12-07 25:00', 'in soon', 'in 0 min', 'monday 10:00 and more words here'])
      expect([text, iso(text)]).toEqual([text, 'invalid']);
  });

  it('finds a weekday within the week a module opens', () => {
    expect(dayOfWeekIn('2026-12-07', 3)).toBe('2026-12-09'); // the week from Monday 7 → Wednesday 9
    expect(dayOfWeekIn('2026-12-10', 3)).toBe('2026-12-16'); // the week from Thursday 10 → Wednesday 16
  });
});
