import { addDays, localDate, parseCalendarDate } from '../../cohorts/cohort-plan';
import { atLocalTime, parseReminderTime } from '../../reminders/reminder-time';
import { westernDigits } from '../../text-normalize';

/**
 * When a scheduled discussion goes out, as typed by a facilitator in any of the five course
 * languages: "2026-12-07 10:00", "monday 10:00" / "lunes 10:00" / "lundi 10h00" /
 * "segunda-feira 10:00" / "الاثنين 10:00", "tomorrow 9:00" (mañana, demain, amanhã, غدا),
 * "today 15:00", "in 2h" / "in 30 min" (en, dans, dentro de, daqui a, بعد). Wall-clock times are
 * in `timeZone` (the facilitator's or the cohort's). The vocabulary is input, not output: a
 * facilitator may type any language's words whatever their own language is.
 */

/** Weekday words (lower case, without accents or Arabic hamza marks) → 0 = Sunday … 6 = Saturday. */
const WEEKDAYS: Record<string, number> = {
  sunday: 0,
  sun: 0,
  domingo: 0,
  dimanche: 0,
  الاحد: 0,
  احد: 0,
  monday: 1,
  mon: 1,
  lunes: 1,
  lundi: 1,
  'segunda-feira': 1,
  segunda: 1,
  الاثنين: 1,
  اثنين: 1,
  tuesday: 2,
  tue: 2,
  martes: 2,
  mardi: 2,
  'terca-feira': 2,
  terca: 2,
  الثلاثاء: 2,
  ثلاثاء: 2,
  wednesday: 3,
  wed: 3,
  miercoles: 3,
  mercredi: 3,
  'quarta-feira': 3,
  quarta: 3,
  الاربعاء: 3,
  اربعاء: 3,
  thursday: 4,
  thu: 4,
  jueves: 4,
  jeudi: 4,
  'quinta-feira': 4,
  quinta: 4,
  الخميس: 4,
  خميس: 4,
  friday: 5,
  fri: 5,
  viernes: 5,
  vendredi: 5,
  'sexta-feira': 5,
  sexta: 5,
  الجمعة: 5,
  جمعة: 5,
  saturday: 6,
  sat: 6,
  sabado: 6,
  samedi: 6,
  السبت: 6,
  سبت: 6,
};
const TOMORROW = new Set(['tomorrow', 'manana', 'demain', 'amanha', 'غدا', 'غد', 'بكرة']);
const TODAY = new Set(['today', 'hoy', "aujourd'hui", 'aujourd’hui', 'hoje', 'اليوم']);
/** Words before a relative delay ("in 2h"). */
const IN = new Set(['in', 'en', 'dans', 'dentro', 'daqui', 'بعد', 'خلال']);
/** Filler words between a day and a time ("monday at 10:00", "lundi à 10h"). */
const FILLER = new Set(['at', 'a', 'las', 'la', 'le', 'as', 'de', 'on', 'el', 'o', 'the', 'الساعة', 'في', 'عند']);
const MINUTE_UNITS = new Set(['m', 'min', 'mins', 'minute', 'minutes', 'minuto', 'minutos', 'دقيقة', 'دقائق']);
const HOUR_UNITS = new Set(['h', 'hr', 'hrs', 'hour', 'hours', 'hora', 'horas', 'heure', 'heures', 'ساعة', 'ساعات']);
const DAY_UNITS = new Set(['d', 'day', 'days', 'dia', 'dias', 'jour', 'jours', 'يوم', 'ايام']);

export type ParsedWhen = { ok: true; at: Date } | { ok: false };

/** Lower case, Western digits, no accents (é → e, إ → ا), one space between words. */
export function normalizeWhen(text: string): string {
  return westernDigits(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s,]+/g, ' ')
    .trim();
}

/** A weekday word in any course language, or undefined. */
export function parseWeekday(word: string): number | undefined {
  return WEEKDAYS[normalizeWhen(word)];
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The instant `text` names, in `timeZone`, seen from `now`; { ok: false } when it names none. */
export function parseWhen(text: string, timeZone: string, now: Date): ParsedWhen {
  const words = normalizeWhen(text)
    .split(' ')
    .filter((w) => w && !FILLER.has(w));
  if (!words.length) return { ok: false };
  const first = words[0];

  // "in 2h", "in 90 minutes", "dans 2 heures", "dentro de 2h", "daqui a 30 min", "بعد 2 ساعة"
  if (IN.has(first)) return relative(words.slice(1).join(''), now);

  const today = localDate(now, timeZone);
  const rest = words.slice(1).join(' ');
  let day: string | undefined;
  if (parseCalendarDate(first)) day = first;
  else if (TOMORROW.has(first)) day = addDays(today, 1);
  else if (TODAY.has(first)) day = today;
  else if (WEEKDAYS[first] !== undefined) {
    const wanted = WEEKDAYS[first];
    day = addDays(today, (wanted - weekdayOf(today) + 7) % 7);
    const time = timeOf(rest);
    // "monday 10:00" typed on a Monday after 10:00 means next Monday.
    if (time && at(timeZone, day, time).getTime() <= now.getTime()) day = addDays(day, 7);
  }
  if (!day) return { ok: false };
  const time = timeOf(rest);
  if (!time || rest.split(' ').length > 2) return { ok: false };
  return { ok: true, at: at(timeZone, day, time) };
}

/** `time` ("HH:MM") on the calendar `date` in `timeZone`. */
export function at(timeZone: string, date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return atLocalTime(timeZone, { y, m: m - 1, d }, time);
}

/** "2h", "90min", "1h30", "2days" (spaces removed) → now + that delay. */
function relative(compact: string, now: Date): ParsedWhen {
  let ms: number | undefined;
  const hoursAndMinutes = /^(\d{1,2})h(\d{2})(?:m|min)?$/.exec(compact);
  const single = /^(\d{1,4})(\D*)$/.exec(compact);
  if (hoursAndMinutes) ms = Number(hoursAndMinutes[1]) * 3_600_000 + Number(hoursAndMinutes[2]) * 60_000;
  else if (single) {
    const amount = Number(single[1]);
    const unit = single[2] || 'min';
    if (MINUTE_UNITS.has(unit)) ms = amount * 60_000;
    else if (HOUR_UNITS.has(unit)) ms = amount * 3_600_000;
    else if (DAY_UNITS.has(unit)) ms = amount * 86_400_000;
  }
  if (ms === undefined || ms <= 0 || ms > 366 * 86_400_000) return { ok: false };
  return { ok: true, at: new Date(now.getTime() + ms) };
}

/** "10:00", "10h00", "10h", "9am" → "HH:MM". */
function timeOf(text: string): string | undefined {
  const hourOnly = /^(\d{1,2})h$/.exec(text);
  return parseReminderTime(hourOnly ? `${hourOnly[1]}:00` : text);
}

/** The date with weekday `weekday` in the week that starts on `weekStart` (the week a module opens in a cohort plan). */
export function dayOfWeekIn(weekStart: string, weekday: number): string {
  return addDays(weekStart, (weekday - weekdayOf(weekStart) + 7) % 7);
}
