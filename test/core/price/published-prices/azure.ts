/**
 * Azure OpenAI (`azure.ai.openai`), Global Standard deployment (the model id
 * does not say the deployment type; Global is what the table prices).
 */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE =
  'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/';

export const AZURE_CASES: readonly PublishedCase[] = casesFrom(
  {
    url: PAGE,
    via: 'redresscompliance.com "Azure OpenAI enterprise pricing guide" (published token rates: GPT-4o $2.50 / $1.25 / $10, GPT-4o mini, o1 $15 ...) and own reading of the page for o3, o3-mini and embeddings',
  },
  [
    [
      'azure.ai.openai',
      'o1',
      { input: 9_000, output: 7_000, cacheRead: 4_000 },
      rates(15, 7.5, undefined, 60, 'o1 Global'),
    ],
    [
      'azure.ai.openai',
      'o3-mini',
      { input: 12_000, output: 5_000, cacheRead: 2_048 },
      rates(1.1, 0.55, undefined, 4.4, 'o3-mini Global'),
    ],
    [
      'azure.ai.openai',
      'o3-2025-04-16',
      { input: 16_000, output: 4_000, cacheRead: 8_000 },
      rates(2, 0.5, undefined, 8, 'o3 Global (after the 2025-06 cut)'),
    ],
    [
      'azure.ai.openai',
      'gpt-4o',
      { input: 7_000, output: 600, cacheRead: 3_072 },
      rates(2.5, 1.25, undefined, 10, 'gpt-4o Global'),
    ],
    [
      'azure.ai.openai',
      'gpt-4.1',
      { input: 30_000, output: 2_000, cacheRead: 20_000 },
      rates(2, 0.5, undefined, 8, 'gpt-4.1 Global'),
    ],
    [
      'azure.ai.openai',
      'gpt-5',
      { input: 24_000, output: 5_000, cacheRead: 12_000 },
      rates(1.25, 0.125, undefined, 10, 'gpt-5 Global'),
    ],
    [
      'azure.ai.openai',
      'gpt-5-mini',
      { input: 24_000, output: 5_000, cacheRead: 12_000 },
      rates(0.25, 0.025, undefined, 2, 'gpt-5-mini Global'),
    ],
    [
      'azure.ai.openai',
      'text-embedding-3-large',
      { input: 150_000, output: 0 },
      rates(0.13, undefined, undefined, 0, 'text-embedding-3-large'),
    ],
    [
      'azure.ai.openai',
      'text-embedding-3-small',
      { input: 400_000, output: 0 },
      rates(0.02, undefined, undefined, 0, 'text-embedding-3-small'),
    ],
  ],
);
