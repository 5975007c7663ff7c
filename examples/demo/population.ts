/**
 * Who sends the demo's traffic: tenants on plans, users in tenants, all
 * drawn from the seed. Tenant sizes follow a Zipf curve, so a few big
 * tenants get named labels and the long tail shares hash buckets.
 */
import type { Random } from './random.js';

export type Plan = 'free' | 'pro' | 'enterprise' | 'trial';

export interface Tenant {
  readonly id: string;
  readonly plan: Plan;
  readonly weight: number;
}

export interface User {
  readonly id: string;
  readonly tenant: Tenant;
  readonly weight: number;
}

export interface Population {
  readonly tenants: readonly Tenant[];
  readonly users: readonly User[];
  /** The biggest tenants: the metrics' tenant allow-list. */
  readonly namedTenants: readonly string[];
}

const COMPANIES = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'stark',
  'wayne',
  'wonka',
  'tyrell',
  'cyberdyne',
  'soylent',
  'oscorp',
  'aperture',
  'vandelay',
];
const PLANS: readonly Plan[] = [
  'enterprise',
  'pro',
  'pro',
  'free',
  'free',
  'trial',
];

export function createPopulation(
  random: Random,
  options: {
    readonly users: number;
    readonly tenants: number;
    readonly named: number;
  },
): Population {
  const tenants: Tenant[] = [];
  for (let i = 0; i < options.tenants; i++) {
    tenants.push({
      id: COMPANIES[i] ?? `tenant-${String(i + 1).padStart(3, '0')}`,
      // The biggest tenant is on enterprise; the rest draw a plan.
      plan: i === 0 ? 'enterprise' : random.pick(PLANS),
      weight: 1 / (i + 1),
    });
  }
  const tenantWeights = tenants.map(tenant => tenant.weight);
  const users: User[] = [];
  for (let i = 0; i < options.users; i++) {
    // Every tenant gets at least one user; the rest follow tenant size.
    const tenant =
      i < tenants.length
        ? (tenants[i] as Tenant)
        : (tenants[random.weighted(tenantWeights)] as Tenant);
    users.push({
      id: `user-${String(i + 1).padStart(4, '0')}`,
      tenant,
      weight: 0.2 + random.next() * 3,
    });
  }
  return {
    tenants,
    users,
    namedTenants: tenants.slice(0, options.named).map(tenant => tenant.id),
  };
}
