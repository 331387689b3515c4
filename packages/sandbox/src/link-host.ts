import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseUserAgent, recordScan } from './scans.ts';
import { linkAnswer, type Store } from './store/index.ts';
import type { WebhookDispatcher } from './webhooks.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * The short-link host: `GET /<key>` redirects to the QR code's destination and records a scan, so a phone, curl or a
 * browser can "scan" a sandbox QR code for real. Other types answer as `linkAnswer` says (store/content.ts): a
 * redirect (`tel:`, `mailto:`, `sms:` without a display page; the site root for a dynamic Pix code), or a small
 * display page whose `<pre id="content">` holds the payload (a vCard, `geo:`, a crypto URI, ...).
 */
export function linkHostHandler(store: Store, webhooks: WebhookDispatcher) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const key = decodeURIComponent(url.pathname.slice(1));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!key) {
      // the site root, where CodeQR sends a dynamic Pix code's scan
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>CodeQR sandbox</title><h1>CodeQR sandbox short-link host</h1>');
      return;
    }
    const hit = store.byShortLink.get(`${store.linkDomain}/${key}`);
    if (!hit) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Not found</title><h1>This CodeQR sandbox link does not exist.</h1>');
      return;
    }
    const { project, qr } = hit;
    if (qr.expiresAt && Date.parse(qr.expiresAt) <= store.now()) {
      if (qr.expiredUrl) res.writeHead(302, { location: qr.expiredUrl }).end();
      else res.writeHead(410, { 'content-type': 'text/plain' }).end('This QR code has expired.\n');
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const ua = header('user-agent') ?? '';
    if (req.method === 'GET') {
      recordScan(store, webhooks, project, qr, {
        ...parseUserAgent(ua),
        ua,
        country: header('x-sandbox-country') ?? header('cf-ipcountry'),
        city: header('x-sandbox-city'),
        referer: header('referer'),
        ip: req.socket.remoteAddress ?? '127.0.0.1',
      });
    }
    const answer = linkAnswer(qr, store.behaviour.payloads);
    if ('redirect' in answer) {
      res.writeHead(302, { location: answer.redirect, 'cache-control': 'no-store' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `<!doctype html><meta name="viewport" content="width=device-width"><title>${escapeHtml(qr.title ?? qr.key)}</title>` +
        `<h1>${escapeHtml(qr.type)}</h1>${answer.notice ? `<p>${escapeHtml(answer.notice)}</p>` : ''}` +
        `<pre id="content">${escapeHtml(answer.content)}</pre>`,
    );
  };
}
