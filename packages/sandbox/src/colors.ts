/**
 * Colours as the spec accepts them: "hex or CSS keyword. Invalid values are coerced to default." Hex is `#RGB`,
 * `#RGBA`, `#RRGGBB` or `#RRGGBBAA`; keywords are CSS Color Module Level 4's named colours plus `transparent`. The
 * list is core's (`CSS_NAMED_COLORS`); what the sandbox does with a colour outside it (coerce it to the default, as
 * CodeQR does) stays the sandbox's own.
 */
import { CSS_NAMED_COLORS, CSS_TRANSPARENT, HEX_COLOR_PATTERN } from '@codeqr-integrations/core/schemas';

export const CSS_COLOR_KEYWORDS: ReadonlySet<string> = new Set([...Object.keys(CSS_NAMED_COLORS), CSS_TRANSPARENT]);

export function isColor(value: string): boolean {
  const v = value.trim();
  return HEX_COLOR_PATTERN.test(v) || CSS_COLOR_KEYWORDS.has(v.toLowerCase());
}
