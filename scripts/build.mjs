// Builds ESM (dist/esm) and CJS (dist/cjs) with tsc, each with its own types.
// tsc rather than a bundler: no native optional dependencies to install.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';

const tsc = ['node_modules/typescript/bin/tsc'];
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [...tsc, '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
execFileSync(process.execPath, [...tsc, '-p', 'tsconfig.build.cjs.json'], {
  stdio: 'inherit',
});
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
const cli = 'dist/esm/cli/main.js';
if (existsSync(cli)) chmodSync(cli, 0o755);
