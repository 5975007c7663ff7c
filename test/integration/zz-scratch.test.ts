import { createRequire } from 'node:module';
import { it, expect } from 'vitest';
import OpenAIEsm from 'openai';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { OpenAIInstrumentation as TraceloopInstrumentation } from '@traceloop/instrumentation-openai';
import { startFakeOpenAIServer } from '../helpers/fake-openai-server.js';

it('contrib via createRequire', async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const inst = new OpenAIInstrumentation();
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  registerInstrumentations({ instrumentations: [inst], tracerProvider: provider });
  const require = createRequire(import.meta.url);
  const mod = require('openai');
  console.log('esm === cjs?', OpenAIEsm === mod.OpenAI, OpenAIEsm === mod.default, Object.keys(inst as any));
  const server = await startFakeOpenAIServer({ chatUsage: { promptTokens: 1000, completionTokens: 300, cachedTokens: 600, reasoningTokens: 100 } });
  const client = new mod.OpenAI({ baseURL: server.baseURL, apiKey: 'k' });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
  for await (const _c of s) { /* */ }
  await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
  // ESM path
  const esmClient = new OpenAIEsm({ baseURL: server.baseURL, apiKey: 'k' });
  await esmClient.chat.completions.create({ model: 'esm-before-manual', messages: [{ role: 'user', content: 'hi' }] });
  const defs = (inst as any).getModuleDefinitions();
  console.log('defs', defs.length, defs[0]?.name);
  const ns = await import('openai');
  defs[0].patch(ns, '6.30.1');
  await esmClient.chat.completions.create({ model: 'esm-after-manual', messages: [{ role: 'user', content: 'hi' }] });
  await provider.forceFlush();
  for (const sp of exporter.getFinishedSpans()) console.log(sp.name, sp.instrumentationScope.name, JSON.stringify(sp.attributes));
  inst.disable();
  await server.close();
  expect(1).toBe(1);
});

it('traceloop manuallyInstrument', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const inst = new TraceloopInstrumentation();
  inst.setTracerProvider(provider);
  inst.manuallyInstrument(OpenAIEsm);
  const server = await startFakeOpenAIServer({ chatUsage: { promptTokens: 1000, completionTokens: 300, cachedTokens: 600, reasoningTokens: 100 } });
  const client = new OpenAIEsm({ baseURL: server.baseURL, apiKey: 'k' });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
  for await (const _c of s) { /* */ }
  await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
  await provider.forceFlush();
  for (const sp of exporter.getFinishedSpans()) console.log(sp.name, sp.instrumentationScope.name, JSON.stringify(sp.attributes));
  await server.close();
});
