import { describe, expect, it } from 'vitest';
import {
  decode,
  DerError,
  integer,
  objectIdentifier,
  octetString,
  readOid,
  readUnsigned,
  readUtcTime,
  sequence,
  setOf,
  utcTime,
} from './der.js';

describe('DER codec', () => {
  it('encodes OIDs as X.690 says and reads them back', () => {
    expect(objectIdentifier('1.2.156.10197.6.1.4.2.4').toString('hex')).toBe('060a2a811ccf550601040204');
    expect(objectIdentifier('1.2.840.113549.1.9.4').toString('hex')).toBe('06092a864886f70d010904');
    for (const oid of ['1.2.156.10197.1.301.3', '2.5.4.3', '2.999.1'])
      expect(readOid(decode(objectIdentifier(oid)), 'x')).toBe(oid);
  });

  it('encodes non-negative INTEGERs minimally with a zero pad for a set top bit', () => {
    expect(integer(0).toString('hex')).toBe('020100');
    expect(integer(127).toString('hex')).toBe('02017f');
    expect(integer(128).toString('hex')).toBe('02020080');
    expect(integer(Buffer.from('0000ff', 'hex')).toString('hex')).toBe('020200ff');
    expect(readUnsigned(decode(integer(Buffer.from('80', 'hex'))), 'x').toString('hex')).toBe('80');
  });

  it('uses long lengths past 127 bytes and sorts SET OF', () => {
    const big = octetString(Buffer.alloc(300));
    expect(big.subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(decode(big).content.length).toBe(300);
    expect(setOf(integer(2), integer(1)).toString('hex')).toBe('3106020101020102');
  });

  it('round-trips UTCTime', () => {
    const at = new Date('2026-05-15T08:30:05Z');
    expect(utcTime(at).subarray(2).toString('latin1')).toBe('260515083005Z');
    expect(readUtcTime(decode(utcTime(at)), 'x').toISOString()).toBe(at.toISOString());
  });

  it('refuses BER and broken input: indefinite or non-minimal lengths, truncation, trailing bytes, a negative INTEGER', () => {
    const bad = ['3080' + '0000', '048100', '04820001ff', '3003020101ff', '300302', '', '020180', '02020001'];
    for (const hex of bad) {
      expect(() => {
        const node = decode(Buffer.from(hex, 'hex'));
        if (node.tag === 0x02) readUnsigned(node, 'x');
      }, hex).toThrow(DerError);
    }
    expect(() => decode(Buffer.concat([sequence(integer(1)), Buffer.from([0])]))).toThrow(/trailing/);
  });

  it('bounds nesting depth', () => {
    let deep = integer(1);
    for (let i = 0; i < 40; i++) deep = sequence(deep);
    expect(() => decode(deep)).toThrow(/deeply/);
  });
});
