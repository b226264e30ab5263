import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FamilyPatch } from './families.js';

/**
 * A PATCH body says what changes; anything a schema fills in by default would overwrite the stored value
 * (issue 10 item 14: `direction` reset to `outreach`). Every `…Update` / `…Patch` schema in common/schemas —
 * found by name, so one added later is checked too — must give back only what it was sent.
 */
const modules = import.meta.glob<Record<string, unknown>>('./*.ts', { eager: true });
const PATCH_SCHEMAS = Object.entries(modules)
  .filter(([file]) => !file.endsWith('.test.ts'))
  .flatMap(([file, exports]) =>
    Object.entries(exports)
      .filter(([name, value]) => /(Update|Patch)$/.test(name) && value instanceof z.ZodType)
      .map(([name, value]) => [`${file.slice(2)} ${name}`, value as z.ZodType] as const),
  );

/** The least each schema takes: the version, nothing, or the member's relation that finds the member. */
function minimal(schema: z.ZodType): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  if ('version' in shape) return { version: 3 };
  return schema.safeParse({}).success ? {} : { relation: 'mother' };
}

/** The paths of fields that fill themselves in when absent (a default anywhere down the tree). */
function defaultedPaths(schema: z.ZodType, path = ''): string[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return [path || '(root)'];
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return defaultedPaths(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodArray) return defaultedPaths(schema.element as z.ZodType, `${path}[]`);
  if (schema instanceof z.ZodObject)
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
      defaultedPaths(child, path ? `${path}.${key}` : key),
    );
  return [];
}

describe('PATCH schemas add nothing', () => {
  it('finds the PATCH schemas of every module', () => {
    const names = PATCH_SCHEMAS.map(([name]) => name.split(' ')[1]);
    for (const known of ['ContactLogUpdate', 'ContactUpdate', 'FamilyPatch', 'NeedUpdate', 'UserUpdate'])
      expect(names).toContain(known);
  });

  it.each(PATCH_SCHEMAS)('%s has no field with a default', (_name, schema) => {
    expect(defaultedPaths(schema)).toEqual([]);
  });

  it.each(
    PATCH_SCHEMAS.filter(([name]) =>
      /ContactLogUpdate|ContactUpdate|FamilyPatch|MemberPatch|NeedUpdate|UserUpdate/.test(name),
    ),
  )('%s parses its minimal body to exactly that body', (_name, schema) => {
    const body = minimal(schema);
    const parsed = schema.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toEqual(body);
  });

  it('a family PATCH naming one member field and one child field adds nothing else to them', () => {
    expect(
      FamilyPatch.parse({ version: 1, members: [{ relation: 'mother', name: '王' }], child: { name: '李' } }),
    ).toEqual({ version: 1, members: [{ relation: 'mother', name: '王' }], child: { name: '李' } });
  });
});
