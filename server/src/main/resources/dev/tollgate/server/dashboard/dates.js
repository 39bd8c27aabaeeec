// Dates as people read them ("19 Dec 2026", "in 14 days") for grants with an end. The dashboard ends a grant at
// midnight UTC after its last day: a grant "until 19 Dec 2026" holds through that whole day (UTC) and lapses at
// 2026-12-20T00:00:00Z. An end at any other instant (set through the API) is shown with its time, in UTC.
import { el } from './ui.js';

const DAY = 24 * 3600 * 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The number of the UTC day (days since 1970-01-01) an instant in milliseconds falls on. */
const dayNumber = (ms) => Math.floor(ms / DAY);
const atMidnight = (ms) => ms % DAY === 0;
const two = (n) => String(n).padStart(2, '0');

/** An instant in milliseconds as the RFC 3339 text the server stores: UTC, milliseconds only when there are some. */
export function instant(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const LOCAL_TIME = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

/** "Dec 6, 2026, 12:00 PM UTC": an instant in the reader's time zone, which it names. */
export function timeText(ms) {
  return new Date(ms).toLocaleString(undefined, LOCAL_TIME);
}

/** "19 Dec 2026": the UTC day of an instant in milliseconds. */
export function dayText(ms) {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "7 Dec 2026, 00:00 UTC": an instant in milliseconds as a UTC day and time, which it says are UTC. */
export function dayAndTime(ms) {
  const d = new Date(ms);
  return `${dayText(ms)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** The start of the UTC calendar period of `kind` (HOUR, DAY or MONTH) that contains `now` (milliseconds). */
export function periodStart(kind, now) {
  const d = new Date(now);
  if (kind === 'HOUR') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
  if (kind === 'DAY') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * The end (exclusive) of a metered period of `kind` (HOUR, DAY or MONTH) that starts at `start` (milliseconds): an
 * hour, a day, or the first of the next month at 00:00 UTC. Metered usage is counted per UTC calendar period.
 */
export function periodEnd(kind, start) {
  if (kind === 'HOUR') return start + 3600 * 1000;
  if (kind === 'DAY') return start + DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The end of a grant that holds through the UTC day `n` days after today: the midnight UTC after that day. */
export function endAfterDays(n, now = Date.now()) {
  return instant((dayNumber(now) + n + 1) * DAY);
}

/** The end of a grant that holds through `date` (the YYYY-MM-DD of a date input, read as a UTC day); null if none. */
export function endOfDate(date) {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(date + 'T00:00:00Z') : NaN;
  return Number.isNaN(ms) ? null : instant(ms + DAY);
}

/** The same end moved by `days` whole days. */
export function laterBy(until, days) {
  return instant(Date.parse(until) + days * DAY);
}

/** The last day an end covers, for "until ..." and "expired on ...": the day before a midnight, else the instant. */
export function untilText(until) {
  const ms = Date.parse(until);
  return atMidnight(ms) ? dayText(ms - DAY) : dayAndTime(ms);
}

/** The first day (or instant) a start covers, for "from ...". */
export function fromText(from) {
  const ms = Date.parse(from);
  return atMidnight(ms) ? dayText(ms) : dayAndTime(ms);
}

/** "today", "tomorrow", "in 14 days", "yesterday", "3 days ago": whole UTC days from `now` to the day. */
function relative(day, now) {
  const n = day - dayNumber(now);
  if (n === 0) return 'today';
  if (n === 1) return 'tomorrow';
  if (n === -1) return 'yesterday';
  return n > 0 ? `in ${n} days` : `${-n} days ago`;
}

/** The UTC day number of the last day an end covers. */
function lastDay(until) {
  const ms = Date.parse(until);
  return dayNumber(atMidnight(ms) ? ms - DAY : ms);
}

/** How many whole days from today (UTC) the last day of an end is: 14 for a grant set "in 14 days" today. */
export function untilDaysAway(until, now = Date.now()) {
  return lastDay(until) - dayNumber(now);
}

/** How far away the last day of an end is: "in 14 days". */
export function untilRelative(until, now = Date.now()) {
  return relative(lastDay(until), now);
}

/** How far away a start is. */
export function fromRelative(from, now = Date.now()) {
  return relative(dayNumber(Date.parse(from)), now);
}

/**
 * Where `now` is in an override row's window: 'always' (no window), 'scheduled' (before `from`), 'expired' (at or
 * after `until`) or 'active'; the boundaries are the snapshot format's (`from <= now < until`).
 */
export function windowState(row, now = Date.now()) {
  if (!row || (row.from === undefined && row.until === undefined)) return 'always';
  if (row.from !== undefined && now < Date.parse(row.from)) return 'scheduled';
  if (row.until !== undefined && now >= Date.parse(row.until)) return 'expired';
  return 'active';
}

/** A <time> for an end, with the exact instant as its machine-readable value and its tooltip. */
export function untilTime(until) {
  return el('time', { datetime: until, title: `ends at ${until}` }, untilText(until));
}

export function fromTime(from) {
  return el('time', { datetime: from, title: `starts at ${from}` }, fromText(from));
}

/**
 * A row's window in words, as nodes: "until 19 Dec 2026 (in 14 days)", "from 1 Jan 2027 (in 27 days)", "expired on
 * 3 Dec 2026 (2 days ago)"; nothing for a row without a window.
 */
export function windowWords(row, now = Date.now()) {
  const state = windowState(row, now);
  if (state === 'always') return [];
  if (state === 'expired') return ['expired on ', untilTime(row.until), ` (${untilRelative(row.until, now)})`];
  const parts = [];
  if (state === 'scheduled') parts.push('from ', fromTime(row.from), ` (${fromRelative(row.from, now)})`);
  if (row.until !== undefined) {
    parts.push(parts.length ? ' until ' : 'until ', untilTime(row.until),
      state === 'active' ? ` (${untilRelative(row.until, now)})` : null);
  }
  return parts;
}

/** The same words as plain text, for an option of a select. */
export function windowPlain(row, now = Date.now()) {
  return windowWords(row, now).map((w) => (w instanceof Node ? w.textContent : w || '')).join('');
}
