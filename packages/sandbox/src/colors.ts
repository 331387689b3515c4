/**
 * Colours as the spec accepts them: "hex or CSS keyword. Invalid values are coerced to default" (spec:
 * components.schemas.QrCodeSchema.properties.bgColor/fgColor/frameColor descriptions). CodeQR's own keyword allowlist
 * is not published (README "Differences" 7), so the keywords are CSS's: what the sandbox does with a colour outside
 * them (coerce it to the default, as CodeQR does) happens in store/coerce.ts.
 */

/**
 * CSS hex colours: `#RGB`, `#RGBA`, `#RRGGBB`, `#RRGGBBAA` (CSS Color Module Level 4, §5.2; spec:
 * QrCodeSchema.properties.frameTextColor names `#RRGGBB`, `#RGB`, `#RRGGBBAA`).
 */
const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** The 148 named colours of CSS Color Module Level 4 (§6.1), plus `transparent` (§6.2). */
export const CSS_COLOR_KEYWORDS: ReadonlySet<string> = new Set(
  `
  aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood
  cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray
  darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
  darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue
  firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
  hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
  lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
  lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
  mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred
  midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
  palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
  rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue
  slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
  whitesmoke yellow yellowgreen
  transparent`
    .trim()
    .split(/\s+/),
);

/** Whether CodeQR keeps `value` as sent: a hex colour or a CSS colour keyword (any case, surrounding spaces ok). */
export function isColor(value: string): boolean {
  const v = value.trim();
  return HEX_COLOR.test(v) || CSS_COLOR_KEYWORDS.has(v.toLowerCase());
}
