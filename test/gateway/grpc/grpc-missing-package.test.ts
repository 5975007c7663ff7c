/**
 * `@grpc/grpc-js` is an optional peer: without it, `--listen-grpc` stops
 * the gateway with an error naming the package to install, and nothing
 * else needs it.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('@grpc/grpc-js', () => {
  throw new Error("Cannot find package '@grpc/grpc-js'");
});

describe('without @grpc/grpc-js', () => {
  it('the gRPC receiver does not start and says which package to install', async () => {
    const { loadGrpcJs } =
      await import('../../../src/gateway/grpc/load-grpc-js.js');
    await expect(loadGrpcJs()).rejects.toThrow(
      '--listen-grpc needs the "@grpc/grpc-js" package (the OTLP/gRPC receiver): npm install @grpc/grpc-js',
    );
  });

  it('startGateway refuses --listen-grpc, and starts without it', async () => {
    const { startGateway } =
      await import('../../../src/gateway/cost-gateway.js');
    const forward = new URL('http://127.0.0.1:4320/v1/traces');
    await expect(
      startGateway({
        listen: { host: '127.0.0.1', port: 0 },
        listenGrpc: { host: '127.0.0.1', port: 0 },
        forward,
        env: {},
      }),
    ).rejects.toThrow(/npm install @grpc\/grpc-js/);
    const gateway = await startGateway({
      listen: { host: '127.0.0.1', port: 0 },
      forward,
      env: {},
    });
    expect(gateway.grpcAddress).toBeUndefined();
    await gateway.shutdown();
  });
});
