import * as z from 'zod/v4';

/** The 13 content types CodeQR accepts for a QR code (`type`). */
export const QR_CODE_TYPES = [
  'url',
  'text',
  'email',
  'wifi',
  'phone',
  'vcard',
  'crypto',
  'sms',
  'facetime',
  'geo',
  'latlog',
  'pix',
  'whatsapp',
] as const;
export const QrCodeType = z.enum(QR_CODE_TYPES);
export type QrCodeType = z.infer<typeof QrCodeType>;

/** Error-correction levels (the docs' `L|M|Q|H`; the spec leaves `level` a free string). */
export const QR_LEVELS = ['L', 'M', 'Q', 'H'] as const;
export const QrLevel = z.enum(QR_LEVELS);
export type QrLevel = z.infer<typeof QrLevel>;

/** CodeQR's plans, in ascending order. They drive rate limits, analytics windows and `/events` access. */
export const PLANS = ['free', 'starter', 'pro', 'business', 'scale'] as const;
export const Plan = z.enum(PLANS);
export type Plan = z.infer<typeof Plan>;

/** Plans that may read individual events (`GET /events`). */
export const PLANS_WITH_EVENTS: readonly Plan[] = ['business', 'scale'];

/** A string map such as `wifi`, `email` or `vcard` content. */
export const StringRecord = z.record(z.string(), z.string());

export const Tag = z.looseObject({
  id: z.string(),
  name: z.string(),
  color: z.string(),
});
export type Tag = z.infer<typeof Tag>;

export const TAG_COLORS = ['red', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown'] as const;
export const TagColor = z.enum(TAG_COLORS);

export const Domain = z.looseObject({
  id: z.string(),
  slug: z.string(),
  verified: z.boolean(),
  primary: z.boolean(),
  archived: z.boolean(),
  target: z.string().nullable(),
  type: z.string(),
  placeholder: z.string().nullable(),
  expiredUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Domain = z.infer<typeof Domain>;

export const Folder = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  accessLevel: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Folder = z.infer<typeof Folder>;
