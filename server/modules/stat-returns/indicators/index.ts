import { complianceIndicators } from '../../compliance/compliance.indicators.js';
import { contactsIndicators } from '../../contacts/contacts.indicators.js';
import { eventsIndicators } from '../../events/events.indicators.js';
import { familiesIndicators } from '../../families/families.indicators.js';
import { festivalsIndicators } from '../../festivals/festivals.indicators.js';
import { needsIndicators } from '../../needs/needs.indicators.js';
import { petitionsIndicators } from '../../petitions/petitions.indicators.js';
import { createIndicatorRegistry } from './registry.js';

/**
 * The registry with the indicators of the modules built so far, in the order of the paper 统计表.
 * A module built later registers its own list in services.ts: `indicators.register(liaisonsIndicators)`.
 */
export function createCoreIndicators() {
  const registry = createIndicatorRegistry();
  registry.register(
    familiesIndicators,
    contactsIndicators,
    complianceIndicators,
    eventsIndicators,
    festivalsIndicators,
    petitionsIndicators,
    needsIndicators,
  );
  return registry;
}
