/**
 * The part of `pg`'s API the ledger uses, declared here so our published
 * types never import an optional peer.
 */
export interface PgQueryResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number | null;
}

export interface PgClient {
  query(text: string, values?: readonly unknown[]): Promise<PgQueryResult>;
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgPool {
  query(text: string, values?: readonly unknown[]): Promise<PgQueryResult>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'connect', listener: (client: PgClient) => void): unknown;
}

export interface PgPoolConfig {
  readonly connectionString: string;
  readonly max: number;
  readonly idleTimeoutMillis: number;
  readonly connectionTimeoutMillis: number;
  readonly query_timeout: number;
  readonly statement_timeout: number;
  readonly application_name: string;
}

export type PgPoolConstructor = new (config: PgPoolConfig) => PgPool;

/** The npm package that talks to PostgreSQL (an optional peer dependency). */
export const POSTGRES_PACKAGE = 'pg';

let loaded: Promise<PgPoolConstructor> | undefined;

/**
 * Imports `pg` once. It is an optional peer: applications without a
 * PostgreSQL ledger never load (or install) it. Missing, the error says
 * which package to install.
 */
export function loadPg(): Promise<PgPoolConstructor> {
  loaded ??= import(POSTGRES_PACKAGE).then(
    (module: { default?: { Pool?: unknown }; Pool?: unknown }) =>
      (module.default?.Pool ?? module.Pool) as PgPoolConstructor,
    (error: unknown) => {
      loaded = undefined;
      throw new Error(
        `the postgres:// ledger needs the "${POSTGRES_PACKAGE}" package: npm install ${POSTGRES_PACKAGE}`,
        { cause: error },
      );
    },
  );
  return loaded;
}
