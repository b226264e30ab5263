// `npm run audit:verify`: walks the audit hash chain and reports the first broken link (exit 1), if any.
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { cryptoFromConfig } from '../server/platform/bootstrap.js';
import { systemClock } from '../server/platform/clock.js';
import { loadConfig } from '../server/platform/config.js';
import { openDatabase } from '../server/platform/db/database.js';

const config = loadConfig();
const database = openDatabase(config.databaseUrl);
try {
  const result = await new AuditLog(cryptoFromConfig(config), database.dialect, systemClock).verify(database.db);
  if (result.ok) console.log(`审计日志完整：已校验 ${result.checked} 条`);
  else {
    console.error(`审计日志被篡改：第 ${result.brokenAt} 条起链断开（之前 ${result.checked} 条完好）`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
