import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, familyInput, idNumberFor, phoneNumber } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { storedBytes } from '../support/test-db.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('encryption at rest', () => {
  it('stores no ID number or phone in clear', async () => {
    const tree = await buildRegionTree(t.db);
    const township = await t.signIn('township_staff', tree.township);
    const secrets: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const mother = {
        relation: 'mother',
        name: `测试母${i}`,
        idNumber: idNumberFor('female', '1960-01-0' + ((i % 9) + 1)),
        phone: phoneNumber(),
      };
      const father = {
        relation: 'father',
        name: `测试父${i}`,
        idNumber: idNumberFor('male', '1958-02-0' + ((i % 9) + 1)),
        phone: `0724-${4_200_000 + i}`,
      };
      const childId = idNumberFor('male', '1988-03-03');
      const res = await township.post(
        '/api/v1/families',
        familyInput(tree.village, {
          members: [mother, father],
          child: { sex: 'male', birthDate: '1988-03-03', idNumber: childId, deathDate: '2010-01-01' },
        }),
      );
      expect(res.statusCode).toBe(201);
      secrets.push(
        mother.idNumber,
        mother.phone,
        father.idNumber,
        '4200000'.slice(0, 3) + String(4_200_000 + i).slice(3),
        childId,
      );
    }
    const bytes = storedBytes(t.config.databaseUrl);
    expect(bytes.length).toBeGreaterThan(10_000);
    const found = secrets.filter((s) => bytes.includes(Buffer.from(s)));
    expect(found).toEqual([]);
  });
});
