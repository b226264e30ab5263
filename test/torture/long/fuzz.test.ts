/**
 * Long tier of the body fuzzing (test/torture/support/fuzz.ts): 1,000 hostile bodies for each write endpoint
 * (and the search), 300 for every other body endpoint found in the OpenAPI document.
 */
import { LONG_TIER } from '../support/harness.js';
import { defineDiscoveredFuzzSuite, defineFuzzSuite, TARGETS } from '../support/fuzz.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

defineFuzzSuite(
  `hostile bodies: every write endpoint, ${RUNS} cases each`,
  TARGETS.map((t) => t.name),
  RUNS,
  900_000,
  { skip: !LONG_TIER },
);
defineDiscoveredFuzzSuite(Number(process.env.FUZZ_DISCOVERED_RUNS ?? 300), 900_000, { skip: !LONG_TIER });
