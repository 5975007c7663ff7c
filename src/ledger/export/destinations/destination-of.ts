import type { ExportDestination, ExportTarget } from './export-destination.js';
import { LAGO_DESTINATION } from './lago-destination.js';
import { OPENMETER_DESTINATION } from './openmeter-destination.js';
import { STRIPE_DESTINATION } from './stripe-destination.js';

const DESTINATIONS: Readonly<Record<ExportTarget, ExportDestination>> = {
  stripe: STRIPE_DESTINATION,
  openmeter: OPENMETER_DESTINATION,
  lago: LAGO_DESTINATION,
};

/** The request rules of a target. */
export function destinationOf(target: ExportTarget): ExportDestination {
  return DESTINATIONS[target];
}
