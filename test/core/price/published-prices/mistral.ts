/** Mistral La Plateforme (`mistral_ai`). No cached-input discount is asserted. */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://mistral.ai/pricing#api-pricing';

export const MISTRAL_CASES: readonly PublishedCase[] = casesFrom(
  {
    url: PAGE,
    pageUpdated: '2026-06',
    via: 'developer.puter.com "Mistral API Pricing (Jun 2026)" and margindash.com "Mistral API pricing" (verified against Mistral\'s docs), both quoting the page',
  },
  [
    [
      'mistral_ai',
      'mistral-large-2512',
      { input: 40_000, output: 3_000 },
      rates(0.5, undefined, undefined, 1.5, 'Mistral Large 3'),
    ],
    [
      'mistral_ai',
      'mistral-medium-3-5',
      { input: 20_000, output: 2_500 },
      rates(1.5, undefined, undefined, 7.5, 'Mistral Medium 3.5'),
    ],
    [
      'mistral_ai',
      'mistral-medium-2508',
      { input: 22_000, output: 1_800 },
      rates(0.4, undefined, undefined, 2, 'Mistral Medium 3.1'),
    ],
    [
      'mistral_ai',
      'pixtral-large-2411',
      { input: 9_000, output: 1_000 },
      rates(2, undefined, undefined, 6, 'Pixtral Large'),
    ],
    [
      'mistral_ai',
      'devstral-small-2507',
      { input: 45_000, output: 5_000 },
      rates(0.1, undefined, undefined, 0.3, 'Devstral Small 1.1'),
    ],
    [
      'mistral_ai',
      'devstral-2512',
      { input: 50_000, output: 6_000 },
      rates(0.4, undefined, undefined, 2, 'Devstral 2'),
    ],
    [
      'mistral_ai',
      'ministral-3b-2512',
      { input: 30_000, output: 2_000 },
      rates(0.1, undefined, undefined, 0.1, 'Ministral 3 3B'),
    ],
    [
      'mistral_ai',
      'ministral-8b-2512',
      { input: 30_000, output: 2_000 },
      rates(0.15, undefined, undefined, 0.15, 'Ministral 3 8B'),
    ],
    [
      'mistral_ai',
      'ministral-14b-2512',
      { input: 30_000, output: 2_000 },
      rates(0.2, undefined, undefined, 0.2, 'Ministral 3 14B'),
    ],
    [
      'mistral_ai',
      'magistral-medium-2509',
      { input: 8_000, output: 9_000 },
      rates(2, undefined, undefined, 5, 'Magistral Medium 1.2'),
    ],
    [
      'mistral_ai',
      'magistral-small-2509',
      { input: 8_000, output: 9_000 },
      rates(0.5, undefined, undefined, 1.5, 'Magistral Small 1.2'),
    ],
    [
      'mistral_ai',
      'codestral-latest',
      { input: 12_000, output: 3_000 },
      rates(0.3, undefined, undefined, 0.9, 'Codestral'),
    ],
  ],
);
