/**
 * Where to send priced spans for each backend, and with which headers.
 * Configuration only: every backend below speaks OTLP/HTTP protobuf, so the
 * stock `OTLPTraceExporter` is all you need.
 */
export type Backend =
  'langfuse' | 'phoenix' | 'datadog-agent' | 'datadog-agentless';

export interface OtlpTarget {
  /** Full traces URL (`.../v1/traces`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Extra attribute names the backend reads (CostSpanProcessor `aliases`). */
  readonly aliases: readonly 'openinference'[];
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, why: string): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new Error(`${name} is required (${why})`);
  return value;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function otlpTarget(backend: Backend, env: Env): OtlpTarget {
  switch (backend) {
    case 'langfuse': {
      // Langfuse Cloud EU by default; US: https://us.cloud.langfuse.com,
      // self-hosted: your URL. Basic auth with the project's key pair.
      const base = trimSlash(
        env['LANGFUSE_BASE_URL'] ?? 'https://cloud.langfuse.com',
      );
      const publicKey = required(
        env,
        'LANGFUSE_PUBLIC_KEY',
        'Langfuse project settings',
      );
      const secretKey = required(
        env,
        'LANGFUSE_SECRET_KEY',
        'Langfuse project settings',
      );
      return {
        url: `${base}/api/public/otel/v1/traces`,
        headers: {
          authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`,
          'x-langfuse-ingestion-version': '4',
        },
        aliases: [],
      };
    }
    case 'phoenix': {
      // Local `phoenix serve` listens on 6006; Phoenix Cloud needs an API key.
      const base = trimSlash(
        env['PHOENIX_COLLECTOR_ENDPOINT'] ?? 'http://localhost:6006',
      );
      const apiKey = env['PHOENIX_API_KEY'];
      return {
        url: `${base}/v1/traces`,
        headers:
          apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
        // Phoenix reads OpenInference names: also write llm.cost.total/prompt/completion.
        aliases: ['openinference'],
      };
    }
    case 'datadog-agent': {
      // The Datadog Agent's OTLP ingest (otlp_config.receiver.protocols.http);
      // the Agent holds the API key, so no headers here.
      const base = trimSlash(
        env['DD_OTLP_HTTP_ENDPOINT'] ?? 'http://localhost:4318',
      );
      return { url: `${base}/v1/traces`, headers: {}, aliases: [] };
    }
    case 'datadog-agentless': {
      // Datadog's OTLP traces intake (preview): the URL depends on your
      // Datadog site; take it from Datadog's "OTLP traces intake" docs.
      return {
        url: required(
          env,
          'DD_OTLP_TRACES_URL',
          "Datadog's OTLP traces intake URL for your site",
        ),
        headers: {
          'dd-protocol': 'otlp',
          'dd-api-key': required(env, 'DD_API_KEY', 'a Datadog API key'),
          'dd-otlp-source': required(
            env,
            'DD_OTLP_SOURCE',
            'the source name Datadog gave you',
          ),
        },
        aliases: [],
      };
    }
  }
}
