// Runs a server entry point the same way `npm start` does: the compiled JavaScript under dist/ when
// NODE_ENV=production (built by `npm run build`; no TypeScript compiler at run time), through tsx otherwise.
//   node scripts/launch.mjs server/cli/backup.ts [args…]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
const compiled = path.resolve('dist', entry.replace(/\.ts$/, '.js'));
let argv;
if (process.env.NODE_ENV === 'production') {
  if (!fs.existsSync(compiled)) {
    console.error(
      `FAILED build: ${path.relative('.', compiled)} is missing — run \`npm run build\` first (生产环境请先执行 npm run build)`,
    );
    process.exit(1);
  }
  argv = [compiled, ...args];
} else {
  argv = ['--import', 'tsx', entry, ...args];
}
const child = spawn(process.execPath, argv, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
