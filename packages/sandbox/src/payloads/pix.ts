/**
 * Pix's "copia e cola" payload: the EMV® QRCPS Merchant-Presented Mode "BR Code" (Banco Central do Brasil, "Manual
 * de Padrões para Iniciação do Pix"). Each field is `ID(2) LEN(2) VALUE`; the payload ends with field 63, a
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything before it, `6304` included, as 4 uppercase hex.
 * Written from that standard, not from CodeQR (whose mapping of `description` and txid is unconfirmed: research-17
 * §5.3): `description` goes to 26/02 and the txid is `***` (none), as the BCB's own examples do.
 */

/** One EMV TLV field; the length counts characters, as the BCB examples (all ASCII) do. */
export function emvField(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `text` (check value of "123456789": 0x29B1). */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export interface PixPayload {
  /** The Pix key (phone, e-mail, CPF/CNPJ or random key). */
  key: string;
  /** Merchant name, at most 25 characters (field 59). */
  name: string;
  /** Merchant city, at most 15 characters (field 60). */
  city: string;
  /** Amount in BRL, e.g. `10.5` → `10.50` (field 54); omitted when absent. */
  amount?: string;
  /** Free text to the payee (26/02). */
  description?: string;
}

/** The BR Code of a static Pix charge. */
export function pixBrCode(pix: PixPayload): string {
  const account =
    emvField('00', 'br.gov.bcb.pix') +
    emvField('01', pix.key) +
    (pix.description ? emvField('02', pix.description) : '');
  const amount = pix.amount === undefined ? Number.NaN : Number(pix.amount);
  const body =
    emvField('00', '01') +
    emvField('26', account) +
    emvField('52', '0000') +
    emvField('53', '986') +
    (Number.isFinite(amount) && amount > 0 ? emvField('54', amount.toFixed(2)) : '') +
    emvField('58', 'BR') +
    emvField('59', pix.name.slice(0, 25)) +
    emvField('60', pix.city.slice(0, 15)) +
    emvField('62', emvField('05', '***')) +
    '6304';
  return body + crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0');
}
