import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Project, ProjectData, QrRecord } from './records.ts';

/** `--data <file>`: the projects as one JSON document, loaded at start and written (debounced) after changes. */

export interface Snapshot {
  projects: ProjectData[];
}

export function snapshot(projects: Iterable<Project>): Snapshot {
  // `pix` is non-enumerable on a record (records.ts `hidePix`): saved here explicitly
  const withPix = (qr: QrRecord) => (qr.pix == null ? qr : { ...qr, pix: qr.pix });
  return { projects: [...projects].map((p) => ({ ...p.data, qrCodes: p.data.qrCodes.map(withPix) })) };
}

/** The projects saved in `file`, or undefined when it does not exist yet. */
export function readSnapshot(file: string): ProjectData[] | undefined {
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>).projects ?? [];
}

/** Writes through a temporary file and a rename, so a crash mid-write never leaves half a document. */
function writeSnapshot(file: string, data: Snapshot): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

export interface Saver {
  /** Saves within `delayMs`, once for any number of changes in between. */
  schedule(): void;
  /** Saves now (at close), cancelling a scheduled save. */
  flush(): void;
}

export function createSaver(file: string, take: () => Snapshot, delayMs = 200): Saver {
  let timer: NodeJS.Timeout | undefined;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        writeSnapshot(file, take());
      }, delayMs);
    },
    flush() {
      cancel();
      writeSnapshot(file, take());
    },
  };
}
