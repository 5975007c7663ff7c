/**
 * Issue 9 hardening, attack finding 2: identity scrubbing was bounded per
 * attribute (10,000 values, 1 MiB bags) but not per request, so one
 * request of hundreds of `metadata` bags each holding 10,000 distinct
 * e-mails blocked the event loop for tens of seconds and took RSS past
 * 1 GiB. Now one budget per request (50,000 pseudonyms computed, 8 MiB and
 * 200,000 values of JSON bags parsed) bounds the work: past it, every further identity
 * attribute that needs work is replaced whole by a redacted marker, with
 * one warning per request; honest batches never reach it.
 */
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startGatewayFixture,
  type GatewayFixture,
} from '../helpers/gateway-fixture.js';
import { ld, requestOf, varint } from '../helpers/hostile-bodies.js';
import { rawRequest } from '../helpers/raw-http.js';
import type { ComparableSpan } from '../helpers/reference-decoder.js';

const SECRET = 'attack-secret';
const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const BAG_MARKER = '{"otel.genai.cost.redacted":"request_budget"}';
const LIST_MARKER = 'otel.genai.cost.redacted:request_budget';
/** The documented defaults. */
const VALUES_BUDGET = 50_000;
const CHARS_BUDGET = 8 * 1_048_576;

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  diag.disable();
});

function hmac(value: string): string {
  return `hmac:${createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 32)}`;
}

const str = (value: string): Buffer => ld(0x0a, Buffer.from(value));
const kv = (key: string, value: Buffer): Buffer =>
  ld(0x4a, ld(0x0a, Buffer.from(key)), ld(0x12, value));
const intValue = (value: number): Buffer =>
  Buffer.concat([Buffer.from([0x18]), varint(value)]);
/** An array AnyValue of strings. */
const strings = (values: readonly string[]): Buffer =>
  ld(0x2a, ...values.map(value => ld(0x0a, str(value))));

let nextId = 1;
/** A gpt-4o-mini chat span (1000 in, 200 out) with `extra` attributes. */
function chatSpan(...extra: Buffer[]): Buffer {
  const id = nextId++;
  const traceId = Buffer.alloc(16, 0x3c);
  traceId.writeUInt32BE(id, 12);
  const spanId = Buffer.alloc(8, 0x4d);
  spanId.writeUInt32BE(id, 4);
  const time = (tag: number, nanos: bigint): Buffer => {
    const out = Buffer.alloc(9);
    out[0] = tag;
    out.writeBigUInt64LE(nanos, 1);
    return out;
  };
  return Buffer.concat([
    ld(0x0a, traceId),
    ld(0x12, spanId),
    ld(0x2a, Buffer.from('chat gpt-4o-mini')),
    Buffer.from([0x30, 3]),
    time(0x39, 1_767_225_600_000_000_000n),
    time(0x41, 1_767_225_600_100_000_000n),
    kv('gen_ai.operation.name', str('chat')),
    kv('gen_ai.provider.name', str('openai')),
    kv('gen_ai.request.model', str('gpt-4o-mini')),
    kv('gen_ai.usage.input_tokens', intValue(1000)),
    kv('gen_ai.usage.output_tokens', intValue(200)),
    ...extra,
  ]);
}

let nextEmail = 0;
/** `count` e-mail addresses never used before in this file. */
function distinctEmails(count: number): string[] {
  const emails: string[] = [];
  for (let i = 0; i < count; i++)
    emails.push(`u${(nextEmail++).toString(36)}@x.io`);
  return emails;
}

/** Records diag warnings until `diag.disable()` (afterEach). */
function recordWarnings(): string[] {
  const warnings: string[] = [];
  const ignore = (): void => {};
  const logger: DiagLogger = {
    error: ignore,
    warn: message => warnings.push(message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, {
    logLevel: DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
  return warnings;
}

const budgetWarnings = (warnings: readonly string[]): string[] =>
  warnings.filter(warning => warning.includes('request_budget'));

function stringAttribute(span: ComparableSpan, key: string): string {
  const value = span.attributes[key];
  if (value === undefined || !('s' in value)) {
    throw new Error(`${key} is not a string: ${JSON.stringify(value)}`);
  }
  return value.s;
}

async function post(body: Buffer, gzip = false): Promise<void> {
  if (fixture === undefined) throw new Error('no gateway');
  const response = await rawRequest(fixture.gateway.url, {
    headers: gzip ? { ...PROTOBUF, 'content-encoding': 'gzip' } : PROTOBUF,
    body: gzip ? gzipSync(body) : body,
  });
  expect(response.status).toBe(200);
}

describe('one request of many identity values', () => {
  it('one request of metadata bags full of distinct e-mails does bounded work: past the pseudonym budget, bags are replaced whole without being parsed (secret set)', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const warnings = recordWarnings();
    // 100 spans, each with a 130 KB JSON array of 10,000 distinct e-mails:
    // 12 MiB, 2.4 MiB gzip, far within every decode limit.
    const spans: Buffer[] = [];
    for (let span = 0; span < 100; span++) {
      const values = distinctEmails(10_000).map(email => `"${email}"`);
      spans.push(chatSpan(kv('metadata', str(`[${values.join(',')}]`))));
    }
    // The work is bounded by counting, not by timing (a pause limit failed
    // on a loaded machine though nothing was wrong): at most VALUES_BUDGET
    // pseudonyms are made, and every later bag is replaced whole without
    // being parsed. Before the budget, each of the 100 bags was parsed and
    // rewritten (about 2.2 s here; 18-46 s and 1-1.3 GiB at 480-745 spans).
    await post(requestOf(...spans), true);

    const forwarded = fixture.forwardedSpans();
    expect(forwarded).toHaveLength(100);
    const bags = forwarded.map(span => stringAttribute(span, 'metadata'));
    const rewritten = bags.filter(bag => bag !== BAG_MARKER);
    // 5 bags of 10,000 pseudonyms fit in 50,000; every later bag is
    // replaced whole, without being parsed.
    expect(rewritten.length).toBe(VALUES_BUDGET / 10_000);
    for (const bag of rewritten) {
      const values = JSON.parse(bag) as string[];
      expect(values).toHaveLength(10_000);
      for (const value of values) expect(value).toMatch(/^hmac:[0-9a-f]{32}$/);
    }
    expect(bags.slice(rewritten.length).every(bag => bag === BAG_MARKER)).toBe(
      true,
    );
    expect(bags.join('')).not.toContain('@x.io');
    // Still priced, one warning for the request.
    expect(fixture.records).toHaveLength(100);
    expect(budgetWarnings(warnings)).toHaveLength(1);
  }, 120_000);

  it('past the pseudonym budget, scalar and list identity attributes are replaced too, and each request has its own budget', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const warnings = recordWarnings();
    // 10,000 pseudonyms per attribute at most: five bags spend the budget.
    const first = distinctEmails(VALUES_BUDGET);
    const spendAll: Buffer[] = [];
    for (let i = 0; i < VALUES_BUDGET; i += 10_000) {
      const contacts = first.slice(i, i + 10_000);
      spendAll.push(
        chatSpan(kv('metadata', str(JSON.stringify({ contacts })))),
      );
    }
    const scalarId = 'customer-after-the-budget';
    const listEmails = distinctEmails(3);
    const late = chatSpan(
      kv('user.id', str(scalarId)),
      kv('ai.telemetry.metadata.userIds', strings(listEmails)),
      kv('metadata', str('{"plan":"pro","userId":"late-user"}')),
    );
    await post(requestOf(...spendAll, late));
    const forwarded = fixture.forwardedSpans();
    const lateSpan = forwarded.at(-1);
    const contacts = forwarded.slice(0, -1).flatMap(
      span =>
        (
          JSON.parse(stringAttribute(span, 'metadata')) as {
            contacts: string[];
          }
        ).contacts,
    );
    expect(contacts).toEqual(first.map(hmac));
    // user.id on an LLM span is written from the resolved identity (not
    // budgeted: one per call), so it is still the pseudonym.
    expect(stringAttribute(lateSpan!, 'user.id')).toBe(hmac(scalarId));
    expect(lateSpan!.attributes['ai.telemetry.metadata.userIds']).toEqual({
      a: [{ s: LIST_MARKER }],
    });
    expect(stringAttribute(lateSpan!, 'metadata')).toBe(BAG_MARKER);
    expect(budgetWarnings(warnings)).toHaveLength(1);

    // The next request starts with a full budget.
    await post(
      requestOf(
        chatSpan(
          kv('ai.telemetry.metadata.userIds', strings(listEmails)),
          kv('metadata', str('{"plan":"pro","userId":"late-user"}')),
        ),
      ),
    );
    const [next] = fixture.forwardedSpans().slice(-1);
    expect(next!.attributes['ai.telemetry.metadata.userIds']).toEqual({
      a: listEmails.map(email => ({ s: hmac(email) })),
    });
    expect(JSON.parse(stringAttribute(next!, 'metadata'))).toEqual({
      plan: 'pro',
      userId: hmac('late-user'),
    });
    expect(budgetWarnings(warnings)).toHaveLength(1);
  }, 60_000);

  it('without a secret, bags past 8 MiB of JSON in one request are replaced when they may hold an e-mail, kept otherwise', async () => {
    fixture = await startGatewayFixture();
    const warnings = recordWarnings();
    // 30 LLM spans, each with a 400 KB object bag holding e-mails (read for
    // attribution and scrubbed: 800 KB of the budget each), then a harmless
    // bag with no '@'.
    const spans: Buffer[] = [];
    for (let i = 0; i < 30; i++) {
      const bag = JSON.stringify({
        note: 'n'.repeat(400_000),
        contact: distinctEmails(1)[0],
      });
      spans.push(chatSpan(kv('metadata', str(bag))));
    }
    const harmless = JSON.stringify({ plan: 'pro', note: 'h'.repeat(1000) });
    spans.push(chatSpan(kv('metadata', str(harmless))));
    await post(requestOf(...spans));
    const forwarded = fixture.forwardedSpans();
    const bags = forwarded.map(span => stringAttribute(span, 'metadata'));
    const scrubbed = bags.slice(0, 30).filter(bag => bag !== BAG_MARKER);
    for (const bag of scrubbed) {
      expect(JSON.parse(bag)).toMatchObject({ contact: 'redacted-email' });
    }
    // Each bag is parsed twice (read, then scrubbed): at most 8 MiB in all.
    const parsed = scrubbed.reduce((sum, bag) => sum + 2 * bag.length, 0);
    expect(parsed).toBeLessThanOrEqual(CHARS_BUDGET);
    expect(scrubbed.length).toBeGreaterThanOrEqual(8);
    expect(scrubbed.length).toBeLessThan(30);
    expect(bags.slice(scrubbed.length, 30).every(b => b === BAG_MARKER)).toBe(
      true,
    );
    expect(bags[30]).toBe(harmless);
    expect(bags.join('')).not.toMatch(/@x\.io/);
    expect(budgetWarnings(warnings)).toHaveLength(1);
  }, 60_000);

  it('an honest full batch (8,192 spans, a user id and a metadata bag on each) stays within the budget', async () => {
    fixture = await startGatewayFixture({
      env: { OTEL_GENAI_COST_HMAC_SECRET: SECRET },
    });
    const warnings = recordWarnings();
    const spans: Buffer[] = [];
    for (let i = 0; i < 8192; i++) {
      const user = `user-${i % 500}@example.com`;
      const bag = JSON.stringify({
        user_id: user,
        session_id: `s-${i}`,
        tags: ['prod', 'chat'],
        note: 'x'.repeat(200),
      });
      spans.push(
        chatSpan(
          kv('ai.telemetry.metadata.userId', str(user)),
          kv('metadata', str(bag)),
        ),
      );
    }
    await post(requestOf(...spans), true);
    const forwarded = fixture.forwardedSpans();
    expect(forwarded).toHaveLength(8192);
    for (const [i, span] of forwarded.entries()) {
      const user = `user-${i % 500}@example.com`;
      const bag = JSON.parse(stringAttribute(span, 'metadata')) as Record<
        string,
        unknown
      >;
      expect(bag['user_id']).toBe(hmac(user));
      expect(stringAttribute(span, 'ai.telemetry.metadata.userId')).toBe(
        hmac(user),
      );
    }
    expect(budgetWarnings(warnings)).toEqual([]);
  }, 120_000);
});
