// Quick tier of the body fuzzing (test/torture/support/fuzz.ts): contacts, assignments and logs, 100 cases each.
import { defineFuzzSuite } from './support/fuzz.js';

defineFuzzSuite(
  'hostile bodies: contacts, assignments and contact logs',
  [
    'POST /contacts',
    'PATCH /contacts/{id}',
    'PUT /families/{id}/assignments',
    'POST /families/{id}/contact-logs',
    'PATCH /contact-logs/{id}',
  ],
  Number(process.env.FUZZ_RUNS ?? 100),
  120_000,
);
