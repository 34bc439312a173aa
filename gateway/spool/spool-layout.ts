import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../durability/fsync-dir.js';

// Where spool files live: spool/<xx>/<id>.spool, 256 directories, so that no
// directory holds millions of entries after months of retained content, and
// spool/incoming/<id>.spool.part while a transfer streams in (moved into its
// directory at commit), so that what a crash leaves half-written is in one
// directory as small as the uploads that were in flight.
//
// <xx> is the id's last two hex digits: ids are UUIDv7, whose leading digits
// are a timestamp (every transfer of a year would share one directory) and
// whose trailing digits are random (rand_b, RFC 9562 §5.7).

export const INCOMING_DIR = 'incoming';
const FAN_OUT = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The directory a transfer's spool file goes in. */
export function fanOutOf(id: string): string {
  return id.slice(-2).toLowerCase();
}

/** A transfer's spool file, relative to the spool directory (what the queue row's `spool` holds). */
export function spoolNameFor(id: string): string {
  return `${fanOutOf(id)}/${id}.spool`;
}

/**
 * Makes the fan-out and incoming directories (durably), and moves spool files
 * of the flat layout into their directory; a .part file of the flat layout is
 * an upload cut off by the stop, and is removed. Lists only the spool
 * directory's own entries: 257 directories once migrated. Idempotent, so a
 * crash midway is finished by the next start.
 */
export async function prepareSpoolDir(spoolDir: string): Promise<{ moved: number; removed: number }> {
  await mkdir(spoolDir, { recursive: true, mode: 0o700 });
  const have = new Set(await readdir(spoolDir));
  let made = false;
  for (const d of [...FAN_OUT, INCOMING_DIR]) {
    if (have.has(d)) continue;
    await mkdir(join(spoolDir, d), { mode: 0o700 });
    made = true;
  }
  if (made) await fsyncDir(spoolDir);
  let moved = 0;
  let removed = 0;
  const touched = new Set<string>();
  for (const name of have) {
    if (name.endsWith('.spool.part')) {
      await rm(join(spoolDir, name), { force: true });
      removed++;
    } else if (name.endsWith('.spool')) {
      // The same directory as queue-migrations.ts step 4 gives the row.
      const dir = fanOutOf(name.slice(0, -'.spool'.length));
      await mkdir(join(spoolDir, dir), { recursive: true, mode: 0o700 });
      await rename(join(spoolDir, name), join(spoolDir, dir, name));
      touched.add(dir);
      moved++;
    }
  }
  for (const dir of touched) await fsyncDir(join(spoolDir, dir));
  if (moved || removed) await fsyncDir(spoolDir);
  return { moved, removed };
}

/** The .part files a stop left in spool/incoming/ (no upload is in flight before the gateway listens). */
export async function clearIncoming(spoolDir: string): Promise<number> {
  const dir = join(spoolDir, INCOMING_DIR);
  const names = await readdir(dir);
  for (const name of names) await rm(join(dir, name), { force: true, recursive: true });
  return names.length;
}

/** The fan-out directories, for a scrub that walks them one at a time. */
export const FAN_OUT_DIRS: readonly string[] = FAN_OUT;
