// Renders the option tables of docs/configuration.md from the settings
// tables in src, so the docs cannot drift from what the code reads.
// `npx tsx scripts/options-tables.ts` rewrites them; test/docs checks them.
import { readFileSync, writeFileSync } from 'node:fs';
import { GATEWAY_SETTINGS } from '../src/gateway/gateway-settings.js';

export const CONFIGURATION_DOC = 'docs/configuration.md';

/** A generated block: its markers and how to render what goes between. */
interface GeneratedBlock {
  readonly name: string;
  readonly render: () => string;
}

const BLOCKS: readonly GeneratedBlock[] = [
  { name: 'gateway-options', render: renderGatewayOptions },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The gateway's flags, variables and defaults, from `GATEWAY_SETTINGS`. */
export function renderGatewayOptions(): string {
  const rows = GATEWAY_SETTINGS.map(
    setting =>
      `| \`${cell(`${setting.flag} <${setting.valueName}>`)}\` | \`${setting.env}\` | ${
        setting.defaultText === undefined
          ? 'none'
          : `\`${cell(setting.defaultText)}\``
      } | ${cell(setting.description)} |`,
  );
  return [
    '| Flag | Environment variable | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `text` with every generated block rendered anew. */
export function withGeneratedBlocks(text: string): string {
  let out = text;
  for (const block of BLOCKS) {
    const start = `<!-- generated:${block.name} -->`;
    const end = `<!-- /generated:${block.name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) {
      throw new Error(`${CONFIGURATION_DOC}: markers of ${block.name} missing`);
    }
    out = `${out.slice(0, from + start.length)}\n\n${block.render()}\n\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1]?.endsWith('options-tables.ts')) {
  const text = readFileSync(CONFIGURATION_DOC, 'utf8');
  writeFileSync(CONFIGURATION_DOC, withGeneratedBlocks(text));
}
