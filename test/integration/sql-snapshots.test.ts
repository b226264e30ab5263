/**
 * Reviewable SQL (issue 12): the hot requests' statements on this run's dialect are exactly the checked-in
 * `server/sql-snapshots/*.sql`, so every change to them shows in review as a diff of SQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  captureHotQueries,
  renderSnapshot,
  SNAPSHOT_DIR,
  snapshotFile,
  UPDATE_COMMAND,
  type Snapshot,
} from '../support/sql-snapshots.js';
import { TEST_DIALECT } from '../support/test-db.js';

let snapshots: Snapshot[];

beforeAll(async () => {
  snapshots = await captureHotQueries(TEST_DIALECT);
}, 120_000);

describe(`the hot requests' SQL on ${TEST_DIALECT}`, () => {
  it('is the checked-in snapshot, statement for statement', () => {
    for (const s of snapshots) {
      const file = snapshotFile(s.id, TEST_DIALECT);
      const stored = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(no snapshot file)';
      expect(
        renderSnapshot(s, TEST_DIALECT),
        `The SQL of "${s.id}" differs from ${path.relative(process.cwd(), file)}: run \`${UPDATE_COMMAND}\` and commit the changed snapshots (review the diff: it is the SQL change).`,
      ).toBe(stored);
    }
  });

  it('has no snapshot of a request no longer captured', () => {
    const suffix = TEST_DIALECT === 'postgres' ? '.pg.sql' : '.sqlite.sql';
    const stored = fs.readdirSync(SNAPSHOT_DIR).filter((f) => f.endsWith(suffix));
    const captured = snapshots.map((s) => path.basename(snapshotFile(s.id, TEST_DIALECT)));
    expect(stored.sort(), `Stale snapshots in server/sql-snapshots: run \`${UPDATE_COMMAND}\``).toEqual(
      captured.sort(),
    );
  });
});
