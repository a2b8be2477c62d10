import { describe, expect, it } from '@jest/globals';
import { baseOfGerund } from '../src/capture/gerund.js';

describe('baseOfGerund: the verb of a "-ing" word, by spelling rules', () => {
  it.each([
    ['runn', 'run'], ['stopp', 'stop'], ['splitt', 'split'], ['formatt', 'format'], ['committ', 'commit'], ['pinn', 'pin'],
    ['preferr', 'prefer'], ['logg', 'log'], ['add', 'add'], ['pass', 'pass'], ['call', 'call'],
  ])('a doubled consonant was added: %s → %s', (stem, verb) => expect(baseOfGerund(stem)).toBe(verb));

  it.each([
    ['us', 'use'], ['mak', 'make'], ['hav', 'have'], ['writ', 'write'], ['typ', 'type'], ['nam', 'name'], ['migrat', 'migrate'],
    ['updat', 'update'], ['remov', 'remove'], ['includ', 'include'], ['configur', 'configure'], ['replac', 'replace'],
    ['serializ', 'serialize'], ['handl', 'handle'], ['chang', 'change'], ['merg', 'merge'], ['pars', 'parse'],
    ['rais', 'raise'], ['reus', 'reuse'], ['rebas', 'rebase'], ['delet', 'delete'],
  ])('a silent e was dropped: %s → %s', (stem, verb) => expect(baseOfGerund(stem)).toBe(verb));

  it.each([
    ['squash', 'squash'], ['test', 'test'], ['check', 'check'], ['follow', 'follow'], ['keep', 'keep'], ['open', 'open'],
    ['edit', 'edit'], ['limit', 'limit'], ['consider', 'consider'], ['develop', 'develop'], ['cancel', 'cancel'], ['bring', 'bring'],
    ['look', 'look'], ['show', 'show'], ['fix', 'fix'], ['document', 'document'], ['return', 'return'],
  ])('the stem is the verb: %s', (stem, verb) => expect(baseOfGerund(stem)).toBe(verb));
});
