import { readFileSync } from 'node:fs';
import os from 'node:os';
import { gcVia } from '../harness/memory.js';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGb: number;
  readonly platform: string;
  readonly nodeVersion: string;
  readonly v8Version: string;
  /** `flag`: node ran with --expose-gc; `runtime`: enabled by the suite. */
  readonly gc: 'flag' | 'runtime';
  /** 1-minute load average when the run started: > cores means a busy box. */
  readonly loadAverage1m: number;
}

/** `model name` from /proc/cpuinfo (Linux), else what `os.cpus()` says. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find(l => l.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model !== undefined && model !== '') return model;
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    totalMemoryGb: Math.round(os.totalmem() / 1024 ** 3),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    nodeVersion: process.version,
    v8Version: process.versions.v8,
    gc: gcVia,
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
