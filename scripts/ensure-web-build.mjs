// `npm start` builds the web app once (and again when its sources are newer than the build).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve('web/dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtime('web/src'), newestMtime('common'), fs.statSync('web/index.html').mtimeMs);
if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < sources) {
  console.log('构建前端页面（首次启动约需半分钟）…');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
