/** `/mycelium` commands in digest-issue comments (pure parser). */
import { describe, expect, it } from '@jest/globals';
import { MAX_COMMANDS, parseCommands } from '../src/core/commands.js';

describe('parseCommands', () => {
  it('reads accept, reject with a reason, retire and help', () => {
    expect(parseCommands('/mycelium accept 1 3')).toEqual([{ verb: 'accept', numbers: [1, 3] }]);
    expect(parseCommands('/mycelium reject 2 not our convention')).toEqual([{ verb: 'reject', numbers: [2], reason: 'not our convention' }]);
    expect(parseCommands('/mycelium reject 4')).toEqual([{ verb: 'reject', numbers: [4], reason: '' }]);
    expect(parseCommands('/mycelium retire lsn-0123abcd outdated since v2')).toEqual([{ verb: 'retire', lessonId: 'lsn-0123abcd', reason: 'outdated since v2' }]);
    expect(parseCommands('/mycelium help')).toEqual([{ verb: 'help' }]);
    expect(parseCommands('/mycelium')).toEqual([{ verb: 'help' }]);
  });

  it('is robust to case, whitespace, commas, # and ranges; duplicates folded', () => {
    expect(parseCommands('  /MyCelium   ACCEPT   #1,  2-4 2 \r\n')).toEqual([{ verb: 'accept', numbers: [1, 2, 3, 4] }]);
    expect(parseCommands('\t/mycelium accept 1')).toEqual([]); // a tab-indented line is code
  });

  it('several commands per comment, in order; prose lines ignored; a command mid-line is not one', () => {
    const body = 'Thanks!\n/mycelium accept 1\nI do not like 2:\n/mycelium reject 2 too noisy\nsee /mycelium accept 3 in text\n/mycelium help';
    expect(parseCommands(body).map((c) => c.verb)).toEqual(['accept', 'reject', 'help']);
  });

  it('ignores commands in fenced and indented code, quotes and HTML comments', () => {
    const body = [
      '> /mycelium accept 1',
      '```',
      '/mycelium accept 2',
      '```',
      '~~~~',
      '/mycelium accept 3',
      '```',
      '~~~~',
      '',
      '    /mycelium accept 4',
      '<!-- /mycelium accept 5',
      '/mycelium accept 6 -->',
      '/mycelium accept 7',
    ].join('\n');
    expect(parseCommands(body)).toEqual([{ verb: 'accept', numbers: [7] }]);
  });

  it('wrong input is an invalid command with a plain reason, never a crash', () => {
    expect(parseCommands('/mycelium accept')).toEqual([{ verb: 'invalid', line: '/mycelium accept', problem: 'accept needs candidate numbers, e.g. /mycelium accept 1' }]);
    expect(parseCommands('/mycelium accept one')[0]).toMatchObject({ verb: 'invalid', problem: "'one' is not a candidate number" });
    expect(parseCommands('/mycelium accept 1 two')[0]).toMatchObject({ verb: 'invalid', problem: "'two' is not a candidate number" });
    expect(parseCommands('/mycelium accept 0')[0]).toMatchObject({ verb: 'invalid' });
    expect(parseCommands('/mycelium acept 1')[0]).toMatchObject({ verb: 'invalid', problem: expect.stringContaining("unknown command 'acept'") });
    expect(parseCommands('/mycelium retire')[0]).toMatchObject({ verb: 'invalid' });
    expect(parseCommands('/mycelium retire <script>')[0]).toMatchObject({ verb: 'invalid' });
    expect(parseCommands(null)).toEqual([]);
  });

  it('caps the commands per comment and stays linear on huge input', () => {
    expect(parseCommands('/mycelium accept 1\n'.repeat(100))).toHaveLength(MAX_COMMANDS);
    const t = Date.now();
    parseCommands('/mycelium reject 1 ' + ' '.repeat(70_000) + 'x');
    parseCommands('```\n'.repeat(30_000));
    parseCommands('/mycelium accept ' + '1,'.repeat(30_000));
    expect(Date.now() - t).toBeLessThan(1_000);
  });
});

describe('plainText (reply lines in the job summary)', () => {
  it('undoes the markdown escaping, so the summary escapes HTML once', async () => {
    const { plainText } = await import('../src/ops/feedback.js');
    const { inlineMarkdown } = await import('../src/core/safeMarkdown.js');
    expect(plainText(inlineMarkdown('Use git -C <dir> && git, not *cd*; ask @ana about #12'))).toBe('Use git -C <dir> && git, not *cd*; ask @ana about #12');
  });
});
