export { holdsKey, receivingRegion } from '../../../common/reporting-levels.js';
