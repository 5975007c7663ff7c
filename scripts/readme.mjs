// Assembles README.md from docs/readme/*.md in reading order.
import { readFileSync, writeFileSync } from 'node:fs';

const parts = [
  'head',
  'demo',
  'core',
  'attribution',
  'metrics',
  'gateway',
  'performance',
  'reference',
];
const text = parts
  .map(part => {
    try {
      return readFileSync(`docs/readme/${part}.md`, 'utf8').trim();
    } catch {
      return undefined;
    }
  })
  .filter(part => part !== undefined)
  .join('\n\n');
writeFileSync('README.md', `${text}\n`);
