import type { QrRecord } from './records.ts';

/** Record fields the create/update bodies carry that are not stored as-is on the QR code. */
export const REQUEST_ONLY = new Set(['prefix', 'tagIds', 'tagNames', 'tagId', 'webhookIds', 'templateId']);

/** A new QR code's fields before the request's own: the spec's and docs' defaults, every other field empty. */
export function baseRecord(): Omit<
  QrRecord,
  'id' | 'domain' | 'key' | 'projectId' | 'createdAt' | 'updatedAt' | 'shortLink'
> {
  return {
    archived: false,
    expiresAt: null,
    expiredUrl: null,
    password: null,
    externalId: null,
    trackConversion: false,
    proxy: false,
    title: null,
    description: null,
    image: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    rewrite: false,
    doIndex: false,
    flexible: false,
    filled: false,
    ios: null,
    android: null,
    geo: null,
    rules: null,
    static: false, // spec: paths./qrcodes.post…properties.static.default (dynamic)
    useDisplayPage: true, // spec: paths./qrcodes.post…properties.useDisplayPage.default
    type: 'url', // docs: `url` alone suffices (the type defaults to url)
    contentStatic: null,
    text: null,
    email: null,
    wifi: null,
    url: null,
    phone: null,
    vcard: null,
    crypto: null,
    sms: null,
    whatsapp: null,
    facetime: null,
    latlog: null,
    logo: null,
    bgColor: '#ffffff', // spec: paths./qrcodes.post…properties.bgColor.default
    fgColor: '#000000', // spec: paths./qrcodes.post…properties.fgColor.default
    size: 1024, // spec: paths./qrcodes.post…properties.size.default
    level: 'M', // spec: paths./qrcodes.post…properties.level.default
    showLogo: true, // spec: paths./qrcodes.post…properties.showLogo.default
    src: null,
    height: 0,
    width: 0,
    excavate: true, // spec: paths./qrcodes.post…properties.excavate.default
    userId: null,
    publicStats: false,
    scans: 0,
    lastClicked: null,
    leads: 0,
    sales: 0,
    saleAmount: 0,
    tagId: null,
    tags: [],
    folderId: null,
    comments: null,
    notificationToken: null,
    preRedirection: false,
    isFormMandatory: false,
    frameTextStyles: null,
    pageId: null,
    pageUrl: null,
  };
}
