/** GroqCloud on-demand (`groq`); model ids as Groq names them. */
import { casesFrom, rates, type PublishedCase } from './published-case.js';

const PAGE = 'https://groq.com/pricing';

export const GROQ_CASES: readonly PublishedCase[] = [
  ...casesFrom(
    {
      url: PAGE,
      pageUpdated: '2026-06-04',
      via: 'tokenmix.ai "Groq API Access 2026" (data verified 2026-06-04: GPT OSS 120B $0.15 / $0.60, cache hits $0.075, quoting the Groq pricing page)',
    },
    [
      [
        'groq',
        'openai/gpt-oss-120b',
        { input: 30_000, output: 4_000, cacheRead: 20_000 },
        rates(0.15, 0.075, undefined, 0.6, 'GPT OSS 120B'),
      ],
      [
        'groq',
        'openai/gpt-oss-120b',
        { input: 5_000, output: 900 },
        rates(0.15, 0.075, undefined, 0.6, 'GPT OSS 120B'),
      ],
    ],
  ),
  ...casesFrom(
    {
      url: PAGE,
      via: 'own reading of the Groq pricing page; not re-read on a stored copy',
    },
    [
      [
        'groq',
        'openai/gpt-oss-20b',
        { input: 30_000, output: 4_000, cacheRead: 20_000 },
        rates(0.075, 0.0375, undefined, 0.3, 'GPT OSS 20B'),
      ],
      [
        'groq',
        'llama-3.3-70b-versatile',
        { input: 12_000, output: 1_500 },
        rates(0.59, undefined, undefined, 0.79, 'Llama 3.3 70B Versatile'),
      ],
      [
        'groq',
        'llama-3.1-8b-instant',
        { input: 20_000, output: 2_000 },
        rates(0.05, undefined, undefined, 0.08, 'Llama 3.1 8B Instant'),
      ],
      [
        'groq',
        'meta-llama/llama-4-scout-17b-16e-instruct',
        { input: 15_000, output: 2_000 },
        rates(0.11, undefined, undefined, 0.34, 'Llama 4 Scout'),
      ],
      [
        'groq',
        'meta-llama/llama-4-maverick-17b-128e-instruct',
        { input: 15_000, output: 2_000 },
        rates(0.2, undefined, undefined, 0.6, 'Llama 4 Maverick'),
      ],
      [
        'groq',
        'qwen/qwen3-32b',
        { input: 9_000, output: 3_000 },
        rates(0.29, undefined, undefined, 0.59, 'Qwen3 32B'),
      ],
      [
        'groq',
        'moonshotai/kimi-k2-instruct',
        { input: 20_000, output: 2_000, cacheRead: 10_000 },
        rates(1, 0.5, undefined, 3, 'Kimi K2'),
      ],
    ],
  ),
];
