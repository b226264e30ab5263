import { describe, expect, it } from 'vitest';
import { familyGrams, idNumberTail, nameGrams, queryGrams } from './name-grams.js';

describe('name grams', () => {
  it('indexes every character and adjacent pair, and a query needs one gram up to two characters', () => {
    expect(nameGrams('王秀琴').sort()).toEqual(['王', '秀', '琴', '王秀', '秀琴'].sort());
    expect(queryGrams('琴')).toEqual(['琴']);
    expect(queryGrams('某琴')).toEqual(['某琴']);
    expect(queryGrams('欧阳淑芬')).toEqual(['欧阳', '阳淑', '淑芬']);
    // Every query gram of a part of a name is one of the name's grams: the search cannot miss it.
    for (const part of ['王', '秀琴', '王秀琴'])
      for (const g of queryGrams(part)) expect(nameGrams('王秀琴')).toContain(g);
  });

  it('counts code points, ignores spaces and case, and merges the parents of one family', () => {
    expect(nameGrams('𠀋芳')).toContain('𠀋芳');
    expect(nameGrams(' Li Na ')).toEqual(expect.arrayContaining(['l', 'li', 'na']));
    expect(familyGrams(['张明', '张丽']).filter((g) => g === '张')).toHaveLength(1);
    expect(idNumberTail('42010219650505122x')).toBe('05122X');
  });
});
