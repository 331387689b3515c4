import { z } from 'zod/v4';

/** Value schemas the wire schemas share: what the spec's `type`/`format` of a field accepts. */

export const str = z.string();
export const nstr = z.string().nullish();
export const bool = z.boolean();

/** A spec `format: date-time` body or query field: whatever `Date.parse` reads. */
export const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time');

/** A point in time a list filter or the control API takes (`createdAfter`, a simulated scan's `timestamp`). */
export const DateParam = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z',
});

/** A boolean query parameter (`type: boolean` in the spec, sent as the text `true` or `false`). */
export const booleanish = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A comma-separated query parameter as its non-empty, trimmed items. */
export const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
