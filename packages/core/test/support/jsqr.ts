import jsQRModule from 'jsqr';

// jsqr is a UMD bundle whose module.exports is the function itself, while its typings declare a default export.
type JsQr = typeof jsQRModule.default;

/** The jsqr decoder, however the module system hands it over. */
export const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);
