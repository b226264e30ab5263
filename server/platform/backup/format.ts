import fs from 'node:fs';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import { CryptoError } from '../crypto/crypto-provider.js';
import type { Checkpoint } from '../audit/anchor.js';
import type { AuditHead, TableDigest } from './digests.js';

/**
 * The backup file (docs/operations.md "Backup file format"):
 *
 *   "GUANHUAI-BACKUP/1\n" ‖ uint32 BE header length ‖ header (UTF-8 JSON) ‖ ciphertext ‖ 32-byte tag
 *
 * header = { keyCheck, iv, cipherBytes, manifest }. The payload (the SQLite database image or a `pg_dump -Fc`
 * archive) is SM4-CBC encrypted under the deployment's backup key (derived from GUANHUAI_MASTER_KEY) and the tag
 * is HMAC-SM3 over header ‖ IV ‖ ciphertext under the backup MAC key: the manifest cannot be changed either.
 * The manifest is readable without the key (it holds counts and digests, no personal data), so the 备份与恢复
 * page and an operator can see what a file holds; only a deployment with the key can check or open it.
 */
export const MAGIC = Buffer.from('GUANHUAI-BACKUP/1\n', 'latin1');
export const TAG_BYTES = 32;
export const BACKUP_EXT = '.ghbk';

export interface Manifest {
  format: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** What the payload is: the SQLite database file, or a pg_dump custom-format archive. */
  payload: { kind: 'sqlite-image' | 'pg_dump-custom'; bytes: number; sm3: string };
  /** Applied migrations (kysely_migration), sorted; `latest` the highest name. */
  schema: { migrations: string[]; latest: string | null };
  tables: TableDigest[];
  totalRows: number;
  auditHead: AuditHead | null;
  /**
   * The newest signed checkpoint of the audit anchor (AUDIT_ANCHOR_FILE) when the backup was taken: the
   * restore checks the restored chain still holds the head it signed, so a backup of a database whose newest
   * audit rows had been cut off is found by the drill. Absent in files written before it was added.
   */
  auditAnchor?: Checkpoint | null;
  app: { version: string };
  durationMs: number;
  /**
   * The master-key version the backup was made under (npm run rekey; absent in backups made before key versions
   * existed: version 1). Its backup key, and every sealed value in it, belong to that version's master key.
   */
  keyVersion?: number;
}

export interface Header {
  keyCheck: string;
  iv: string;
  cipherBytes: number;
  manifest: Manifest;
}

/** A refusal naming the check that failed (the CLI's last line; the drill's verdict). */
export class BackupCheckError extends Error {
  override readonly name = 'BackupCheckError';
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
  }
}

export function encodeHeader(h: Header): Buffer {
  const json = Buffer.from(JSON.stringify(h), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json]);
}

/** The JSON part only (what the MAC covers besides IV and ciphertext). */
export function headerJson(prefix: Buffer): Buffer {
  return prefix.subarray(MAGIC.length + 4);
}

/** Reads and checks the header of a file: format, length (truncation), key. No decryption yet. */
export function readHeader(
  file: string,
  crypto: CryptoProvider,
): { header: Header; prefixBytes: number; json: Buffer; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new BackupCheckError('file', `cannot open the backup file (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const first = Buffer.alloc(MAGIC.length + 4);
    const n = fs.readSync(fd, first, 0, first.length, 0);
    if (n < MAGIC.length || !first.subarray(0, MAGIC.length).equals(MAGIC))
      throw new BackupCheckError('format', 'not a Guanhuai backup file (wrong magic)');
    if (n < first.length) throw new BackupCheckError('truncated', 'the file ends inside its header');
    const len = first.readUInt32BE(MAGIC.length);
    if (len > 64 * 1024 * 1024) throw new BackupCheckError('format', 'header length out of range');
    if (size < first.length + len) throw new BackupCheckError('truncated', 'the file ends inside its header');
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, first.length);
    let header: Header;
    try {
      header = JSON.parse(json.toString('utf8')) as Header;
    } catch {
      throw new BackupCheckError('format', 'the header is not valid JSON (changed bytes)');
    }
    if (
      !header ||
      typeof header.keyCheck !== 'string' ||
      typeof header.iv !== 'string' ||
      !Number.isSafeInteger(header.cipherBytes) ||
      header.manifest?.format !== 1
    )
      throw new BackupCheckError('format', 'the header lacks its fields or is of an unknown format');
    const prefixBytes = first.length + len;
    const expected = prefixBytes + header.cipherBytes + TAG_BYTES;
    if (size < expected)
      throw new BackupCheckError('truncated', `the file is ${size} bytes, its header says ${expected}`);
    if (size > expected) throw new BackupCheckError('format', `the file is ${size} bytes, its header says ${expected}`);
    if (header.keyCheck !== crypto.backupKeyCheck()) {
      const made = header.manifest.keyVersion ?? 1;
      throw new BackupCheckError(
        'key',
        made < crypto.keyVersion
          ? `the file was made under master-key version ${made}, before a rotation (npm run rekey; this key is version ${crypto.keyVersion}): restore it with the version-${made} master key as GUANHUAI_MASTER_KEY`
          : "the file was written under another deployment's key (GUANHUAI_MASTER_KEY differs), or its key check was changed",
      );
    }
    return { header, prefixBytes, json, size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Decrypts the payload into `out` (a new file), checking the tag over everything first read. The output is
 * removed unless the tag holds. Streams: memory stays flat however large the database.
 */
export async function decryptPayload(
  file: string,
  crypto: CryptoProvider,
  parsed: { header: Header; prefixBytes: number; json: Buffer },
  out: string,
): Promise<{ sm3: string; bytes: number }> {
  const opener = crypto.backupOpener(parsed.json, Buffer.from(parsed.header.iv, 'hex'));
  const end = parsed.prefixBytes + parsed.header.cipherBytes;
  const fdOut = fs.openSync(out, 'wx', 0o600);
  const digest = crypto.sm3Stream();
  let bytes = 0;
  try {
    const input = fs.createReadStream(file, { start: parsed.prefixBytes, end: end - 1, highWaterMark: 1 << 20 });
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const plain = opener.update(chunk);
      digest.update(plain);
      bytes += plain.length;
      fs.writeSync(fdOut, plain);
    }
    const tag = Buffer.alloc(TAG_BYTES);
    const fdIn = fs.openSync(file, 'r');
    fs.readSync(fdIn, tag, 0, TAG_BYTES, end);
    fs.closeSync(fdIn);
    let last: Buffer;
    try {
      last = opener.final(tag);
    } catch (e) {
      if (e instanceof CryptoError)
        throw new BackupCheckError('integrity', 'the file failed its HMAC-SM3 check: a byte was changed');
      throw e;
    }
    digest.update(last);
    bytes += last.length;
    fs.writeSync(fdOut, last);
    fs.fsyncSync(fdOut);
  } catch (e) {
    fs.closeSync(fdOut);
    fs.rmSync(out, { force: true });
    throw e;
  }
  fs.closeSync(fdOut);
  return { sm3: digest.digest(), bytes };
}
