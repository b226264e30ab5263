// `npm run audit:verify`: walks the audit hash chain, reports the first broken link, and compares the chain with
// the newest signed checkpoint in AUDIT_ANCHOR_FILE (rows missing at the end, by position). Exit 1 on any finding.
import { AuditAnchor, verifyAudit } from '../server/platform/audit/anchor.js';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { cryptoFromConfig } from '../server/platform/bootstrap.js';
import { systemClock } from '../server/platform/clock.js';
import { loadConfig } from '../server/platform/config.js';
import { openDatabase } from '../server/platform/db/database.js';

const config = loadConfig();
const crypto = cryptoFromConfig(config);
const database = openDatabase(config.databaseUrl);
try {
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
