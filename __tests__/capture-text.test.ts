import { describe, expect, it } from '@jest/globals';
import { cleanBody, extractFences, repairMojibake, splitSentences, stripDetails, stripInline } from '../src/capture/clean.js';
import { parseExplicit } from '../src/capture/explicit.js';
import { classifyType, normalizeInsight, pickDirective, scoreSentence, withContext } from '../src/capture/infer.js';
import { domainFromPath, domainFromText, makeKey, reuseKey, skillFor } from '../src/capture/keys.js';
import { reviewTokens } from '../src/core/reviewTokens.js';
import { KEY_PATTERN } from '../src/core/lesson.js';

describe('cleaning', () => {
  it('repairs UTF-8 that was decoded as CP437, and leaves real accents alone', () => {
    expect(repairMojibake('_ΓÜá∩╕Å Potential issue_ | _≡ƒƒí Minor_')).toBe('_⚠️ Potential issue_ | _🟡 Minor_');
    expect(repairMojibake('Typo: ΓÇ£boot strappingΓÇ¥ and ΓëÑ3.5V')).toBe('Typo: “boot strapping” and ≥3.5V');
    expect(repairMojibake('café, Ñandú, naïve')).toBe('café, Ñandú, naïve');
  });

  it('removes nested <details>, HTML comments, quotes and fences; remembers suggestions', () => {
    const body = [
      '**Use `tempfile.mkdtemp()` instead of `/tmp/`.**',
      '<details><summary>outer</summary>',
      '<details><summary>inner</summary>Prompt for AI Agents: ignore this</details>',
      'still hidden',
      '</details>',
      '> quoted words of someone else',
      '<!-- hidden marker -->',
      '```suggestion',
      'x = 1',
      '```',
      'After.',
    ].join('\n');
    const c = cleanBody(body);
    expect(c.text).toBe('Use `tempfile.mkdtemp()` instead of `/tmp/`.\n\nAfter.');
    expect(c.hasSuggestion).toBe(true);
    expect(c.quoted).toEqual(['quoted words of someone else']);
    expect(stripDetails('a<details>b<details>c</details>d</details>e')).toBe('ae');
  });

  it('counts task-list items and drops them from the text', () => {
    const c = cleanBody('- [ ] Add tests\n- [x] Update docs\nReal sentence here.');
    expect(c.checklistItems).toBe(2);
    expect(c.text).toBe('Real sentence here.');
  });

  it('strips badges, links, a leading address, emoji and emphasis but keeps inline code and :word: verbatim', () => {
    expect(stripInline('**<sub><sub>![P1 Badge](https://img.shields.io/x)</sub></sub>  Respect the flag**')).toBe('Respect the flag');
    expect(stripInline('@jleechan2015 thanks 🎉 see [the docs](https://x.y/z) :smiley:')).toBe('thanks see the docs :smiley:');
    expect(stripInline('Use `__nat_parse_.csv` and _not_ `a__b__c`')).toBe('Use `__nat_parse_.csv` and not `a__b__c`');
  });

  it('extracts fences of any length, with their info string', () => {
    const { text, fences } = extractFences('a\n````lesson\nkey: x\n```\ninner\n```\n````\nb');
    expect(fences).toHaveLength(1);
    expect(fences[0]).toEqual({ lang: 'lesson', body: 'key: x\n```\ninner\n```' });
    expect(text.replace(/\n+/g, '|')).toBe('a||b'.replace('||', '|'));
  });

  it('splits sentences but not after e.g. or inside code', () => {
    expect(splitSentences('Use X, e.g. for Y. Then call `a.b()`. Why? Done!')).toEqual(['Use X, e.g. for Y.', 'Then call `a.b()`.', 'Why?', 'Done!']);
  });
});

describe('explicit syntaxes', () => {
  it('reads Lesson: lines, not quoted or hidden ones', () => {
    const p = parseExplicit('Intro\nLesson: Always quote variable expansions in bash.\n> Lesson: quoted one\n<!-- Lesson: hidden -->\n- **Lesson:** Pin action versions by SHA.');
    expect(p.lessons.map((l) => [l.syntax, l.insight, l.index])).toEqual([
      ['lesson-line', 'Always quote variable expansions in bash.', 0],
      ['lesson-line', 'Pin action versions by SHA.', 1],
    ]);
  });

  it('reads ```lesson blocks with fields, several per block, and notes bad fields', () => {
    const body = [
      '```lesson',
      'key: bash-quote-vars',
      'type: pitfall',
      'skill: bash',
      'confidence: 9',
      'files: a.sh, b.sh',
      'Always quote variable expansions:',
      '"$var", not $var.',
      '---',
      'type: nonsense',
      'confidence: 42',
      'insight: Use `set -euo pipefail` in scripts.',
      '```',
    ].join('\n');
    const p = parseExplicit(body);
    expect(p.errors).toEqual([]);
    expect(p.lessons[0]).toMatchObject({
      syntax: 'lesson-block',
      key: 'bash-quote-vars',
      type: 'pitfall',
      skill: 'bash',
      confidence: 9,
      files: ['a.sh', 'b.sh'],
      insight: 'Always quote variable expansions: "$var", not $var.',
    });
    expect(p.lessons[1]!.insight).toBe('Use `set -euo pipefail` in scripts.');
    expect(p.lessons[1]!.type).toBeUndefined();
    expect(p.lessons[1]!.confidence).toBeUndefined();
    expect(p.lessons[1]!.notes).toHaveLength(2);
  });

  it('reads ```pr-retro JSON and reports broken blocks', () => {
    const ok = parseExplicit(
      '```pr-retro\n{"version":1,"retrospective_id":"r-1","agent_type":"codex","lessons":[{"insight":"Run the migrations before the app starts.","key":"ops-migrate-first","type":"operational","source":"observed","confidence":7,"files":["db/x.sql"]}]}\n```',
    );
    expect(ok.lessons[0]).toMatchObject({ syntax: 'pr-retro', key: 'ops-migrate-first', type: 'operational', source: 'observed', confidence: 7, retrospective_id: 'r-1', agent_type: 'codex' });
    expect(parseExplicit('```pr-retro\n{not json\n```').errors[0]).toMatch(/not valid JSON/);
    expect(parseExplicit('```pr-retro\n{"lessons":[{"key":"x"}]}\n```').errors[0]).toMatch(/lessons\.0\.insight/);
  });
});

describe('directive scoring', () => {
  it.each([
    'Use `tempfile.mkdtemp()` instead of a hardcoded `/tmp/` path.',
    'Variable and function names should follow the `snake_case` naming convention.',
    "Don't replace tests, just add new ones.",
    'Never log access tokens, even at debug level.',
    'Prefer `pathlib.Path` over `os.path` for new code.',
    'Please keep lists of dependencies in alphabetical order to make it easy to spot missing ones.',
    'Make sure the code passes `ruff` before pushing.',
    'make sure it passes mypy --strict',
    'You need to run `pre-commit` before you push.',
  ])('a rule: %s', (s) => {
    expect(pickDirective([s]).pick).not.toBeNull();
  });

  it.each([
    "I'd rather use Python type hints for parameter types than `:type:` fields.",
    'I prefer to pass the command as a list rather than using `shell=True`.',
  ])('a rule at the bar of a resolved thread: %s', (s) => {
    expect(pickDirective([s], 1.5).pick).not.toBeNull();
  });

  it('a "would you mind …ing" request becomes the plain imperative', () => {
    const pick = pickDirective(['Would you mind squashing your commits into one before we merge?'], 1.5).pick;
    expect(pick?.rule).toBe('Squash your commits into one before we merge');
    expect(pickDirective(['Would you mind running the formatter on all changed files?'], 1).pick?.rule).toBe(
      'Run the formatter on all changed files',
    );
    expect(pickDirective(['Would you mind adding a docstring to every public function?'], 1).pick?.rule).toBe(
      'Add a docstring to every public function',
    );
  });

  it.each([
    ['I think running `go fmt` as part of the CI is a good idea.', 'Run `go fmt` as part of the CI'],
    ['Having one commit per logical change is often regarded as good practice.', 'Have one commit per logical change'],
    ['I think migrating to f-strings makes more sense than going back to %s.', 'Migrate to f-strings rather than going back to %s'],
    ['For readability, it would be better to use pathlib for path handling.', 'Use pathlib for path handling'],
    ["at this point, it'd be nice to start adding type annotations and use mypy to catch this", 'Add type annotations and use mypy to catch this'],
    ["nit: if we range `tests`, we'd better name the loop variable `test`.", 'If we range `tests`, name the loop variable `test`'],
    ['Should add a new test in `opts_test.go` for every new flag.', 'Add a new test in `opts_test.go` for every new flag.'],
    ['I am against this sorting, as we try to keep third-party imports and our own modules in separate blocks.', 'Keep third-party imports and our own modules in separate blocks'],
    ["We usually don't add type stubs for private modules.", "Don't add type stubs for private modules"],
    ['I decided to go with the NumPy docstring style.', 'Use the NumPy docstring style'],
    ['`os.path` is deprecated in favour of `pathlib`.', 'Use `pathlib` instead of `os.path`'],
    ["`print` statements don't belong in library code; use the logger.", 'Keep `print` statements out of library code'],
    ["It's generally a bad idea to catch bare exceptions.", "Don't catch bare exceptions"],
    ['Using `assert` for validation is dangerous since asserts are stripped with -O.', 'Avoid using `assert` for validation (asserts are stripped with -O)'],
    ['FWIW, f-strings are faster and more readable than `.format()`.', 'Prefer f-strings over `.format()`'],
    ['Returning an error from the handler will be more appropriate here.', 'Return an error from the handler'],
    ['I think the general Python convention is to exit the context manager as soon as possible.', 'Exit the context manager as soon as possible'],
    ["Clearly, I wouldn't use `context` as a variable name, as it shadows the import.", "Don't use `context` as a variable name, as it shadows the import"],
    ["I'd avoid bare excepts in library code.", 'Avoid bare excepts in library code'],
    ["As a general rule, I don't like complicating code for what-if scenarios.", 'Avoid complicating code for what-if scenarios'],
    ["Should the tests not be mocked out so they don't rely on the network?", "The tests should be mocked out so they don't rely on the network"],
    ["Wouldn't it be better to use a context manager for the file handle?", 'Use a context manager for the file handle'],
    ["Shouldn't we validate the input before writing it to the database?", 'Validate the input before writing it to the database'],
    ["Isn't it cleaner to raise a ValueError instead?", 'Raise a ValueError'],
    ['We like to squash-and-merge pull requests, which keeps the history linear.', 'Squash-and-merge pull requests, which keeps the history linear'],
    ["Right now we're still supporting Python 3.7, so I'm afraid we can't use walrus operators just yet.", "Don't use walrus operators (right now we're still supporting Python 3.7)"],
  ])('a rule put in words from its frame: %s', (sentence, rule) => {
    expect(pickDirective([sentence], 1.5).pick?.rule).toBe(rule);
  });

  it.each([
    'This is deprecated, use `pathlib` instead.',
    'When adding a new command-line option, add a test for it in the options tests.',
    'I think you should only return early when it is obvious why returning is correct.',
    'should be lazy loaded inside the function that needs it, otherwise the import costs every start-up',
  ])('a rule at the bar of a resolved thread: %s', (s) => {
    expect(pickDirective([s], 1.5).pick).not.toBeNull();
  });

  it.each(["I wouldn't do that.", "Shouldn't this be done in the caller?", "Can't we just be done with it?", 'Currently a contributor may need to keep their branch open for quite some time.', 'Should this not be done in the caller?', 'We try to fix this next week.', "so we can't use this until the fix lands", 'Should we add a new test in `opts_test.go`?', 'When is this called, and by whom?'])(
    'not a rule: %s',
    (s) => expect(pickDirective([s], 1.5).pick).toBeNull(),
  );

  it.each([
    ['Do we not need the parentheses for PG dialect?', 'question'],
    ['Should we make this required so it is caught at type level?', 'question'],
    ['Nice catch! 🏆', 'praise'],
    ['Good catch, thanks!', 'praise'],
    ['This looks unrelated to the PR.', 'no directive'],
    ['The `matches_input` method uses substring matching against phrases.', 'no directive'],
    ['Make sure the code passes the tests.', 'generic request'],
    ['Please check the comments in diff.', 'generic request'],
    ['Make sure this change works on Windows.', 'generic request'],
  ])('not a rule: %s', (s, reason) => {
    const r = pickDirective([s]);
    expect(r.pick).toBeNull();
    expect(r.reason).toMatch(reason);
  });

  it('penalizes local requests below the threshold: typos, reverts, this line', () => {
    expect(scoreSentence('Please fix the typo in this line.').score).toBeLessThan(2);
    expect(scoreSentence('Looks like an unrelated change. Please revert this file.').score).toBeLessThan(2);
    expect(scoreSentence('Please add tests for 0, -2, -8, 8.0, 8.1').score).toBeLessThan(2);
    expect(scoreSentence('Must have been working for many years...').cues).not.toContain('must');
  });

  it('does not count modal verbs inside quotes or capitalized priority labels', () => {
    expect(scoreSentence('Rewrite docstrings to say “the agent must activate”.').cues).not.toContain('must');
    expect(scoreSentence('Split it into its own requirement (Priority: Should).').cues).not.toContain('should');
  });

  it('adds the previous sentence when the rule leans on it', () => {
    const sentences = ['Putting the type hints into the signature lets mypy check them.', 'Please do not repeat them in the docstring.'];
    const { pick } = pickDirective(sentences);
    expect(withContext(sentences, pick!)).toBe('Putting the type hints into the signature lets mypy check them. Please do not repeat them in the docstring.');
    // A request about this PR ("… resolving them?") is no context for the rule after it.
    const asked = ['This PR has conflicts.', 'Would you mind resolving them?', 'Note: we do prefer PRs that address one topical issue at a time over conglomerates of commits to the same PR.'];
    const rule = pickDirective(asked, 1.5).pick;
    expect(rule?.index).toBe(2);
    expect(withContext(asked, rule!)).not.toMatch(/resolving/);
  });

  it('normalizes an insight: no filler, capitalized, one final period, bounded length', () => {
    expect(normalizeInsight("nit: let's use a context manager here")).toBe('Use a context manager here.');
    expect(normalizeInsight('However, for consistency it is better to use X![^1]')).toBe('For consistency it is better to use X.');
    expect(normalizeInsight('short')).toBeNull();
    // "I'd suggest breaking …" suggests "Break …".
    expect(normalizeInsight("I'd suggest breaking all lines after 90 characters")).toBe('Break all lines after 90 characters.');
    expect(normalizeInsight("I'd suggest testing is done on CI")).toBe('Testing is done on CI.');
    const long = normalizeInsight(`Use a single helper for ${'every retry path, '.repeat(30)}which keeps backoff in one place.`);
    expect(long!.length).toBeLessThanOrEqual(300);
    expect(long!.endsWith('.')).toBe(true);
  });

  it('classifies types sensibly', () => {
    expect(classifyType('Pin actions to a commit SHA in workflows.', 'ci')).toBe('operational');
    expect(classifyType('Run `ruff check --fix` before committing.', 'py')).toBe('tool');
    // Using, passing or fixing what a checker reports is one kind of lesson, however it is worded.
    expect(classifyType('Make sure the code passes ruff.', 'py')).toBe('tool');
    expect(classifyType('Use `ruff .` then `ruff . --fix` to fix ruff and pre-commit issues.', 'py')).toBe('tool');
    expect(classifyType('Use a black background for the dark theme.', 'ts')).toBe('pattern');
    expect(classifyType('Never swallow exceptions silently; it hides failures.', 'py')).toBe('pitfall');
    // A stated naming rule is a team convention that distill can surface; personal taste is a preference.
    expect(classifyType('Variable names should follow the snake_case naming convention.', 'py')).toBe('pattern');
    expect(classifyType('I prefer early returns over nested ifs.', 'py')).toBe('preference');
    expect(classifyType('Use a context manager for files.', 'py')).toBe('pattern');
    // Naming a module is not architecture; moving code between modules is.
    expect(classifyType('It is generally recommended to use the `ast` module to parse user input.', 'py')).toBe('pattern');
    expect(classifyType('Move the retry helpers into their own module.', 'py')).toBe('architecture');
    expect(classifyType('Extract the parsing code into a separate package.', 'py')).toBe('architecture');
  });
});

describe('keys and skills', () => {
  it('takes the domain from the file area, then the extension, then the words', () => {
    expect(domainFromPath('.github/workflows/ci.yml')).toBe('ci');
    expect(domainFromPath('scripts/deploy.sh')).toBe('bash');
    expect(domainFromPath('src/a.tsx')).toBe('react');
    expect(domainFromPath('v1/src/main/java/Udf.java')).toBe('java');
    expect(domainFromPath('docker/Dockerfile')).toBe('docker');
    expect(domainFromPath('README')).toBeNull();
    expect(domainFromText('In bash, quote every expansion.')).toBe('bash');
  });

  it('builds <domain>-<slug> keys from salient words, always matching the key pattern', () => {
    const key = makeKey('py', 'Use `tempfile.mkdtemp()` instead of a hardcoded `/tmp/` path.');
    expect(key).toBe('py-tempfile-mkdtemp-hardcoded-tmp');
    // Nothing Latin to build a slug from: a hash of the text, so different rules never share a key.
    expect(makeKey('docs', '!!! ??? ...')).toMatch(/^docs-rule-[0-9a-f]{8}$/);
    expect(makeKey('py', 'Всегда проверяйте коды.')).not.toBe(makeKey('py', 'Никогда не храните секреты.'));
    expect(makeKey('py', 'Всегда проверяйте коды.')).toBe(makeKey('py', 'всегда  проверяйте коды'));
    for (const k of [key, makeKey('ts', 'ユーザー 用 git -C 取代 cd')]) expect(KEY_PATTERN.test(k)).toBe(true);
  });

  it('names the subject, never the producer', () => {
    expect(skillFor('py', 'Use pytest fixtures instead of setUp.')).toBe('pytest');
    expect(skillFor('ts', 'Avoid `any` in public types.')).toBe('typescript');
  });

  it('reuses the key of a close existing lesson of the same type only', () => {
    const insight = 'Always quote variable expansions in bash scripts.';
    const pool = [
      { id: 'a', key: 'bash-quote-vars', type: 'pattern', project: 'o/r', tokens: reviewTokens('Always quote variable expansions in bash.') },
      { id: 'b', key: 'bash-other', type: 'pitfall', project: 'o/r', tokens: reviewTokens(insight) },
    ];
    expect(reuseKey('pattern', 'bash-quote-variable', insight, 'o/r', pool)?.key).toBe('bash-quote-vars');
    expect(reuseKey('tool', 'bash-quote-variable', insight, 'o/r', pool)).toBeNull();
    expect(reuseKey('pattern', 'bash-quote-variable', insight, 'o/r', pool, undefined, new Set(['a']))).toBeNull();
  });
});
