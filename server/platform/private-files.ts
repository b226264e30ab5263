import fs from 'node:fs';

/**
 * The data directory and the files in it hold names, addresses and petition signals (SQLite keeps them in
 * clear; only ID numbers and phones are encrypted): owner-only, whatever the umask. What protects them beyond
 * the file mode is the disk's encryption (docs/operations.md).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the directory owner-only, or takes group and other access away from an existing one. Only for a
 * directory that belongs to the platform (DATA_DIR), never for a shared parent such as /tmp.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(dir, mode & 0o700);
}

/** Creates the file owner-only if absent (so SQLite's -wal and -shm inherit the mode), else tightens it. */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenFile(file);
}

/** Takes group and other access away from a file if it exists. */
export function tightenFile(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (mode & 0o077) fs.chmodSync(file, mode & 0o700);
}
