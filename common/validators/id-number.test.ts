import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { idCheckDigit, makeIdNumber, parseIdNumber } from './id-number.js';

const TODAY = new Date('2026-06-15T04:00:00Z');

const provincePrefix = fc.constantFrom(
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
);
const regionCode6 = fc
  .tuple(provincePrefix, fc.integer({ min: 0, max: 9999 }))
  .map(([p, rest]) => p + String(rest).padStart(4, '0'));
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-06-14T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validId = fc.record({ regionCode6, birthDate, sequence: fc.integer({ min: 0, max: 999 }) });

describe('idCheckDigit', () => {
  it('matches the GB 11643 examples', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(idCheckDigit('44052418800101001')).toBe('4');
    expect(idCheckDigit('42010219650505122')).toBe('X');
  });

  it('refuses anything but 17 digits, without echoing the input', () => {
    expect(() => idCheckDigit('4201021965050512')).toThrow(RangeError);
    expect(() => idCheckDigit('4201021965050512A')).toThrow(/17 digits/);
    try {
      idCheckDigit('4201021965050512A');
    } catch (e) {
      expect((e as Error).message).not.toContain('420102');
    }
  });
});

describe('parseIdNumber', () => {
  it('accepts the standard example and derives sex and birth date', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
      sex: 'female',
      birthDate: '1949-12-31',
    });
    expect(parseIdNumber('420102196505051211', TODAY)).toMatchObject({ ok: true, sex: 'male' });
  });

  it('trims, upper-cases x and accepts full-width digits', () => {
    expect(parseIdNumber('  11010519491231002x \n', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('１１０１０５１９４９１２３１００２ｘ', TODAY)).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('keeps the year ≥ 1900 rule even for the 1880 example in GB 11643 (its check digit is right)', () => {
    // 440524188001010014 is the standard's own example; its check digit is valid, but nobody
    // born in 1880 is alive, so the archive refuses it on the date, not on the check digit.
    expect(parseIdNumber('440524188001010014', TODAY)).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
  });

  it('rejects 15-digit legacy numbers, asking for the 18-digit one', () => {
    const r = parseIdNumber('110105491231002', TODAY);
    expect(r).toMatchObject({ ok: false, code: 'ID_FORMAT' });
    expect(!r.ok && r.message).toContain('18 位');
  });

  it.each([
    ['', 'ID_FORMAT'],
    ['1101051949123100', 'ID_FORMAT'],
    ['1101051949123100211', 'ID_FORMAT'],
    ['11010519491231002Y', 'ID_FORMAT'],
    ['X10105194912310021', 'ID_FORMAT'],
    ['1101 0519 4912 3100 2X', 'ID_FORMAT'],
    ['11010519491231002 1', 'ID_FORMAT'],
    ['991234194912310023', 'ID_REGION'],
    ['101234194912310023', 'ID_REGION'],
    ['110105190002290012', 'ID_BIRTH_DATE'], // 1900 is not a leap year
    ['110105194913310012', 'ID_BIRTH_DATE'],
    ['110105194912000012', 'ID_BIRTH_DATE'],
    ['110105189912310012', 'ID_BIRTH_DATE'],
    ['110105194912310021', 'ID_CHECK_DIGIT'],
    ['110105194912310020', 'ID_CHECK_DIGIT'],
  ])('rejects %j with %s', (input, code) => {
    expect(parseIdNumber(input, TODAY)).toMatchObject({ ok: false, code });
  });

  it('accepts 29 February in a leap year, including 2000', () => {
    expect(parseIdNumber(makeIdNumber({ regionCode6: '420102', birthDate: '2000-02-29', sequence: 1 }), TODAY).ok).toBe(
      true,
    );
    expect(parseIdNumber(makeIdNumber({ regionCode6: '420102', birthDate: '1964-02-29', sequence: 1 }), TODAY).ok).toBe(
      true,
    );
  });

  it('refuses a birth date after today in China (UTC+8)', () => {
    const id = makeIdNumber({ regionCode6: '420102', birthDate: '2026-06-16', sequence: 2 });
    // 2026-06-15T20:00Z is already 16 June in Wuhan.
    expect(parseIdNumber(id, new Date('2026-06-15T15:00:00Z'))).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
    expect(parseIdNumber(id, new Date('2026-06-15T16:00:00Z'))).toMatchObject({ ok: true, birthDate: '2026-06-16' });
  });

  it('never puts the input into the message', () => {
    for (const input of ['110105194912310021', '991234194912310023', '110105194913310012', '11010519491231002Y']) {
      const r = parseIdNumber(input, TODAY);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).not.toContain(input.slice(0, 6));
        expect(r.message).toMatch(/身份证号码/);
      }
    }
  });

  it('refuses a non-string from untyped callers', () => {
    expect(parseIdNumber(undefined as unknown as string, TODAY)).toMatchObject({ ok: false, code: 'ID_FORMAT' });
  });
});

describe('makeIdNumber', () => {
  it('builds the standard example back', () => {
    expect(makeIdNumber({ regionCode6: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe('11010519491231002X');
  });

  it.each([
    [{ regionCode6: '42010', birthDate: '1960-01-01', sequence: 1 }],
    [{ regionCode6: '420102', birthDate: '1960-02-30', sequence: 1 }],
    [{ regionCode6: '420102', birthDate: '19600101', sequence: 1 }],
    [{ regionCode6: '420102', birthDate: '1960-01-01', sequence: 1000 }],
    [{ regionCode6: '420102', birthDate: '1960-01-01', sequence: 1.5 }],
  ])('refuses malformed options %j', (opts) => {
    expect(() => makeIdNumber(opts)).toThrow(RangeError);
  });
});

describe('ID number properties', () => {
  it('accepts every generated valid number, with matching sex and birth date', () => {
    fc.assert(
      fc.property(validId, (opts) => {
        const id = makeIdNumber(opts);
        const r = parseIdNumber(id, TODAY);
        expect(r).toEqual({
          ok: true,
          value: id,
          birthDate: opts.birthDate,
          sex: opts.sequence % 2 === 1 ? 'male' : 'female',
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects any single-character change in the first 17 digits', () => {
    const replacement = fc.oneof(
      fc.integer({ min: 0, max: 9 }).map(String),
      fc.constantFrom('X', 'x', 'A', ' ', '-', '０', '一'),
    );
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), replacement, (opts, pos, ch) => {
        const id = makeIdNumber(opts);
        fc.pre(ch !== id[pos] && !(ch === '０' && id[pos] === '0'));
        const mutated = id.slice(0, pos) + ch + id.slice(pos + 1);
        expect(parseIdNumber(mutated, TODAY).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
