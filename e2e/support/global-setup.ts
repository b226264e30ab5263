import fs from 'node:fs';
import { DEMO_TEMPLATE_ENV, makeDemoTemplate } from '../../test/support/test-server.js';

/** Seed the demo data once per run; each journey file's server starts from a copy (test-server.ts). */
export default async function setup(): Promise<() => void> {
  const dir = await makeDemoTemplate();
  process.env[DEMO_TEMPLATE_ENV] = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
