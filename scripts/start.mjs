// `npm start`. With NODE_ENV=production: the compiled server (dist/server/main.js, made by `npm run build`), no
// TypeScript compiler at run time. Otherwise, as always: the web app is built when missing or older than its
// sources, and the server runs from its TypeScript through tsx.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

if (process.env.NODE_ENV === 'production') {
  const main = path.resolve('dist/server/main.js');
  if (!fs.existsSync(main)) {
    console.error('启动失败: dist/server/main.js 不存在 — 生产环境请先执行 npm run build (run `npm run build` first)');
    process.exit(1);
  }
  await import(pathToFileURL(main).href);
} else {
  await import('./ensure-web-build.mjs');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
