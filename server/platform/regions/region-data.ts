// Reads the committed region trees in ./data/<provinceCode>.tsv.gz, produced by
// scripts/build-regions.mjs (see docs/regions.md). Each line is
// `code\tname\tlevel\tparentCode`, parents before children, 12-digit codes.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export type RegionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

const LEVELS: ReadonlySet<string> = new Set<RegionLevel>(['province', 'prefecture', 'county', 'township', 'village']);
const FILE_PATTERN = /^(\d{2})\.tsv\.gz$/;

// Resolved relative to this module so it works from any working directory.
const dataDir = new URL('./data/', import.meta.url);

function isLevel(value: string): value is RegionLevel {
  return LEVELS.has(value);
}

/** Loads one province's region tree. Throws if the province has no data file. */
export function readRegionFile(provinceCode: string): RegionRow[] {
  // Only two-digit codes: the value ends up in a file path.
  if (!/^\d{2}$/.test(provinceCode)) {
    throw new Error(`Invalid province code "${provinceCode}": expected 2 digits, e.g. "42"`);
  }
  const file = new URL(`./${provinceCode}.tsv.gz`, dataDir);
  if (!fs.existsSync(file)) {
    throw new Error(
      `No region data for province ${provinceCode} (${fileURLToPath(file)}); ` +
        `generate it with: node scripts/build-regions.mjs ${provinceCode}`,
    );
  }
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const rows: RegionRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const [code, name, level, parentCode, ...extra] = line.split('\t');
    if (parentCode === undefined || extra.length > 0 || !isLevel(level)) {
      throw new Error(`Malformed line ${index + 1} in ${provinceCode}.tsv.gz: ${JSON.stringify(line)}`);
    }
    rows.push({ code, name, level, parentCode: parentCode === '' ? null : parentCode });
  }
  return rows;
}

/** Province codes that have a data file, sorted. */
export function availableRegionFiles(): string[] {
  if (!fs.existsSync(dataDir)) return [];
  return fs
    .readdirSync(dataDir)
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((code): code is string => code !== undefined)
    .sort();
}
