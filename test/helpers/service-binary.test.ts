/**
 * A missing service binary is skipped (one line on stderr) unless
 * OTEL_GENAI_COST_REQUIRE_SERVICES=1 asks for it; `CI=true`, which hosted CI
 * sets on every job, must not turn the skip into a failure.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REQUIRE_SERVICES, serviceBinary } from './service-binary.js';

const absent = {
  name: 'otel-genai-cost-no-such-binary',
  debianPackage: 'no-such-package',
  paths: ['/nonexistent/otel-genai-cost-no-such-binary'],
};

afterEach(() => vi.unstubAllEnvs());

describe('serviceBinary', () => {
  it('skips a missing binary under CI=true alone', () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv(REQUIRE_SERVICES, undefined);
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    try {
      expect(serviceBinary(absent)).toBeUndefined();
    } finally {
      stderr.mockRestore();
    }
  });

  it('fails on a missing binary when OTEL_GENAI_COST_REQUIRE_SERVICES=1', () => {
    vi.stubEnv('CI', undefined);
    vi.stubEnv(REQUIRE_SERVICES, '1');
    expect(() => serviceBinary(absent)).toThrow(/no-such-binary not found/);
  });

  it('finds a binary that is on PATH whatever the variables say', () => {
    vi.stubEnv(REQUIRE_SERVICES, '1');
    expect(serviceBinary({ name: 'sh', debianPackage: 'dash' })).toMatch(/sh$/);
  });
});
