import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { safeCell } from './spreadsheet-safe.js';

// Independent of the implementation's regex: the characters a spreadsheet may treat as a
// formula start, and the whitespace it may skip before them.
const TRIGGERS = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
const CONTROL_STARTS = ['\t', '\r', '\n', '\0'];

function isDangerous(s: string): boolean {
  if (CONTROL_STARTS.includes(s[0])) return true;
  const first = s.trimStart()[0];
  return first !== undefined && TRIGGERS.includes(first);
}

describe('safeCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点击")', '\'=HYPERLINK("http://evil.example","点击")'],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r\n=1', "'\r\n=1"],
    ['\0abc', "'\0abc"],
    ['  =1', "'  =1"],
    ['\u3000=1', "'\u3000=1"],
    ['＝SUM(A1)', "'＝SUM(A1)"],
  ])('prefixes %j', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });

  it.each(['张三', '湖北省武汉市', 'a=b', '1+1', "'already", '', ' 普通文本'])('leaves %j alone', (input) => {
    expect(safeCell(input)).toBe(input);
  });

  it('passes finite numbers through and drops the ones no cell can hold', () => {
    expect(safeCell(42)).toBe(42);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(0.5)).toBe(0.5);
    expect(safeCell(Number.NaN)).toBeNull();
    expect(safeCell(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('maps nullish to null, dates to ISO text, other values to escaped text', () => {
    expect(safeCell(null)).toBeNull();
    expect(safeCell(undefined)).toBeNull();
    expect(safeCell(new Date('2026-11-28T00:00:00Z'))).toBe('2026-11-28T00:00:00.000Z');
    expect(safeCell(new Date('invalid'))).toBeNull();
    expect(safeCell(true)).toBe('true');
    expect(safeCell(-12n)).toBe("'-12");
    expect(safeCell({ toString: () => '=cmd|"/c calc"!A1' })).toBe('\'=cmd|"/c calc"!A1');
    expect(safeCell(Object.create(null))).toBe('[object Object]');
  });

  it('never returns a string that starts a formula (property, 2,000 runs)', () => {
    const risky = fc
      .tuple(
        fc.constantFrom('', ' ', '  ', '\u3000', '\u00a0', '\n '),
        fc.constantFrom(...TRIGGERS, ...CONTROL_STARTS, 'a', '张'),
        fc.string(),
      )
      .map(([ws, start, rest]) => ws + start + rest);
    const anyValue = fc.oneof(risky, fc.string({ unit: 'binary' }), fc.anything({ withNullPrototype: true }));
    fc.assert(
      fc.property(anyValue, (value) => {
        const out = safeCell(value);
        if (typeof out === 'string') {
          expect(isDangerous(out)).toBe(false);
          // Escaping only ever adds the apostrophe; the text itself is kept.
          if (typeof value === 'string') expect([value, `'${value}`]).toContain(out);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
