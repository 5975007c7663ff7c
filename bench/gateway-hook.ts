/**
 * Hook for the gateway engineer's `bench/gateway-throughput.ts`, which
 * exports `runGatewayBenchmark({ quick })`. Loaded only when the file exists,
 * so the suite runs before and after it lands.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type GatewayResult =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; readonly result: unknown };

type GatewayBenchmark = (options: { quick: boolean }) => Promise<unknown>;

export async function runGatewayHook(quick: boolean): Promise<GatewayResult> {
  const url = new URL('./gateway-throughput.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    return {
      available: false,
      reason: 'bench/gateway-throughput.ts not found',
    };
  }
  const module = (await import(url.href)) as Record<string, unknown>;
  const run = module['runGatewayBenchmark'] as GatewayBenchmark | undefined;
  if (typeof run !== 'function') {
    return {
      available: false,
      reason: 'bench/gateway-throughput.ts does not export runGatewayBenchmark',
    };
  }
  return { available: true, result: await run({ quick }) };
}
