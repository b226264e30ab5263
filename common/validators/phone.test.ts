import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parsePhone, PHONE_FORMAT_MESSAGE } from './phone.js';

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/))
  .map(([second, rest]) => `1${second}${rest}`);

describe('parsePhone: mobile', () => {
  it.each([
    ['13807150000', '13807150000'],
    [' 138 0715 0000 ', '13807150000'],
    ['138-0715-0000', '13807150000'],
    ['+8613807150000', '13807150000'],
    ['+86 138 0715 0000', '13807150000'],
    ['8613807150000', '13807150000'],
    ['１３８０７１５００００', '13807150000'],
    ['19912345678', '19912345678'],
  ])('normalises %j to %s', (input, value) => {
    expect(parsePhone(input)).toEqual({ ok: true, value, kind: 'mobile' });
  });

  it.each(['12807150000', '1380715000', '138071500001', '+8612807150000', '86138071500', '1380715000a'])(
    'rejects %j',
    (input) => {
      expect(parsePhone(input)).toEqual({ ok: false, code: 'PHONE_FORMAT', message: PHONE_FORMAT_MESSAGE });
    },
  );
});

describe('parsePhone: landline', () => {
  it.each([
    ['027-12345678', '027-12345678'],
    ['02712345678', '027-12345678'],
    ['027 1234 5678', '027-12345678'],
    ['(027)12345678', '027-12345678'],
    ['（027）12345678', '027-12345678'],
    ['027-1234567', '027-1234567'],
    ['010-87654321', '010-87654321'],
    ['0710-1234567', '0710-1234567'],
    ['07101234567', '0710-1234567'],
    ['0716-12345678', '0716-12345678'],
    ['027-12345678-123', '027-12345678-123'],
    ['02712345678-8001', '027-12345678-8001'],
  ])('normalises %j to %s', (input, value) => {
    expect(parsePhone(input)).toEqual({ ok: true, value, kind: 'landline' });
  });

  it.each([
    '12345678', // no area code
    '027-123456', // local number too short
    '0271-23456', // only fits a split the area-code rule does not allow
    '027-123456789',
    '027-12345678-1234567',
    '027--12345678',
    '27-12345678',
    '',
    '   ',
  ])('rejects %j', (input) => {
    expect(parsePhone(input)).toMatchObject({ ok: false, code: 'PHONE_FORMAT' });
  });
});

describe('parsePhone messages', () => {
  it('is Chinese, gives an example and never echoes the input', () => {
    const r = parsePhone('13807150000x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('11 位');
      expect(r.message).toContain('027-12345678');
      expect(r.message).not.toContain('13807150000');
    }
  });

  it('refuses a non-string from untyped callers', () => {
    expect(parsePhone(null as unknown as string)).toMatchObject({ ok: false, code: 'PHONE_FORMAT' });
  });
});

describe('phone properties', () => {
  it('accepts any mobile however it is spaced or prefixed, and normalises it the same way', () => {
    const separator = fc.constantFrom('', ' ', '-');
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+86', '+86 ', '86'), separator, separator, (m, prefix, s1, s2) => {
        const typed = `${prefix}${m.slice(0, 3)}${s1}${m.slice(3, 7)}${s2}${m.slice(7)}`;
        expect(parsePhone(typed)).toEqual({ ok: true, value: m, kind: 'mobile' });
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: a normalised value parses to itself', () => {
    const landline = fc
      .tuple(
        fc.oneof(fc.stringMatching(/^0[12]\d$/), fc.stringMatching(/^0[3-9]\d{2}$/)),
        fc.stringMatching(/^\d{7,8}$/),
        fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined }),
      )
      .map(([area, local, ext]) => `${area}${local}${ext ? `-${ext}` : ''}`);
    fc.assert(
      fc.property(fc.oneof(mobile, landline), (typed) => {
        const first = parsePhone(typed);
        expect(first.ok).toBe(true);
        if (first.ok) expect(parsePhone(first.value)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });
});
