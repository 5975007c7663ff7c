#!/usr/bin/env node
/**
 * The `otel-genai-cost` command line: the only place that prints. Each
 * subcommand lives in its own file; this one wires them up.
 */
import { Command } from 'commander';
import { registerExportCommand } from './export-command.js';
import { registerGatewayCommand } from './gateway-command.js';
import { registerLedgerCommand } from './ledger-command.js';
import { registerPriceCommand } from './price-command.js';
import { registerPricesCommand } from './prices-command.js';
import { registerPricesUnknownCommand } from './prices-unknown-command.js';
import { registerReportCommand } from './report-command.js';

const program = new Command()
  .name('otel-genai-cost')
  .description('Price LLM calls in OpenTelemetry spans exactly once.')
  .showHelpAfterError('(add --help for usage)');

registerExportCommand(program);
registerGatewayCommand(program);
registerLedgerCommand(program);
registerPriceCommand(program);
registerPricesCommand(program);
registerReportCommand(program);
// Last: attaches `unknown` to a `prices` command registered above, if any.
registerPricesUnknownCommand(program);

await program.parseAsync(process.argv);
