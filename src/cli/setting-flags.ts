import { InvalidArgumentError, Option, type Command } from 'commander';
import { warnDeprecated } from '../config/resolve-settings.js';
import type { AnySetting } from './settings-table.js';

/** `--max-body-bytes` -> `maxBodyBytes`, as commander names flag values. */
function attributeName(flag: string): string {
  return flag
    .replace(/^--/, '')
    .replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function parser(setting: AnySetting): (raw: string) => unknown {
  return raw => {
    try {
      return setting.parse === undefined ? raw : setting.parse(raw);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/**
 * Adds a flag per setting, read from its variable too, checked by its
 * parser; deprecated flags are accepted, hidden from `--help`.
 */
export function addSettingFlags(
  command: Command,
  settings: readonly AnySetting[],
): void {
  for (const setting of settings) {
    if (setting.flag === undefined) continue;
    const defaultText =
      setting.defaultText === undefined
        ? ''
        : ` (default: ${setting.defaultText})`;
    const option = new Option(
      `${setting.flag} <${setting.valueName}>`,
      `${setting.description}${defaultText}`,
    ).argParser(parser(setting));
    command.addOption(
      setting.env === undefined ? option : option.env(setting.env),
    );
    for (const old of setting.deprecatedFlags ?? []) {
      command.addOption(
        new Option(`${old} <${setting.valueName}>`)
          .hideHelp()
          .argParser(parser(setting)),
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
