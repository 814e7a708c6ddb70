import { westernDigits } from '../text-normalize';
import { CodedError } from '../../errors/coded-error';

/** Daily reminder times ("HH:MM", 24-hour) in a learner's IANA time zone. */

export const DEFAULT_TIME_ZONE = 'UTC';

/** "08:30", "8:30", "at 8.30", "18h00", "8am", "6:15 pm" → "08:30"; undefined when no valid time. */
export function parseReminderTime(text: string): string | undefined {
  const m = westernDigits(text)
    .replace(/٫/g, ':')
    .trim()
    .toLowerCase()
    .match(/(?:^|\s)(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\s|$)/);
  if (!m || (m[2] === undefined && !m[3])) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  const meridiem = m[3]?.replace(/\./g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The zone if the runtime knows it, else UTC (channels may send anything). */
export function validTimeZone(zone: string | undefined): string {
  if (!zone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** Milliseconds to add to UTC to get local wall-clock time in `zone` at `date`. */
function zoneOffsetMs(zone: string, date: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** The wall-clock time `time` on the local calendar day of `day` in `zone`, as an instant. */
export function atLocalTime(zone: string, day: { y: number; m: number; d: number }, time: string): Date {
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(day.y, day.m, day.d, hh, mm);
  // Two passes settle the offset across a daylight-saving change.
  let instant = wall - zoneOffsetMs(zone, new Date(wall));
  instant = wall - zoneOffsetMs(zone, new Date(instant));
  return new Date(instant);
}

/** The first occurrence of `time` in `zone` strictly after `after`. */
export function nextOccurrence(time: string, zone: string, after: Date): Date {
  const local = new Date(after.getTime() + zoneOffsetMs(zone, after));
  const day = { y: local.getUTCFullYear(), m: local.getUTCMonth(), d: local.getUTCDate() };
  for (let i = 0; i < 3; i++) {
    const candidate = atLocalTime(zone, { ...day, d: day.d + i }, time);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  throw new CodedError('no_next_occurrence', `no next occurrence of ${time} in ${zone}`);
}
