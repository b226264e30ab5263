// The generator thread's entry (bench/lib/national-worker.ts): registers tsx in this thread first, so the thread
// reads TypeScript whether the seed runs under tsx (npm run bench:seed) or vitest.
import { register } from 'tsx/esm/api';

register();
await import('./national-worker.ts');
