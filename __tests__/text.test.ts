import { describe, expect, it } from '@jest/globals';
import { jaccard, keyPrefix, tokenize } from '../src/core/text.js';

const set = (...xs: string[]) => new Set(xs);

describe('Jaccard (SPEC §8)', () => {
  it('disjoint sets → 0.0', () => {
    expect(jaccard(set('a', 'b'), set('c', 'd'))).toBe(0);
  });
  it('{a,b,c} vs {a,b,d} → 0.5', () => {
    expect(jaccard(set('a', 'b', 'c'), set('a', 'b', 'd'))).toBe(0.5);
  });
  it('equal sets → 1.0', () => {
    expect(jaccard(set('a', 'b', 'c'), set('c', 'b', 'a'))).toBe(1);
  });
  it('an empty set → 0.0, even against another empty set', () => {
    expect(jaccard(set(), set('a'))).toBe(0);
    expect(jaccard(set('a'), set())).toBe(0);
    expect(jaccard(set(), set())).toBe(0);
  });
  it('is symmetric and uses the union as denominator', () => {
    const a = set('a', 'b', 'c', 'd', 'e');
    const b = set('d', 'e', 'f');
    expect(jaccard(a, b)).toBeCloseTo(2 / 6, 15);
    expect(jaccard(b, a)).toBe(jaccard(a, b));
  });
});

describe('key prefix (SPEC §8)', () => {
  it.each<[string, string | null]>([
    ['legacy-foo', null],
    ['bash-cd-git', 'bash'],
    ['Bash-CD', 'bash'],
    ['ts', 'ts'],
    ['-leading-dash', null],
    ['123-fix', null],
    ['lesson-x', null],
    ['the-thing', null],
    ['a-thing', null],
    ['an-thing', null],
    ['LEGACY-foo', null],
    ['v2-api', 'v2'],
    ['ci_cache-keys', 'ci_cache'],
  ])('%s → %p', (key, prefix) => {
    expect(keyPrefix(key)).toBe(prefix);
  });
});

describe('tokenize', () => {
  it('用 git -C 取代 cd: has git, no 用g, has a CJK bigram (SPEC §8)', () => {
    const tokens = tokenize('用 git -C 取代 cd');
    expect(tokens.has('git')).toBe(true);
    expect(tokens.has('用g')).toBe(false);
    expect(tokens.has('取代')).toBe(true);
    expect(tokens).toEqual(set('git', 'cd', '取代')); // "-C" is one letter; 用 alone forms no bigram
  });

  it('makes no bigram across a boundary between CJK runs or into ASCII', () => {
    expect(tokenize('用git取代')).toEqual(set('git', '取代'));
    expect(tokenize('目录 命令')).toEqual(set('目录', '命令'));
    expect(tokenize('目录命令')).toEqual(set('目录', '录命', '命令'));
  });

  it('lowercases and keeps ASCII runs of length ≥ 2 only', () => {
    expect(tokenize('Use `git -C` NOT cd; a b x1 42 ÄB')).toEqual(set('use', 'git', 'not', 'cd', 'x1', '42'));
  });

  it('splits on punctuation, underscores and non-ASCII letters', () => {
    expect(tokenize('snake_case foo.bar café')).toEqual(set('snake', 'case', 'foo', 'bar', 'caf'));
  });

  it('characters outside U+4E00–U+9FFF are not CJK ideographs here (hiragana, full-width)', () => {
    expect(tokenize('ひらがな')).toEqual(set());
    expect(tokenize('ＧＩＴ')).toEqual(set());
  });

  it('empty and symbol-only text has no tokens', () => {
    expect(tokenize('')).toEqual(set());
    expect(tokenize('- * / !')).toEqual(set());
  });
});
