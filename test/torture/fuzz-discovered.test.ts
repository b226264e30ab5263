/**
 * Quick tier: every other body endpoint of the API (found in the OpenAPI document, so endpoints added later
 * are fuzzed without editing this file), 50 hostile bodies each, without a valid template: never a 5xx, the
 * error envelope, no partial rows, no prototype pollution. The long tier runs 300 each.
 */
import { defineDiscoveredFuzzSuite } from './support/fuzz.js';

defineDiscoveredFuzzSuite(Number(process.env.FUZZ_RUNS ?? 50), 120_000);
