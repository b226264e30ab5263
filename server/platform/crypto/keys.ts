/**
 * Key material for the software crypto provider.
 *
 * One 32-byte master key (from GUANHUAI_MASTER_KEY, read by the caller, or from a key file
 * outside the database) is expanded with HKDF (RFC 5869) over HMAC-SM3 into one key per purpose
 * (GB/T 39786 Appendix B: one purpose each): field encryption, field MAC, blind index, audit MAC.
 * Node 20's `hkdfSync('sm3', …)` works (verified against a hand-written RFC 5869 HMAC-SM3 HKDF
 * in keys.test.ts), so no home-made derivation is needed.
 *
 * In production the keys live in a certified cipher machine and never leave it; this file is the
 * dev/demo stand-in. Nothing here logs or echoes key material: use keyFingerprint() in logs.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import path from 'node:path';

export interface DataKey {
  /** SM4 key, 16 bytes. */
  enc: Buffer;
  /** HMAC-SM3 key for the field tag, 32 bytes. */
  mac: Buffer;
}

export interface KeySet {
  /** The data key new values are encrypted with; older ids stay for decryption (rotation). */
  currentKeyId: string;
  keys: Record<string, DataKey>;
  /** HMAC-SM3 key for blind indexes, 32 bytes. */
  index: Buffer;
  /** HMAC-SM3 key for the audit hash chain, 32 bytes. */
  audit: Buffer;
  /** Seals stored private keys (SM2 keys of the regions): SM4 + HMAC-SM3, its own purpose. */
  keyWrap: DataKey;
  /** HMAC-SM3 key signing the audit chain's checkpoints outside the database, 32 bytes. */
  anchor: Buffer;
  /** Encrypts and authenticates backup files (platform/backup): SM4 + HMAC-SM3, its own purpose. */
  backup: DataKey;
}

export interface KeyFile {
  version: 1;
  masterKeyHex: string;
}

/** Misconfigured or unreadable key material. Messages never contain key bytes. */
export class KeyConfigError extends Error {
  override readonly name = 'KeyConfigError';
}

const MASTER_KEY_BYTES = 32;
const HKDF_HASH = 'sm3';
// A fixed, application-specific salt: RFC 5869 §3.1 allows it, and it keeps these keys apart
// from anything else someone might derive from the same master key.
const HKDF_SALT = Buffer.from('guanhuai/hkdf-salt/v1', 'utf8');
const PURPOSES = {
  keyId: { info: 'guanhuai/v1/key-id', bytes: 4 },
  enc: { info: 'guanhuai/v1/field-enc/sm4', bytes: 16 },
  mac: { info: 'guanhuai/v1/field-mac/hmac-sm3', bytes: 32 },
  index: { info: 'guanhuai/v1/blind-index/hmac-sm3', bytes: 32 },
  audit: { info: 'guanhuai/v1/audit-mac/hmac-sm3', bytes: 32 },
  keyWrapEnc: { info: 'guanhuai/v1/key-wrap/sm4', bytes: 16 },
  keyWrapMac: { info: 'guanhuai/v1/key-wrap-mac/hmac-sm3', bytes: 32 },
  anchor: { info: 'guanhuai/v1/audit-anchor/hmac-sm3', bytes: 32 },
  backupEnc: { info: 'guanhuai/v1/backup/sm4', bytes: 16 },
  backupMac: { info: 'guanhuai/v1/backup-mac/hmac-sm3', bytes: 32 },
} as const;

export interface LoadKeySetOptions {
  /** 64 hex characters; wins over the key file when both are given. */
  masterKeyHex?: string;
  /** JSON `{ "version": 1, "masterKeyHex": "…" }`, kept outside the database. */
  keyFile?: string;
  /** Demo mode only: create the key file (mode 0600) when it does not exist. */
  allowGenerate: boolean;
}

export function loadKeySet(opts: LoadKeySetOptions): KeySet {
  if (opts.masterKeyHex !== undefined && opts.masterKeyHex !== '') {
    return deriveKeySet(parseMasterKeyHex(opts.masterKeyHex));
  }
  if (!opts.keyFile) {
    throw new KeyConfigError('No master key: set GUANHUAI_MASTER_KEY or configure a key file');
  }
  const existing = readKeyFile(opts.keyFile);
  if (existing) return deriveKeySet(existing);
  if (!opts.allowGenerate) {
    throw new KeyConfigError(
      `No master key: set GUANHUAI_MASTER_KEY or create the key file ${opts.keyFile} (it is only generated in demo mode)`,
    );
  }
  return deriveKeySet(createKeyFile(opts.keyFile));
}

/** Expands a 32-byte master key into the purpose keys. Deterministic: same master, same keys. */
export function deriveKeySet(masterKey: Buffer): KeySet {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new KeyConfigError('The master key must be 32 bytes');
  const derive = (p: { info: string; bytes: number }) =>
    Buffer.from(hkdfSync(HKDF_HASH, masterKey, HKDF_SALT, p.info, p.bytes));
  // The key id is derived too: a wrong master key then fails as "unknown key id" instead of a
  // confusing integrity error, and the id says nothing usable about the key.
  const keyId = `k${derive(PURPOSES.keyId).toString('hex')}`;
  return {
    currentKeyId: keyId,
    keys: { [keyId]: { enc: derive(PURPOSES.enc), mac: derive(PURPOSES.mac) } },
    index: derive(PURPOSES.index),
    audit: derive(PURPOSES.audit),
    keyWrap: { enc: derive(PURPOSES.keyWrapEnc), mac: derive(PURPOSES.keyWrapMac) },
    anchor: derive(PURPOSES.anchor),
    backup: { enc: derive(PURPOSES.backupEnc), mac: derive(PURPOSES.backupMac) },
  };
}

/** A fresh random master key, for `admin` tooling and tests. */
export function generateMasterKeyHex(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('hex');
}

/**
 * SM3 over all key material, first 16 hex characters: lets operators compare two instances'
 * keys in logs without revealing them.
 */
export function keyFingerprint(keys: KeySet): string {
  const h = createHash('sm3');
  const field = (b: Buffer | string) => {
    const bytes = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    h.update(len).update(bytes);
  };
  field(keys.currentKeyId);
  for (const id of Object.keys(keys.keys).sort()) {
    field(id);
    field(keys.keys[id].enc);
    field(keys.keys[id].mac);
  }
  field(keys.index);
  field(keys.audit);
  return h.digest('hex').slice(0, 16);
}

function parseMasterKeyHex(hex: string): Buffer {
  const trimmed = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new KeyConfigError('The master key must be 64 hexadecimal characters (32 bytes)');
  }
  const key = Buffer.from(trimmed, 'hex');
  // An all-zero key is the classic placeholder left in a config file.
  if (key.every((b) => b === 0)) throw new KeyConfigError('The master key must not be all zeros');
  return key;
}

function readKeyFile(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyConfigError(`Cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's text, which is key material.
    throw new KeyConfigError(`The key file ${file} is not valid JSON`);
  }
  const content = parsed as Partial<KeyFile> | null;
  if (!content || content.version !== 1 || typeof content.masterKeyHex !== 'string') {
    throw new KeyConfigError(`The key file ${file} must be {"version":1,"masterKeyHex":"<64 hex>"}`);
  }
  return parseMasterKeyHex(content.masterKeyHex);
}

function createKeyFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const masterKeyHex = generateMasterKeyHex();
  const body: KeyFile = { version: 1, masterKeyHex };
  let fd: number;
  try {
    // 'wx': never overwrite a key that another process created meanwhile; losing a key loses data.
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = readKeyFile(file);
      if (raced) return raced;
    }
    throw new KeyConfigError(`Cannot create the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return Buffer.from(masterKeyHex, 'hex');
}
