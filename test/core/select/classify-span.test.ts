import { describe, expect, it } from 'vitest';
import { classifySpan } from '../../../src/entries/core.js';

describe('classifySpan', () => {
  it.each([
    ['ai.generateText.doGenerate', 'inference'],
    ['ai.streamText.doStream', 'inference'],
    ['ai.generateObject.doGenerate', 'inference'],
    ['ai.streamObject.doStream', 'inference'],
    ['ai.embed.doEmbed', 'inference'],
    ['ai.embedMany.doEmbed', 'inference'],
    ['ai.generateText', 'wrapper'],
    ['ai.streamText', 'wrapper'],
    ['ai.embedMany', 'wrapper'],
    ['ai.toolCall', 'wrapper'],
  ])('AI SDK operation %s is %s', (operationId, role) => {
    expect(classifySpan({ 'ai.operationId': operationId })).toEqual({
      role,
      family: 'ai_sdk',
    });
  });

  it.each([
    ['chat', 'inference'],
    ['text_completion', 'inference'],
    ['generate_content', 'inference'],
    ['embeddings', 'inference'],
    ['invoke_agent', 'wrapper'],
    ['agent_step', 'wrapper'],
    ['execute_tool', 'wrapper'],
    ['create_agent', 'wrapper'],
    ['invoke_workflow', 'wrapper'],
  ])('gen_ai.operation.name %s is %s', (operation, role) => {
    expect(classifySpan({ 'gen_ai.operation.name': operation })).toEqual({
      role,
      family: 'gen_ai',
    });
  });

  it('AI SDK attributes win over the GenAI operation name', () => {
    expect(
      classifySpan({
        'ai.operationId': 'ai.generateText',
        'gen_ai.operation.name': 'chat',
      }).role,
    ).toBe('wrapper');
  });

  it.each([
    ['LLM', 'inference'],
    ['EMBEDDING', 'inference'],
    ['AGENT', 'wrapper'],
    ['CHAIN', 'wrapper'],
    ['TOOL', 'wrapper'],
  ])('OpenInference kind %s is %s', (kind, role) => {
    expect(classifySpan({ 'openinference.span.kind': kind }).role).toBe(role);
  });

  it.each([
    ['generation', 'inference'],
    ['embedding', 'inference'],
    ['span', 'wrapper'],
    ['agent', 'wrapper'],
  ])('Langfuse observation %s is %s', (type, role) => {
    expect(classifySpan({ 'langfuse.observation.type': type }).role).toBe(role);
  });

  it('old Traceloop spans (gen_ai.system, no operation) are calls', () => {
    expect(
      classifySpan({
        'gen_ai.system': 'OpenAI',
        'gen_ai.usage.prompt_tokens': 1,
      }),
    ).toEqual({ role: 'inference', family: 'gen_ai' });
  });

  it('plain HTTP and DB spans are other', () => {
    expect(
      classifySpan({ 'http.request.method': 'GET', 'url.full': 'x' }).role,
    ).toBe('other');
    expect(classifySpan({}).role).toBe('other');
    expect(classifySpan({ 'ai.operationId': 42 }).role).toBe('other');
  });
});
