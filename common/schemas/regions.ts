import { z } from 'zod';
import { REGION_LEVELS } from '../roles.js';
import { RegionCode } from './users.js';

export const RegionCodeParams = z.object({ code: RegionCode });

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
export type Region = z.infer<typeof Region>;

export const RegionSearchQuery = z.object({
  q: z.string().trim().min(1, { error: '请输入区划名称' }).max(40, { error: '区划名称最多 40 个字' }),
});

/** A region found by name, with its path of names below the root (钟祥市 › 郢中街道 › 新华村). */
export const FoundRegion = Region.extend({ path: z.string() });
export type FoundRegion = z.infer<typeof FoundRegion>;
