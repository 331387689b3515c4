/**
 * `10000` → `10,000`: a whole number the way `toLocaleString('en-US')` writes it, without touching ICU. The first
 * `Intl` / `toLocaleString` call of a process loads ICU's data (15-30 ms), and these texts are built at import time,
 * so using it here would put that on every host's cold start.
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
