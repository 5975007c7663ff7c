/**
 * The documentation's relative links resolve: every `[text](target)`,
 * reference definition and `href` in README.md, docs/, bench/README.md and
 * examples/ points at a file or folder that exists, and a `#anchor` into a
 * Markdown file names one of its headings (GitHub's slug rules). README.md
 * stays a front page: at most 300 lines, the two first commands on top.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Markdown files whose links are checked, relative to the repository. */
function documentationFiles(): string[] {
  const under = (folder: string): string[] =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter(name => name.endsWith('.md') && !name.includes('node_modules'))
      .map(name => join(folder, name));
  return [
    'README.md',
    'bench/README.md',
    ...under('docs'),
    ...under('examples'),
  ];
}

/** The text's lines outside fenced code blocks, with their line numbers. */
function proseLines(text: string): { line: string; number: number }[] {
  const lines: { line: string; number: number }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (
      marker !== undefined &&
      (fence === undefined || marker.startsWith(fence))
    ) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) lines.push({ line, number: index + 1 });
  });
  return lines;
}

/** GitHub's anchor for a heading: rendered text, lower case, punctuation dropped, spaces to `-`. */
export function headingSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*|`)/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the headings of a Markdown text get (duplicates numbered). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(text)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Link targets in a Markdown text, outside code blocks and inline code. */
export function linkTargets(text: string): { target: string; line: number }[] {
  const targets: { target: string; line: number }[] = [];
  const patterns = [
    /\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g,
    /\bhref="([^"]+)"/g,
  ];
  for (const { line, number } of proseLines(text)) {
    const prose = line.replace(/`+[^`]*`+/g, '``');
    for (const pattern of patterns) {
      for (const match of prose.matchAll(pattern)) {
        targets.push({ target: match[1] ?? '', line: number });
      }
    }
  }
  return targets;
}

/** Why a link from `file` (relative to `root`) does not resolve, or undefined. */
export function brokenReason(
  root: string,
  file: string,
  target: string,
): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor =
    hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved =
    path === '' ? join(root, file) : resolve(root, dirname(file), path);
  if (!existsSync(resolved)) return `no such file: ${relative(root, resolved)}`;
  if (anchor === undefined || !resolved.endsWith('.md')) return undefined;
  const anchors = headingAnchors(readFileSync(resolved, 'utf8'));
  return anchors.has(anchor)
    ? undefined
    : `no heading #${anchor} in ${relative(root, resolved)}`;
}

describe('documentation links', () => {
  const files = documentationFiles();

  it('finds the pages it checks', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'bench/README.md',
        'docs/pricing.md',
      ]),
    );
  });

  it.each(files)('every relative link in %s resolves', file => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const broken = linkTargets(text).flatMap(({ target, line }) => {
      const reason = brokenReason(ROOT, file, target);
      return reason === undefined
        ? []
        : [`${file}:${line} ${target}: ${reason}`];
    });
    expect(broken).toEqual([]);
  });

  it('reports a missing file and a missing heading, and accepts real ones', () => {
    const file = 'docs/pricing.md';
    expect(brokenReason(ROOT, file, 'no-such-page.md')).toMatch(/no such file/);
    expect(brokenReason(ROOT, file, 'metrics.md#no-such-heading')).toMatch(
      /no heading/,
    );
    expect(brokenReason(ROOT, file, '#no-such-heading')).toMatch(/no heading/);
    expect(
      brokenReason(ROOT, file, 'metrics.md#promql-cookbook'),
    ).toBeUndefined();
    expect(brokenReason(ROOT, file, '../examples/')).toBeUndefined();
    expect(brokenReason(ROOT, file, 'https://example.com/x')).toBeUndefined();
  });

  it('follows GitHub slug rules and ignores code blocks', () => {
    const text = [
      '## `CostMetrics` options',
      '## Prometheus `/metrics`',
      '## What lands on the span, and who reads it',
      '## Options',
      '## Options',
      '```promql',
      '# Cost so far per tenant',
      '[x](missing.md)',
      '```',
      'See `[y](also-missing.md)` and [z](real.md#a).',
    ].join('\n');
    expect([...headingAnchors(text)]).toEqual([
      'costmetrics-options',
      'prometheus-metrics',
      'what-lands-on-the-span-and-who-reads-it',
      'options',
      'options-1',
    ]);
    expect(linkTargets(text)).toEqual([{ target: 'real.md#a', line: 10 }]);
  });
});

describe('README.md is a front page', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');

  it('has at most 300 lines', () => {
    expect(lines.length).toBeLessThanOrEqual(300);
  });

  it('starts with the two commands a newcomer runs first', () => {
    const top = lines.slice(0, 15).join('\n');
    expect(top).toContain('npm ci && npm run demo');
    expect(top).toContain('npm ci && npm test');
  });
});
