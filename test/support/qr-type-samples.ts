/**
 * Two contents of every QR-code type CodeQR's API can create, A then B (B for updates), shared by each host's
 * type-by-type test: the content as core's input holds it under the type's own key (a string for the one-value
 * types, else CodeQR's sub-fields). Geo has none: CodeQR reads a geo code's coordinates from the country-targeting
 * field, so its API cannot create one (core refuses it before sending).
 */
export type QrTypeContent = string | Record<string, string>;

/** Types CodeQR stores but never answers (its QR code schema has no `pix`): tests read `contentStatic` instead. */
export const UNANSWERED_TYPES: readonly string[] = ['pix'];

/** Types the API cannot create (see above). */
export const UNCREATABLE_TYPES: readonly string[] = ['geo'];

export const QR_TYPE_SAMPLES: Record<string, [QrTypeContent, QrTypeContent]> = {
  url: ['https://example.com/a', 'https://example.com/b'],
  text: ['Hello A', 'Hello B'],
  email: [
    { email: 'a@example.com', subject: 'Hi A' },
    { email: 'b@example.com', subject: 'Hi B' },
  ],
  wifi: [
    { ssid: 'Cafe A', password: 'espresso-a', encryption: 'WPA2' },
    { ssid: 'Cafe B', password: 'espresso-b', encryption: 'WPA' },
  ],
  phone: ['+15551230001', '+15551230002'],
  vcard: [
    { name: 'Ada', surname: 'Lovelace', phone: '+15551230003', email: 'ada@example.com' },
    { name: 'Grace', surname: 'Hopper', phone: '+15551230004', email: 'grace@example.com' },
  ],
  crypto: [
    { cryptocurrency: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', amount: '0.01' },
    { cryptocurrency: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', amount: '0.02' },
  ],
  sms: [
    { tel: '+15551230005', subject: 'Hi A' },
    { tel: '+15551230006', subject: 'Hi B' },
  ],
  facetime: [
    { phone: '+15551230007', mode: 'audio' },
    { phone: '+15551230008', mode: 'video' },
  ],
  latlog: [
    { latitude: '-23.5505', longitude: '-46.6333' },
    { latitude: '48.8566', longitude: '2.3522' },
  ],
  pix: [
    { key: 'ana@example.com', name: 'Ana', city: 'Sao Paulo', amount: '10.50' },
    { key: 'ana@example.com', name: 'Ana', city: 'Sao Paulo', amount: '12.00' },
  ],
  whatsapp: [
    { number: '15551230009', message: 'Hi A' },
    { number: '15551230010', message: 'Hi B' },
  ],
};
