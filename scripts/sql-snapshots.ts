/**
 * `npm run sql:snapshots`: writes the hot requests' SQL for SQLite and PostgreSQL to
 * `server/sql-snapshots/` (see test/support/sql-snapshots.ts). PostgreSQL needs a server to make a scratch
 * database on: TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres when unset.
 *
 *   npm run sql:snapshots [-- --only sqlite|postgres]
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  captureHotQueries,
  renderSnapshot,
  SNAPSHOT_DIR,
  snapshotFile,
  type SnapshotDialect,
} from '../test/support/sql-snapshots.js';

async function main() {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : null;
  if (only !== null && only !== 'sqlite' && only !== 'postgres') throw new Error('--only takes sqlite or postgres');
  const dialects: SnapshotDialect[] = only ? [only] : ['sqlite', 'postgres'];
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const dialect of dialects) {
    const snapshots = await captureHotQueries(dialect);
    const suffix = dialect === 'postgres' ? '.pg.sql' : '.sqlite.sql';
    const wanted = new Set(snapshots.map((s) => path.basename(snapshotFile(s.id, dialect))));
    // A scenario no longer captured leaves no stale file behind.
    for (const f of fs.readdirSync(SNAPSHOT_DIR))
      if (f.endsWith(suffix) && !wanted.has(f)) fs.rmSync(path.join(SNAPSHOT_DIR, f));
    let changed = 0;
    for (const s of snapshots) {
      const file = snapshotFile(s.id, dialect);
      const text = renderSnapshot(s, dialect);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      if (before !== text) {
        fs.writeFileSync(file, text);
        changed += 1;
        console.log(`${before === null ? 'new' : 'changed'}: ${path.relative(process.cwd(), file)}`);
      }
    }
    console.log(`${dialect}: ${snapshots.length} snapshots, ${changed} written`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
