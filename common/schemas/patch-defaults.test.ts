import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ContactLogUpdate, ContactUpdate } from './contacts.js';
import { FamilyPatch } from './families.js';
import { LiaisonUpdate } from './liaisons.js';
import { NeedUpdate } from './responses.js';
import { UserUpdate } from './users.js';

/**
 * A PATCH body says what changes; anything a schema fills in by default would overwrite the stored value
 * (issue 10 item 14: `direction` reset to `outreach`). Every PATCH schema must give back only what it was sent.
 */
const PATCH_SCHEMAS: Record<string, z.ZodType> = {
  'PATCH /contact-logs/{id}': ContactLogUpdate,
  'PATCH /contacts/{id}': ContactUpdate,
  'PATCH /families/{id}': FamilyPatch,
  'PATCH /liaisons/{id}': LiaisonUpdate,
  'PATCH /needs/{id}': NeedUpdate,
  'PATCH /users/{id}': UserUpdate,
};

describe('PATCH schemas add nothing', () => {
  it.each(Object.entries(PATCH_SCHEMAS))('%s parses { version } to exactly { version }', (_name, schema) => {
    expect(schema.parse({ version: 3 })).toEqual({ version: 3 });
  });

  it('a family PATCH naming one member field and one child field adds nothing else to them', () => {
    expect(
      FamilyPatch.parse({ version: 1, members: [{ relation: 'mother', name: '王' }], child: { name: '李' } }),
    ).toEqual({ version: 1, members: [{ relation: 'mother', name: '王' }], child: { name: '李' } });
  });
});
