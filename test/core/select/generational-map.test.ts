/**
 * `GenerationalMap` skips work on empty generations (`clear` of an empty
 * Map allocates a new table in V8; `delete` does not look in an empty old
 * generation): what it holds and answers must not change for it.
 */
import { describe, expect, it } from 'vitest';
import { GenerationalMap } from '../../../src/core/select/generational-map.js';

describe('GenerationalMap', () => {
  it('deletes from either generation, and only what it holds', () => {
    const map = new GenerationalMap<number>(4);
    map.set('a', 1);
    map.set('b', 2);
    // Full young generation: the next key turns it into the old one.
    map.set('c', 3);
    expect(map.size).toBe(3);
    expect(map.delete('a')).toBe(true);
    expect(map.get('a')).toBeUndefined();
    expect(map.delete('c')).toBe(true);
    expect(map.delete('c')).toBe(false);
    expect(map.delete('zzz')).toBe(false);
    expect(map.get('b')).toBe(2);
    expect(map.size).toBe(1);
  });

  it('clear empties both generations, whether or not they hold keys', () => {
    const map = new GenerationalMap<number>(2);
    map.clear();
    expect(map.size).toBe(0);
    map.set('a', 1);
    map.set('b', 2);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBeUndefined();
    map.set('c', 3);
    map.clear();
    expect(map.get('c')).toBeUndefined();
    map.set('d', 4);
    expect(map.get('d')).toBe(4);
    expect(map.size).toBe(1);
  });
});
