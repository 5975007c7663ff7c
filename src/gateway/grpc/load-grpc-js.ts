import type * as GrpcJs from '@grpc/grpc-js';

/** The npm package that provides gRPC (an optional peer dependency). */
export const GRPC_PACKAGE = '@grpc/grpc-js';

/** The module `@grpc/grpc-js`, as the gateway uses it. */
export type GrpcModule = typeof GrpcJs;

let loaded: Promise<GrpcModule> | undefined;

/**
 * Imports `@grpc/grpc-js` once, when `--listen-grpc` is set. It is an
 * optional peer: gateways without a gRPC receiver (and applications using
 * only the span processor) never load or install it. Missing, the error
 * says which package to install.
 */
export function loadGrpcJs(): Promise<GrpcModule> {
  loaded ??= import(GRPC_PACKAGE).then(
    (module: GrpcModule & { default?: GrpcModule }) =>
      module.Server === undefined && module.default !== undefined
        ? module.default
        : module,
    (error: unknown) => {
      loaded = undefined;
      throw new Error(
        `--listen-grpc needs the "${GRPC_PACKAGE}" package (the OTLP/gRPC receiver): npm install ${GRPC_PACKAGE}`,
        { cause: error },
      );
    },
  );
  return loaded;
}
