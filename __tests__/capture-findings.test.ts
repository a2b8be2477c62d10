import { describe, expect, it } from '@jest/globals';
import { cleanBody, splitSentences } from '../src/capture/clean.js';
import { FINDING_RULES, findingOf } from '../src/capture/findings.js';

const findingIn = (comment: string) => findingOf(splitSentences(cleanBody(comment).text));

describe('review findings that imply a rule', () => {
  it.each([
    // Real CRC-Py wordings, and the same finding as other reviewers put it.
    ['this change is unrelated and already implemented in your previous pr. please revert it.', 'pr-scope', 0],
    ['hi, you are also changing this file. can you create the different pull request for different files.', 'pr-scope', 1],
    ['i would avoid these indentation fixes, being unrelated to the actual changes.', 'pr-scope', 0],
    ['The formatting changes in `utils.py` look unrelated. Could you split them out?', 'pr-scope', 0],
    ['Please move the dependency bump into its own PR.', 'pr-scope', 0],
    ['extra print. maybe this was added for debug purpose?', 'debug-leftovers', 0],
    ['This `if True:` construct appears to be leftover debugging code.', 'debug-leftovers', 0],
    ['Stray `console.log` here.', 'debug-leftovers', 0],
    ['Please remove the debug prints before we merge.', 'debug-leftovers', 0],
  ])('%s -> %s', (comment, kind, index) => {
    const f = findingIn(comment);
    expect(f).toMatchObject({ kind, index });
    expect(f!.rule).toBe(FINDING_RULES[kind as keyof typeof FINDING_RULES]);
  });

  it.each([
    'unrelated, but this sounds off to me. perhaps "both of them" or "each of them"',
    'The CI failure is unrelated to your change, please rebase on main.',
    'This test failure looks unrelated; I re-ran the job.',
    "but let's leave those considerations for a separate pull request.",
    'We can handle the rename in a follow-up PR.',
    'I think it would be good to log the error here as well, to help debugging.',
    'Add a debug flag so users can turn on verbose output.',
    'This change is unrelated to the bug, but it is a nice cleanup, thanks!',
  ])('not a finding: %s', (comment) => {
    expect(findingIn(comment)).toBeNull();
  });

  it('gives up on very long text instead of scanning it', () => {
    expect(findingOf(['unrelated changes, please revert. '.repeat(200)])).toBeNull();
  });
});
