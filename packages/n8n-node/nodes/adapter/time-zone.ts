/**
 * n8n's date picker stores a wall-clock time without an offset (`2026-12-31T10:00:00`) and means it in the workflow's
 * time zone; core wants an instant. This reads such a value in that zone and leaves every other value alone.
 */

/** `2026-12-31T10:00:00` (n8n's date picker): a wall-clock time without an offset. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/** The offset (minutes east of UTC) of `timeZone` at the instant `epochMs`. */
function zoneOffsetAt(timeZone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/**
 * A date-time without an offset, as n8n's date picker stores it, read in the workflow's time zone (n8n's own
 * meaning of such a value): `2026-12-31T10:00:00` in Europe/Paris → `2026-12-31T10:00:00+01:00`. Anything else
 * (an offset already there, an expression's ISO string, a bad value core will name) passes through unchanged.
 */
export function inTimeZone(value: unknown, timeZone: string | undefined): unknown {
  if (typeof value !== 'string' || !timeZone) return value;
  const match = LOCAL_DATE_TIME.exec(value.trim());
  if (!match) return value;
  const [, y, mo, d, h, mi, s = '00', fraction = ''] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offset: number;
  try {
    offset = zoneOffsetAt(timeZone, wall);
    // the offset at the wall time read as UTC may differ from the one at the real instant (near a DST change)
    const second = zoneOffsetAt(timeZone, wall - offset * 60_000);
    if (second !== offset) offset = second;
  } catch {
    return value; // not a time zone Intl knows: core names the field
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
