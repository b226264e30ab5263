import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHmac, hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveKeySet, generateMasterKeyHex, keyFingerprint, KeyConfigError, loadKeySet } from './keys.js';

const MASTER = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

/** RFC 5869 written out with HMAC-SM3, to check Node's hkdfSync('sm3') independently. */
function referenceHkdfSm3(ikm: Buffer, salt: Buffer, info: string, length: number): Buffer {
  const prk = createHmac('sm3', salt).update(ikm).digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac('sm3', prk)
      .update(Buffer.concat([previous, Buffer.from(info, 'utf8'), Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

describe('HKDF over SM3 on this Node', () => {
  it('matches a hand-written RFC 5869 HMAC-SM3 HKDF, including multi-block output', () => {
    const ikm = Buffer.from(MASTER, 'hex');
    const salt = Buffer.from('salt');
    for (const length of [16, 32, 33, 80]) {
      expect(Buffer.from(hkdfSync('sm3', ikm, salt, 'info', length))).toEqual(
        referenceHkdfSm3(ikm, salt, 'info', length),
      );
    }
  });
});

describe('deriveKeySet', () => {
  it('is deterministic and gives each purpose its own key of the right size', () => {
    const a = deriveKeySet(Buffer.from(MASTER, 'hex'));
    const b = deriveKeySet(Buffer.from(MASTER, 'hex'));
    expect(a).toEqual(b);
    expect(a.currentKeyId).toMatch(/^k[0-9a-f]{8}$/);
    const data = a.keys[a.currentKeyId];
    expect(data.enc).toHaveLength(16);
    expect(data.mac).toHaveLength(32);
    expect(a.index).toHaveLength(32);
    expect(a.audit).toHaveLength(32);
    const all = [data.enc, data.mac, a.index, a.audit].map((k) => k.toString('hex'));
    expect(new Set(all).size).toBe(4);
    expect(all.some((k) => MASTER.includes(k.slice(0, 16)))).toBe(false);
  });

  it('gives a different master a different key id', () => {
    const a = deriveKeySet(Buffer.from(MASTER, 'hex'));
    const b = deriveKeySet(Buffer.from(generateMasterKeyHex(), 'hex'));
    expect(b.currentKeyId).not.toBe(a.currentKeyId);
  });
});

describe('keyFingerprint', () => {
  it('is 16 hex characters, stable, key-dependent, and contains no key bytes', () => {
    const keys = deriveKeySet(Buffer.from(MASTER, 'hex'));
    const fp = keyFingerprint(keys);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(keyFingerprint(deriveKeySet(Buffer.from(MASTER, 'hex')))).toBe(fp);
    expect(keyFingerprint(deriveKeySet(Buffer.from(generateMasterKeyHex(), 'hex')))).not.toBe(fp);
    for (const key of [keys.index, keys.audit, keys.keys[keys.currentKeyId].enc]) {
      expect(key.toString('hex')).not.toContain(fp);
    }
    expect(MASTER).not.toContain(fp);
  });
});

describe('loadKeySet', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'guanhuai-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives from a master key given directly, ignoring surrounding whitespace', () => {
    expect(loadKeySet({ masterKeyHex: ` ${MASTER}\n`, allowGenerate: false })).toEqual(
      deriveKeySet(Buffer.from(MASTER, 'hex')),
    );
  });

  it('prefers the master key over the key file', () => {
    const keyFile = path.join(dir, 'keys.json');
    loadKeySet({ keyFile, allowGenerate: true });
    expect(loadKeySet({ masterKeyHex: MASTER, keyFile, allowGenerate: false })).toEqual(
      deriveKeySet(Buffer.from(MASTER, 'hex')),
    );
  });

  it.each(['abc', MASTER.slice(2), `${MASTER}00`, 'zz'.repeat(32), '00'.repeat(32)])(
    'refuses a bad master key without echoing it (%#)',
    (bad) => {
      expect(() => loadKeySet({ masterKeyHex: bad, allowGenerate: true })).toThrow(KeyConfigError);
      try {
        loadKeySet({ masterKeyHex: bad, allowGenerate: true });
      } catch (e) {
        expect((e as Error).message).not.toContain(bad.slice(0, 12));
      }
    },
  );

  it('creates a 0600 key file in demo mode, then reads the same key back', () => {
    const keyFile = path.join(dir, 'nested', 'keys.json');
    const first = loadKeySet({ keyFile, allowGenerate: true });
    const content = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(content).toEqual({ version: 1, masterKeyHex: expect.stringMatching(/^[0-9a-f]{64}$/) });
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadKeySet({ keyFile, allowGenerate: false })).toEqual(first);
    expect(loadKeySet({ keyFile, allowGenerate: true })).toEqual(first);
  });

  it('refuses to start without a key outside demo mode', () => {
    const keyFile = path.join(dir, 'missing.json');
    expect(() => loadKeySet({ keyFile, allowGenerate: false })).toThrow(/GUANHUAI_MASTER_KEY/);
    expect(() => loadKeySet({ allowGenerate: true })).toThrow(KeyConfigError);
  });

  it('refuses a corrupt key file without quoting its content', () => {
    const keyFile = path.join(dir, 'keys.json');
    writeFileSync(keyFile, `{"version":1,"masterKeyHex":"${MASTER}"`, { mode: 0o600 });
    expect(() => loadKeySet({ keyFile, allowGenerate: true })).toThrow(/not valid JSON/);
    try {
      loadKeySet({ keyFile, allowGenerate: true });
    } catch (e) {
      expect((e as Error).message).not.toContain(MASTER.slice(0, 12));
    }
    writeFileSync(keyFile, JSON.stringify({ version: 2, masterKeyHex: MASTER }));
    expect(() => loadKeySet({ keyFile, allowGenerate: true })).toThrow(KeyConfigError);
  });
});
