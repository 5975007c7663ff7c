import { InvalidArgumentError, Option, type Command } from 'commander';
import { warnDeprecated } from '../config/resolve-settings.js';
import type { AnySetting } from './settings-table.js';

/** `--max-body-bytes` -> `maxBodyBytes`, as commander names flag values. */
function attributeName(flag: string): string {
  return flag
    .replace(/^--/, '')
    .replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Exit status of a bad setting, as `--help` says. */
const BAD_SETTING_EXIT = 2;

function parser(setting: AnySetting): (raw: string) => unknown {
  return raw => {
    try {
      return setting.parse === undefined ? raw : setting.parse(raw);
    } catch (error) {
      const invalid = new InvalidArgumentError((error as Error).message);
      invalid.exitCode = BAD_SETTING_EXIT;
      throw invalid;
    }
  };
}

/** Adds the parser, except for a secret: commander's message repeats the value. */
function parsed(option: Option, setting: AnySetting): Option {
  return setting.secret === true ? option : option.argParser(parser(setting));
}

/**
 * Adds a flag per setting, checked by its parser; deprecated flags are
 * accepted, hidden from `--help`. Commander reads argv only: variables are
 * read by `resolveSettings`, the one place that treats a blank variable as
 * unset and lets a flag (deprecated or not) win over every variable; `--help`
 * still names each flag's variable. A secret setting's flag is kept as
 * text: `parseSecretFlags` reads it.
 */
export function addSettingFlags(
  command: Command,
  settings: readonly AnySetting[],
): void {
  for (const setting of settings) {
    if (setting.flag === undefined) continue;
    const extra = [
      setting.defaultText === undefined
        ? ''
        : ` (default: ${setting.defaultText})`,
      setting.env === undefined ? '' : ` (env: ${setting.env})`,
    ].join('');
    command.addOption(
      parsed(
        new Option(
          `${setting.flag} <${setting.valueName}>`,
          `${setting.description}${extra}`,
        ),
        setting,
      ),
    );
    for (const old of setting.deprecatedFlags ?? []) {
      command.addOption(
        parsed(new Option(`${old} <${setting.valueName}>`).hideHelp(), setting),
      );
    }
  }
}

/**
 * The flags with each deprecated flag's value moved to its setting (the
 * new flag wins), and a one-time warning for each deprecated flag used.
 */
export function withDeprecatedFlags<T extends object>(
  flags: T,
  settings: readonly AnySetting[],
): T {
  const out: Record<string, unknown> = {
    ...(flags as Readonly<Record<string, unknown>>),
  };
  for (const setting of settings) {
    for (const old of setting.deprecatedFlags ?? []) {
      const name = attributeName(old);
      if (out[name] === undefined) continue;
      warnDeprecated(old, setting.flag ?? setting.key);
      out[setting.key] ??= out[name];
      delete out[name];
    }
  }
  return out as unknown as T;
}

/**
 * The flags with each secret setting's text parsed. Throws
 * `SecretSettingError` naming the flag and the problem, never the value:
 * commander's own message for a bad argument repeats it, so secrets do not
 * go through commander's parser. (Their variables are parsed by
 * `resolveSettings`, whose messages do not repeat values either.)
 */
export function parseSecretFlags<T extends object>(
  flags: T,
  settings: readonly AnySetting[],
): T {
  const out: Record<string, unknown> = {
    ...(flags as Readonly<Record<string, unknown>>),
  };
  for (const setting of settings) {
    if (setting.secret !== true || setting.parse === undefined) continue;
    for (const flag of [setting.flag, ...(setting.deprecatedFlags ?? [])]) {
      if (flag === undefined) continue;
      const name = attributeName(flag);
      const raw = out[name];
      if (typeof raw !== 'string') continue;
      try {
        out[name] = setting.parse(raw);
      } catch (error) {
        throw new SecretSettingError(`${flag}: ${(error as Error).message}`);
      }
    }
  }
  return out as unknown as T;
}

/** A secret setting's value is bad; the message does not repeat it. */
export class SecretSettingError extends Error {
  override name = 'SecretSettingError';
}
