/**
 * The zip layer of the upload guard (ASVS 5.2.3: file count and uncompressed size checked before
 * anything is unpacked). Only the central directory is read here: entry count, declared sizes,
 * compression ratio, names. yauzl is opened with `validateEntrySizes: true`, so when an entry is
 * later inflated, the declared uncompressed size binds: one byte more and the stream errors
 * (a zip whose central directory lies about its sizes cannot smuggle a bomb past this check).
 *
 * Measured in security-checklist §6.6: ExcelJS 4.4.0 `readFile()` on a 1.5 MB xlsx inflating to
 * 452 MB dies out of heap; this guard refuses it reading ~2 kB of central directory.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { MESSAGES, fileError, toFileError } from './errors.js';

export interface UploadLimits {
  /** Largest upload accepted, bytes. Default 10 MB. */
  maxBytes: number;
  /** Most zip entries an xlsx may have. Default 200. */
  maxEntries: number;
  /** Largest declared uncompressed size of one entry, bytes. Default 50 MB. */
  maxEntryBytes: number;
  /** Largest declared uncompressed size of all entries together, bytes. Default 100 MB. */
  maxTotalBytes: number;
  /** Largest ratio total uncompressed / total compressed. Default 100. */
  maxRatio: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxEntries: 200,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxRatio: 100,
});

/**
 * Below this total uncompressed size the ratio rule is not applied: a 40 kB workbook of
 * repetitive XML may compress 150:1 and is harmless. Sizes above it must respect maxRatio.
 */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export function resolveLimits(limits?: Partial<UploadLimits>): UploadLimits {
  const merged = { ...DEFAULT_UPLOAD_LIMITS };
  for (const key of Object.keys(merged) as (keyof UploadLimits)[]) {
    const value = limits?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) merged[key] = value;
  }
  return merged;
}

export interface GuardedZip {
  zip: yauzl.ZipFile;
  /** Entries by name, in central-directory order. Directories are included (size 0). */
  entries: Map<string, yauzl.Entry>;
  close(): void;
}

const ZIP_OPTIONS: yauzl.Options = {
  lazyEntries: true,
  validateEntrySizes: true,
  // A backslash is refused rather than silently turned into a '/'.
  strictFileNames: true,
  decodeStrings: true,
  autoClose: false,
};

function openZip(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, ZIP_OPTIONS, (err, zip) => (err || !zip ? reject(toFileError(err)) : resolve(zip)));
  });
}

function isMacroPart(name: string): boolean {
  return /(^|\/)vbaProject\.bin$/i.test(name) || /(^|\/)vbaProjectSignature\.bin$/i.test(name);
}

/**
 * Reads and checks the central directory. Refuses (AppError) on: too many entries, an entry or the
 * total too large, a suspicious ratio, overlapping entries, `..`/absolute/backslash names,
 * duplicate names, a macro project, a nested zip name, encryption or an unknown compression.
 */
export async function openGuardedZip(buf: Buffer, limits: UploadLimits): Promise<GuardedZip> {
  const zip = await openZip(buf);
  const close = () => {
    if (zip.isOpen) zip.close();
  };
  try {
    if (zip.entryCount > limits.maxEntries) throw fileError('ZIP_ENTRIES', MESSAGES.zipEntries);
    const entries = await readCentralDirectory(zip, buf.length, limits);
    return { zip, entries, close };
  } catch (err) {
    close();
    throw toFileError(err);
  }
}

function readCentralDirectory(zip: yauzl.ZipFile, fileSize: number, limits: UploadLimits) {
  return new Promise<Map<string, yauzl.Entry>>((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    let totalUncompressed = 0;
    let totalCompressed = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      zip.removeAllListeners('entry');
      reject(toFileError(err));
    };
    zip.on('error', fail);
    zip.on('entry', (entry: yauzl.Entry) => {
      if (settled) return;
      const name = entry.fileName;
      if (entries.size + 1 > limits.maxEntries) return fail(fileError('ZIP_ENTRIES', MESSAGES.zipEntries));
      // yauzl already refuses '\', absolute and '..' names (strictFileNames); this repeats it so the
      // guard does not depend on a library default.
      if (name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
        return fail(fileError('ZIP_PATH', MESSAGES.zipPath));
      }
      if (entries.has(name)) return fail(fileError('ZIP_PATH', MESSAGES.zipPath));
      if (isMacroPart(name)) return fail(fileError('FILE_TYPE', MESSAGES.macro));
      if (/\.zip$/i.test(name)) return fail(fileError('ZIP_NESTED', MESSAGES.zipNested));
      if (entry.isEncrypted()) return fail(fileError('FILE_CORRUPT', MESSAGES.corrupt));
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        return fail(fileError('FILE_CORRUPT', MESSAGES.corrupt));
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) return fail(fileError('ZIP_BOMB', MESSAGES.zipBomb));
      totalUncompressed += entry.uncompressedSize;
      totalCompressed += entry.compressedSize;
      if (totalUncompressed > limits.maxTotalBytes) return fail(fileError('ZIP_BOMB', MESSAGES.zipBomb));
      // Entries that share compressed bytes (the "overlapping files" bomb) claim more compressed
      // data than the file holds.
      if (totalCompressed > fileSize) return fail(fileError('ZIP_BOMB', MESSAGES.zipBomb));
      entries.set(name, entry);
      zip.readEntry();
    });
    zip.on('end', () => {
      if (settled) return;
      if (totalUncompressed > RATIO_FLOOR_BYTES && totalUncompressed > limits.maxRatio * Math.max(totalCompressed, 1)) {
        return fail(fileError('ZIP_BOMB', MESSAGES.zipBomb));
      }
      settled = true;
      resolve(entries);
    });
    zip.readEntry();
  });
}

/** An entry's inflated bytes; the declared size binds (too many or too few bytes → error). */
export function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(toFileError(err)) : resolve(stream)));
  });
}

/** At most about `limit` inflated bytes from the start of an entry; the rest is never inflated. */
export async function readEntryPrefix(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize === 0) return Buffer.alloc(0);
  const stream = await openEntryStream(zip, entry);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) break;
    }
  } catch (err) {
    throw toFileError(err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** A whole entry, for the few small XML parts (bounded by the declared size, which binds). */
export async function readEntryFully(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  if (entry.uncompressedSize === 0) return Buffer.alloc(0);
  const stream = await openEntryStream(zip, entry);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (err) {
    throw toFileError(err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

const ZIP_LOCAL_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function startsWithZipMagic(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(ZIP_LOCAL_MAGIC);
}

/**
 * Finds `<!DOCTYPE` or `<!ENTITY` (any case) in XML bytes. ExcelJS's sax parser (saxes) does not
 * fetch external entities, but no spreadsheet needs a DTD, so any DTD is refused outright
 * (ASVS 1.5.1) — that also rules out entity-expansion ("billion laughs") tricks.
 */
export function containsDtd(bytes: Buffer): boolean {
  let from = 0;
  for (;;) {
    const at = bytes.indexOf('<!', from, 'latin1');
    if (at < 0) return false;
    const word = bytes
      .subarray(at + 2, at + 9)
      .toString('latin1')
      .toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) return true;
    from = at + 2;
  }
}

/** Streaming form of containsDtd: keeps the last few bytes so a keyword split across chunks is found. */
export class DtdScanner {
  private tail = Buffer.alloc(0);
  /** True if the bytes seen so far contain a DTD keyword. */
  push(chunk: Buffer): boolean {
    const window = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    if (containsDtd(window)) return true;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - 8)));
    return false;
  }
}
