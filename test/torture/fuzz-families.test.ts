// Quick tier of the body fuzzing (test/torture/support/fuzz.ts): archive endpoints, 100 cases each.
import { defineFuzzSuite } from './support/fuzz.js';

defineFuzzSuite(
  'hostile bodies: archives',
  [
    'POST /families',
    'PATCH /families/{id}',
    'POST /families/{id}/status',
    'POST /families/{id}/assistance',
    'POST /families/{id}/reveal',
    'POST /families/search',
  ],
  Number(process.env.FUZZ_RUNS ?? 100),
  120_000,
);
