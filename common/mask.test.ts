import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maskChanges, maskIdNumber, maskPersonal, maskPhone } from './mask.js';
import { makeIdNumber } from './validators/id-number.js';

describe('maskIdNumber', () => {
  it('shows the first 3 characters of an 18-character number only', () => {
    expect(maskIdNumber('42010219650505122X')).toBe('420***************');
    expect(maskIdNumber(' 42010219650505122x ')).toBe('420***************');
  });

  it('narrows an older stored mask to the current rule, and is idempotent', () => {
    expect(maskIdNumber('420***********122X')).toBe('420***************');
    expect(maskIdNumber(maskIdNumber('42010219650505122X'))).toBe('420***************');
  });

  it('hides short or odd values completely or nearly so', () => {
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber(null)).toBe('');
    expect(maskIdNumber(undefined)).toBe('');
    expect(maskIdNumber('110105491231002')).toBe('110************');
  });

  it('always hides characters 4–18 of an ID number (property)', () => {
    const id = fc
      .record({
        regionCode6: fc.stringMatching(/^[1-8]\d{5}$/),
        birthDate: fc
          .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
        sequence: fc.integer({ min: 0, max: 999 }),
      })
      .map(makeIdNumber);
    fc.assert(
      fc.property(id, (value) => {
        const masked = maskIdNumber(value);
        expect(masked).toHaveLength(18);
        expect(masked.slice(3)).toBe('*'.repeat(15));
        expect(masked.slice(0, 3)).toBe(value.slice(0, 3));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('maskPersonal', () => {
  const hidden = { canReveal: false };
  const revealing = { canReveal: true };

  it('gives the birth date in full only to a role that may reveal', () => {
    expect(maskPersonal('birthDate', '1965-05-05', revealing)).toBe('1965-05-05');
    expect(maskPersonal('birthDate', '1965-05-05', hidden)).toBe('1965');
    expect(maskPersonal('eligibleFrom', '2014-05-05', revealing)).toBe('2014-05-05');
    expect(maskPersonal('eligibleFrom', '2014-05-05', hidden)).toBe('2014-05');
  });

  it('keeps the category and grade of a disability certificate number', () => {
    expect(maskPersonal('disabilityCertNo', '42010219900303123412', hidden)).toBe('420***************12');
  });

  it('masks both sides of every personal value in a change set, and nothing else', () => {
    const changes = {
      'members.mother.idNumber': ['420***********122X', null],
      'members.mother.birthDate': [null, '1965-05-05'],
      'members.mother.phone': ['138****0000', '13900001111'],
      'child.birthDate': ['1990-03-03', '1990-03-04'],
      address: ['甲', '乙'],
    };
    expect(maskChanges(changes, hidden)).toEqual({
      'members.mother.idNumber': ['420***************', null],
      'members.mother.birthDate': [null, '1965'],
      'members.mother.phone': ['138****0000', '139****1111'],
      'child.birthDate': ['1990', '1990'],
      address: ['甲', '乙'],
    });
    expect(maskChanges(changes, revealing)['child.birthDate']).toEqual(['1990-03-03', '1990-03-04']);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13807150000', '138****0000'],
    ['+86 138 0715 0000', '138****0000'],
    ['027-12345678', '027-****5678'],
    ['02712345678', '027-****5678'],
    ['0710-1234567', '0710-****567'],
    ['027-12345678-123', '027-****5678-***'],
  ])('masks %j as %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('hides all but the last 2 characters of a value that does not parse', () => {
    expect(maskPhone('12345678')).toBe('******78');
    expect(maskPhone('找儿媳妇联系')).toBe('****联系');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone(null)).toBe('');
  });

  it('masks every mobile as ^1\\d{2}\\*{4}\\d{4}$, keeping the visible digits (property)', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/))
      .map(([second, rest]) => `1${second}${rest}`);
    fc.assert(
      fc.property(mobile, (m) => {
        const masked = maskPhone(m);
        expect(masked).toMatch(/^1\d{2}\*{4}\d{4}$/);
        expect(masked.slice(0, 3) + masked.slice(7)).toBe(m.slice(0, 3) + m.slice(7));
      }),
      { numRuns: 1000 },
    );
  });

  it('never shows more than half of a landline local number (property)', () => {
    const landline = fc.tuple(
      fc.oneof(fc.stringMatching(/^0[12]\d$/), fc.stringMatching(/^0[3-9]\d{2}$/)),
      fc.stringMatching(/^\d{7,8}$/),
    );
    fc.assert(
      fc.property(landline, ([area, local]) => {
        const masked = maskPhone(`${area}-${local}`);
        const [maskedArea, maskedLocal] = masked.split('-');
        expect(maskedArea).toBe(area);
        expect(maskedLocal.replace(/\*/g, '').length).toBeLessThanOrEqual(local.length / 2);
        expect(maskedLocal).toHaveLength(local.length);
      }),
      { numRuns: 500 },
    );
  });
});
