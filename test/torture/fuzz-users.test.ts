// Quick tier of the body fuzzing (test/torture/support/fuzz.ts): accounts and sign-in, 100 cases each.
import { defineFuzzSuite } from './support/fuzz.js';

defineFuzzSuite(
  'hostile bodies: accounts and sign-in',
  ['POST /users', 'PATCH /users/{id}', 'POST /auth/login', 'POST /auth/password'],
  Number(process.env.FUZZ_RUNS ?? 100),
  120_000,
);
