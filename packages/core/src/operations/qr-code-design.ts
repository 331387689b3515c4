/**
 * The design, targeting and link-behaviour fields of the QR-code write operations (all `advanced`), labelled, with
 * help and, where CodeQR has one, its default as `initial` (spec: `paths./qrcodes.post.requestBody…properties`).
 */
import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { isQrColor } from '../schemas/colors.ts';
import { FrameTextStyles, httpUrl, QrCodeFields, SmartRule } from '../schemas/qr-code.ts';
import { COLOR_MESSAGE } from '../schemas/qr-code-checks.ts';
import { once } from './qr-code-content.ts';

const F = QrCodeFields.shape;
const advanced = true;

const colorString = () => z.string().max(32).refine(isQrColor, COLOR_MESSAGE);

/** A two-letter country code as the spec's `geo` keys are (ISO 3166-1 alpha-2, upper case). */
const COUNTRY = /^[A-Z]{2}$/;

/** The design fields (CodeQR draws them; core's local image draws only colours, size and level). */
export const qrCodeDesignFields = once(() => ({
  logo: withMeta(httpUrl.nullish(), {
    label: 'Logo URL',
    description: 'Image URL of the logo drawn in the middle of the QR code.',
    placeholder: 'https://example.com/logo.png',
    format: 'uri',
    advanced,
  }),
  showLogo: withMeta(F.showLogo, {
    label: 'Show Logo',
    description: 'Draw the logo in the QR code.',
    initial: true,
    advanced,
  }),
  excavate: withMeta(F.excavate, {
    label: 'Clear Behind Logo',
    description: 'Remove the modules behind the logo so it stays readable.',
    initial: true,
    advanced,
  }),
  pattern: withMeta(F.pattern, {
    label: 'Pattern',
    description: 'Style of the modules, as CodeQR names it (e.g. default).',
    initial: 'default',
    advanced,
  }),
  shape: withMeta(z.enum(['none', 'square', 'circle']), {
    label: 'Shape',
    description: 'Shape of the design around the QR code.',
    initial: 'none',
    advanced,
  }),
  filled: withMeta(F.filled, {
    label: 'Filled',
    description: 'Fill the shape around the QR code.',
    initial: false,
    advanced,
  }),
  frame: withMeta(z.enum(['none', 'frame-1', 'frame-2', 'frame-3', 'frame-5', 'frame-6']), {
    label: 'Frame',
    description: 'Frame around the QR code (frame-5 and frame-6 have a bar on top).',
    initial: 'none',
    optionLabels: { none: 'None' },
    advanced,
  }),
  frameColor: withMeta(colorString(), {
    label: 'Frame Color',
    description: 'A hex colour (#000000) or a CSS colour name. Defaults to black.',
    initial: '#000000',
    advanced,
  }),
  frameText: withMeta(F.frameText, {
    label: 'Frame Text',
    description: 'Label inside the frame, e.g. SCAN ME (at most 200 characters).',
    placeholder: 'SCAN ME',
    advanced,
  }),
  frameTextColor: withMeta(colorString().nullish(), {
    label: 'Frame Text Color',
    description: 'Colour of the frame text; left empty, a colour that contrasts with the frame is used.',
    advanced,
  }),
  frameTextStyles: withMeta(
    z
      .object({
        weight: withMeta(FrameTextStyles.shape.weight, { label: 'Weight', description: 'Normal or bold.' }),
        style: withMeta(FrameTextStyles.shape.style, { label: 'Style', description: 'Normal or italic.' }),
        family: withMeta(FrameTextStyles.shape.family, {
          label: 'Font',
          description: 'Font family of the frame text.',
        }),
        size: withMeta(FrameTextStyles.shape.size, {
          label: 'Text Size',
          description: 'Size of the frame text.',
          optionLabels: { s: 'Small', m: 'Medium', l: 'Large', xl: 'Extra Large' },
        }),
      })
      .refine((styles) => Object.values(styles).some((value) => value !== undefined), {
        message: 'needs at least one of Weight, Style, Font or Text Size',
      })
      .nullish(),
    { label: 'Frame Text Style', description: 'Weight, style, font and size of the frame text.', advanced },
  ),
}));

/** Targeting and link behaviour of dynamic codes (the short link redirects). */
export const qrCodeTargetingFields = once(() => ({
  ios: withMeta(F.ios, {
    label: 'iOS Destination',
    description: 'Where iPhones and iPads go instead of the Destination URL (device targeting).',
    placeholder: 'https://apps.apple.com/app/id123',
    format: 'uri',
    advanced,
  }),
  android: withMeta(F.android, {
    label: 'Android Destination',
    description: 'Where Android devices go instead of the Destination URL (device targeting).',
    placeholder: 'https://play.google.com/store/apps/details?id=app',
    format: 'uri',
    advanced,
  }),
  geo: withMeta(
    z
      .record(
        z.string().regex(COUNTRY, 'must be a two-letter country code in capitals, e.g. US'),
        z.string().refine((url) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(url.trim()), {
          message: 'must be an absolute http(s) URL, e.g. https://example.com/us',
        }),
      )
      .nullish(),
    {
      label: 'Country Targeting',
      description:
        'Where scans from each country go: a map of two-letter country codes to URLs, e.g. {"US": "https://example.com/us"}. Not the Geo QR type.',
      example: { US: 'https://example.com/us', BR: 'https://example.com/br' },
      advanced,
    },
  ),
  rules: withMeta(
    z
      .array(
        z.object({
          attribute: withMeta(SmartRule.shape.attribute, {
            label: 'Attribute',
            description: 'What the rule looks at (device, country, language, a UTM parameter, …).',
          }),
          operator: withMeta(SmartRule.shape.operator, {
            label: 'Operator',
            description: 'Equals or not equals.',
            optionLabels: { equals: 'Equals', not_equals: 'Not Equals' },
          }),
          value: withMeta(SmartRule.shape.value, {
            label: 'Value',
            description: 'The value compared (1-190 characters).',
          }),
          url: withMeta(httpUrl, {
            label: 'URL',
            description: 'Where a matching scan goes.',
            format: 'uri',
          }),
        }),
      )
      .max(20)
      .nullish(),
    {
      label: 'Smart Rules',
      description: 'Up to 20 rules sending matching scans elsewhere, checked in order (Business plan and up).',
      example: [{ attribute: 'country', operator: 'equals', value: 'US', url: 'https://example.com/us' }],
      advanced,
    },
  ),
  password: withMeta(F.password, {
    label: 'Link Password',
    description: 'People must type this password before they are redirected.',
    advanced,
    verbatim: true,
  }),
  proxy: withMeta(F.proxy, {
    label: 'Custom Link Preview',
    description: 'Show the Title, Description and Preview Image when the short link is shared.',
    initial: false,
    advanced,
  }),
  image: withMeta(httpUrl.nullish(), {
    label: 'Preview Image',
    description: 'Image URL of the custom link preview (with Custom Link Preview).',
    format: 'uri',
    advanced,
  }),
}));

const utm = (key: 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content', label: string) =>
  withMeta(F[key], {
    label,
    description: `The ${key} parameter added to the destination URL (only on update: CodeQR's create has no UTM fields).`,
    advanced,
  });

/** UTM parameters: in the spec's update body only (`PUT /qrcodes/{id}`), not in create or bulk. */
export const qrCodeUtmFields = once(() => ({
  utm_source: utm('utm_source', 'UTM Source'),
  utm_medium: utm('utm_medium', 'UTM Medium'),
  utm_campaign: utm('utm_campaign', 'UTM Campaign'),
  utm_term: utm('utm_term', 'UTM Term'),
  utm_content: utm('utm_content', 'UTM Content'),
}));
