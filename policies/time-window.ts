// Time windows: days of the week and hours of the day in a named IANA zone.
// A window whose hours cross midnight ("22:00-06:00") belongs to the day it
// starts on: Friday 22:00-06:00 covers Saturday 03:00. Zones come from Node's
// Intl (full ICU), so daylight-saving rules are the zone database's.

export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface CompiledWindow {
  zone: string;
  /** bit i set: day i (0 = Sunday) is in the window */
  days: number;
  /** minutes since local midnight; start === end means the whole day */
  start: number;
  end: number;
  outside: boolean;
  text: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for a zone ICU does not know. */
export function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidZone(zone: string): boolean {
  try {
    zoneFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Parse `mon-fri` / `sat` into a bit set; ranges may wrap (`fri-mon`). */
export function parseDays(specs: string[]): number {
  let bits = 0;
  for (const s of specs) {
    const [a, b] = s.split('-') as [string, string | undefined];
    const from = DAY_NAMES.indexOf(a as (typeof DAY_NAMES)[number]);
    const to = b === undefined ? from : DAY_NAMES.indexOf(b as (typeof DAY_NAMES)[number]);
    for (let d = from; ; d = (d + 1) % 7) {
      bits |= 1 << d;
      if (d === to) break;
    }
  }
  return bits;
}

/** `HH:MM-HH:MM` → minutes, or a sentence when out of range. 24:00 is allowed as an end. */
export function parseHours(s: string): { start: number; end: number } | string {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(s);
  if (!m) return `hours '${s}' must be HH:MM-HH:MM`;
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || (h2 === 24 && m2 !== 0)) return `hours '${s}' are not times of day`;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (start === end && !(start === 0 && end === 0)) return `hours '${s}' start and end at the same time; write 00:00-24:00 for the whole day`;
  return { start, end: end === 24 * 60 ? 0 : end };
}

interface LocalTime {
  day: number;
  minute: number;
}

// formatToParts costs microseconds; a zone's UTC offset changes only at
// transitions, which fall on quarter hours of UTC in the tz database since
// the 1970s, so the offset is computed once per zone and quarter hour and the
// local time follows by arithmetic.
const QUARTER = 900_000;
const offsets = new Map<string, Map<number, number>>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffset(zone: string, ms: number): number {
  const block = Math.floor(ms / QUARTER);
  let byBlock = offsets.get(zone);
  if (!byBlock) offsets.set(zone, (byBlock = new Map()));
  const hit = byBlock.get(block);
  if (hit !== undefined) return hit;
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    offsetFormatters.set(zone, f);
  }
  const at = block * QUARTER;
  const v: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') v[p.type] = Number(p.value);
  const offset = Date.UTC(v.year!, v.month! - 1, v.day!, v.hour! % 24, v.minute!) - at;
  // Bounded: traffic spans a few hours at a time; a replay over months refills it.
  if (byBlock.size >= 4096) byBlock.clear();
  byBlock.set(block, offset);
  return offset;
}

const DAY_MS = 86_400_000;

export function localTime(zone: string, ms: number): LocalTime {
  const local = ms + zoneOffset(zone, ms);
  const days = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday (day 4).
  return { day: (((days + 4) % 7) + 7) % 7, minute: Math.floor((local - days * DAY_MS) / 60_000) };
}

/** Is the instant inside the window (before applying `outside`)? */
export function inWindowRaw(w: CompiledWindow, ms: number): boolean {
  const { day, minute } = localTime(w.zone, ms);
  const yesterday = (day + 6) % 7;
  if (w.start === w.end) return (w.days & (1 << day)) !== 0;
  if (w.start < w.end) return (w.days & (1 << day)) !== 0 && minute >= w.start && minute < w.end;
  // Crosses midnight: the evening part belongs to today, the morning part to yesterday.
  if (minute >= w.start) return (w.days & (1 << day)) !== 0;
  if (minute < w.end) return (w.days & (1 << yesterday)) !== 0;
  return false;
}

export function inWindow(w: CompiledWindow, ms: number): boolean {
  return inWindowRaw(w, ms) !== w.outside;
}
