import type { SandboxBehaviour } from '../behaviour.ts';
import type { Random } from '../random.ts';
import type { DomainRecord, Project, QrRecord } from './records.ts';

/**
 * What the store's jobs (quotas, relations, QR-code CRUD, scans) share: the clock, ids, the domains and the global
 * short-link index. `Store` is the one implementation; the jobs take this interface so none of them imports `Store`.
 */
export interface StoreContext {
  readonly random: Random;
  readonly now: () => number;
  /** The short-link host's domain (e.g. `127.0.0.1:8788`): every project's primary domain. */
  readonly linkDomain: string;
  /** Shared with the app, read on every request (quotas on or off). */
  readonly behaviour: SandboxBehaviour;
  readonly domains: DomainRecord[];
  /** `domain/key` → QR code, across projects (short links are globally unique). */
  readonly byShortLink: Map<string, { project: Project; qr: QrRecord }>;
  isoNow(): string;
  shortLinkFor(domain: string, key: string): string;
  /** Tells persistence that something changed. */
  changed(): void;
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
