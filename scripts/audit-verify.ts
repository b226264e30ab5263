// `npm run audit:verify`: walks the audit hash chain, reports the first broken link, and compares the chain with
// the newest signed checkpoint in AUDIT_ANCHOR_FILE (rows missing at the end, by position). Exit 1 on any finding.
import { AuditAnchor, verifyAudit } from '../server/platform/audit/anchor.js';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { cryptoFromConfig } from '../server/platform/bootstrap.js';
import { systemClock } from '../server/platform/clock.js';
import { loadConfig } from '../server/platform/config.js';
import { openDatabase } from '../server/platform/db/database.js';
import { withDatabaseKeyVersions } from '../server/platform/rekey/key-versions.js';

const config = loadConfig();
const database = openDatabase(config.databaseUrl);
try {
  // Old rows verify under the retired key versions kept (sealed) in the database: only the current key is needed.
  const crypto = await withDatabaseKeyVersions(database.db, cryptoFromConfig(config)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
  const audit = new AuditLog(crypto, database.dialect, systemClock);
  const anchor = new AuditAnchor(config.auditAnchorFile, crypto, systemClock);
  const r = await verifyAudit(database.db, audit, anchor);
  const cp = r.checkpoint ? `最新检查点：${r.checkpoint.at}，${r.checkpoint.count} 条` : '尚无检查点';
  if (!r.ok) process.exitCode = 1;
  if (r.brokenAt !== null) console.error(`审计日志被篡改：第 ${r.brokenAt} 条起链断开（之前 ${r.checked} 条完好）`);
  if (r.anchor === 'rows_missing')
    console.error(`审计日志末尾缺失：第 ${r.missingFrom}–${r.missingTo} 条已被删除（${cp}）`);
  else if (r.anchor === 'head_mismatch') console.error(`审计日志末尾被替换：与检查点不符（${cp}）`);
  else if (r.anchor === 'signature_invalid') console.error(`检查点文件被改动：签名不符（${config.auditAnchorFile}）`);
  if (r.ok) console.log(`审计日志完整：已校验 ${r.checked} 条；${r.anchor === 'matches' ? `与${cp}一致` : cp}`);
} finally {
  await database.close();
}
