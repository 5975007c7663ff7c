import {
  checkEmitters,
  parseEmitters,
  type EmittersOption,
} from '../core/select/emitters.js';
import { SettingError, type Setting } from './setting.js';

/** The stacked-instrumentation setting, shared by the processor and gateway. */
export interface EmittersSettingValues {
  readonly emitters: EmittersOption;
}

/** A row with a flag and a variable (the gateway lists every one). */
export type EmittersSetting = Setting<EmittersSettingValues, 'emitters'> & {
  readonly flag: string;
  readonly env: string;
};

function settingError(check: () => EmittersOption): EmittersOption {
  try {
    return check();
  } catch (error) {
    throw new SettingError((error as Error).message);
  }
}

/**
 * Which layer to trust when two instrumentations record the same provider
 * call (see `EmittersOption`): `auto`, `framework`, `client`, `all`, or the
 * instrumentation scope names to price (comma-separated in a variable or
 * flag).
 */
export const EMITTERS_SETTING: EmittersSetting = {
  key: 'emitters',
  env: 'OTEL_GENAI_COST_EMITTERS',
  flag: '--emitters',
  valueName: 'mode|scopes',
  type: "'auto' | 'framework' | 'client' | 'all' | string[]",
  defaultText: 'auto',
  defaultValue: 'auto',
  description:
    'stacked instrumentations (two layers recording one call, e.g. LangChain over an OpenAI client instrumentation): auto prices each call once from the better-informed span, framework or client from that layer, all turns detection off, a list of instrumentation scope names prices only their LLM spans',
  shells: ['processor', 'exporter', 'gateway'],
  parse: raw => settingError(() => parseEmitters(raw)),
  check: value => settingError(() => checkEmitters(value)),
};
