/**
 * The team's loop end to end, with the bundled action run as the runner runs it (`node dist/index.js`, see
 * e2e-action.test.ts for the harness): a weekly digest over PRs merged with lesson comments → a maintainer
 * comments `/mycelium accept 1` on the digest issue → one conventions PR whose file holds the rule inside
 * Mycelium's block (every other byte unchanged) → `/mycelium accept 2` updates the same PR → a re-delivered
 * comment changes nothing → `/mycelium reject 3` → next week's digest does not propose it → an untrusted
 * commenter's command changes nothing. Each answered in one comment. Also for SKILL.md and a Cursor rule.
 *
 * `npm run bundle` builds dist/; these tests run whatever dist/ holds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BLOCK_BEGIN, BLOCK_END, ruleIdsInFile } from '../src/core/conventions.js';
import { cleanupActionProcesses, ROOT, runActionProcess, type ActionResult } from './support/actionProcess.js';
import { startAzurite, type Azurite } from './support/azurite.js';
import { installActionsDouble, runtimeTokenFor, type ActionsDouble } from './support/doubleActions.js';
import { installFeedbackRoutes, type FeedbackDouble } from './support/doubleFeedback.js';
import { installRepoRoutes, openapiProblems, type RepoDouble } from './support/doubleRepo.js';
import { restUser, startGitHubDouble, type GitHubDouble, type Json } from './support/githubDouble.js';

const TOKEN = 'ghs_e2eFeedbackToken';
const HOUR = 3_600_000;
const CONVENTIONS_BRANCH = 'mycelium/conventions';
const STATE_BRANCH = 'mycelium-state';

let github: GitHubDouble;
let blobs: Azurite;
let actions: ActionsDouble;
let repos: RepoDouble;
let fb: FeedbackDouble;
let serverUrl: string;

const ACTION_INPUTS = (parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> }).inputs;

beforeAll(async () => {
  github = await startGitHubDouble();
  blobs = await startAzurite();
  actions = installActionsDouble(github, blobs, { retentionDays: 90 });
  repos = installRepoRoutes(github);
  fb = installFeedbackRoutes(github, repos);
  serverUrl = `http://github.localhost:${new URL(github.url).port}`;
}, 60_000);

afterAll(async () => {
  cleanupActionProcesses();
  await github?.close();
  await blobs?.stop();
});

afterEach(() => {
  expect(github.internalErrors).toEqual([]);
  expect(openapiProblems(repos.responses)).toEqual([]);
});

async function runAction(full: string, withInputs: Record<string, string>, eventName: string, event: Json): Promise<ActionResult> {
  const run = actions.addRun({ repo: full, event: eventName });
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ACTION_INPUTS)) inputs[name] = name === 'github-token' ? TOKEN : spec.default === undefined ? '' : (typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default));
  const r = await runActionProcess({
    inputs: { ...inputs, ...withInputs },
    event,
    env: {
      GITHUB_REPOSITORY: full,
      GITHUB_REPOSITORY_OWNER: full.split('/')[0]!,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_API_URL: github.url,
      GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: String(run.attempt),
      GITHUB_RUN_NUMBER: String(run.runNumber),
      GITHUB_WORKFLOW: 'Mycelium',
      GITHUB_JOB: 'mycelium',
      GITHUB_ACTION: 'mycelium',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: run.headSha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RETENTION_DAYS: '90',
      ACTIONS_RUNTIME_TOKEN: runtimeTokenFor(run),
      ACTIONS_RESULTS_URL: `${github.url}/`,
    },
  });
  if (r.code !== 0) throw new Error(`exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

const recentIso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Theme {
  key: string;
  skill: string;
  insights: string[];
}

const THEMES: Theme[] = [
  { key: 'bash-git-dash-c', skill: 'bash', insights: ['Use git -C <dir> instead of cd <dir> && git in shell scripts.', 'Use git -C <dir> rather than cd <dir> && git in our shell scripts.', 'In shell scripts use git -C <dir> instead of cd <dir> then git.'] },
  { key: 'py-pathlib-paths', skill: 'python', insights: ['Use pathlib.Path instead of os.path.join for file paths in Python code.', 'Use pathlib.Path rather than os.path.join for file paths in our Python code.', 'In Python code use pathlib.Path instead of os.path.join for file paths.'] },
  { key: 'ts-unknown-not-any', skill: 'typescript', insights: ['Use unknown instead of any for values of unknown type in TypeScript code.', 'Use unknown rather than any for values of unknown type in our TypeScript code.', 'In TypeScript code use unknown instead of any for values of unknown type.'] },
];

let commentId = 5_200_000_000;
function lessonPr(full: string, n: number, theme: Theme, insight: string, msAgo: number): void {
  const at = recentIso(msAgo);
  const id = commentId++;
  github.addPull(full, {
    number: n,
    title: `Change ${n}`,
    issue_comments: [
      {
        id,
        node_id: `IC_${id}`,
        url: `https://api.github.com/repos/${full}/issues/comments/${id}`,
        html_url: `https://github.com/${full}/pull/${n}#issuecomment-${id}`,
        issue_url: `https://api.github.com/repos/${full}/issues/${n}`,
        user: restUser('maintainer-ana'),
        author_association: 'MEMBER',
        performed_via_github_app: null,
        created_at: recentIso(msAgo + 60_000),
        updated_at: recentIso(msAgo + 60_000),
        body: ['Thanks, merging.', '', '```lesson', `key: ${theme.key}`, 'type: pattern', `skill: ${theme.skill}`, insight, '```'].join('\n'),
      },
    ],
    pullOverrides: { merged_at: at, closed_at: at, updated_at: at },
  });
}

let issueCommentExample: Json | undefined;
function issueCommentEvent(full: string, issue: Json, comment: Json): Json {
  if (!issueCommentExample) {
    const all = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples'), 'utf8')) as Array<{ name: string; examples: Json[] }>;
    issueCommentExample = all.find((e) => e.name === 'issue_comment')!.examples.find((e) => e.action === 'created')!;
  }
  const [owner, name] = full.split('/');
  const event = structuredClone(issueCommentExample);
  return { ...event, action: 'created', issue: structuredClone(issue), comment, repository: github.repo(owner!, name!)!.repo, sender: comment.user };
}

function digestIssue(full: string): Json {
  const found = repos.issues(full).filter((i) => !i.pull_request && /^<!-- mycelium-digest:/.test(String(i.body)));
  return found[found.length - 1]!;
}

const openPrs = (full: string): Json[] => {
  const [owner, name] = full.split('/');
  return [...github.repo(owner!, name!)!.pulls.values()].map((p) => p.pull).filter((p) => p.state === 'open' && p.head.ref === CONVENTIONS_BRANCH);
};

const replies = (full: string, issue: number): Json[] => fb.commentsOn(full, issue).filter((c) => c.user.login === 'github-actions[bot]');

async function setUpDigest(full: string, agentsText: string | null, firstPr = 11): Promise<{ issue: Json; summary: string }> {
  repos.addRepo(full, { files: { 'README.md': `# ${full}\n`, ...(agentsText !== null ? { 'AGENTS.md': agentsText } : {}) } });
  let n = firstPr;
  THEMES.forEach((theme, t) => theme.insights.forEach((insight, i) => lessonPr(full, n++, theme, insight, (10 - t - i) * HOUR)));
  const r = await runAction(full, { mode: 'distill' }, 'schedule', { schedule: '23 6 * * 1' });
  expect(r.outputs).toMatchObject({ 'candidate-count': '3', 'digest-action': 'created' });
  fb.setPermission(full, 'maintainer-ana', 'maintain');
  fb.setPermission(full, 'mallory', 'read');
  return { issue: digestIssue(full), summary: r.summary };
}

async function comment(full: string, issue: Json, login: string, body: string, withInputs: Record<string, string> = {}): Promise<{ r: ActionResult; comment: Json }> {
  const c = fb.addComment(full, issue.number, login, body, login === 'mallory' ? 'CONTRIBUTOR' : 'MEMBER');
  const r = await runAction(full, { mode: 'feedback', ...withInputs }, 'issue_comment', issueCommentEvent(full, issue, c));
  return { r, comment: c };
}

describe('the loop: digest → accept → one PR → accept → reject → next digest → untrusted', () => {
  const FULL = 'acme-loop/app';
  const AGENTS = '# Team rules\r\n\r\nBe kind in review.\r\n';
  let issue: Json;

  beforeAll(async () => {
    ({ issue } = await setUpDigest(FULL, AGENTS));
  }, 120_000);

  it('the digest issue holds a rule, its evidence and how to decide, per candidate', () => {
    for (const n of [1, 2, 3]) {
      expect(issue.body).toContain(`### ${n}. `);
      expect(issue.body).toContain(`\`/mycelium accept ${n}\``);
    }
    expect(issue.body).toContain('**Rule:** Use ');
    expect(issue.body).toMatch(/\*\*Evidence:\*\* 3 lessons from 3 PRs: \[#\d+\]\(http:\/\/github\.localhost:\d+\/acme-loop\/app\/pull\/\d+\)/);
    expect(issue.body).not.toContain('new evidence');
  });

  it('/mycelium accept 1: one PR whose AGENTS.md holds the rule inside the block, the rest byte for byte; one reply', async () => {
    const { r, comment: c } = await comment(FULL, issue, 'maintainer-ana', 'Looks right.\n/mycelium accept 1');
    expect(r.outputs['feedback-action']).toBe('applied');
    const prs = openPrs(FULL);
    expect(prs).toHaveLength(1);
    expect(r.outputs['conventions-pr-number']).toBe(String(prs[0]!.number));
    const file = repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md')!;
    expect(file.startsWith(AGENTS)).toBe(true);
    expect(file).toContain(BLOCK_BEGIN);
    expect(file).toContain(BLOCK_END);
    expect(ruleIdsInFile(file)).toHaveLength(1);
    expect(file.replace(/\r\n/g, '')).not.toContain('\n'); // CRLF kept
    expect(repos.file(FULL, 'main', 'AGENTS.md')).toBe(AGENTS); // nothing reaches the default branch without the PR
    const reply = replies(FULL, issue.number);
    expect(reply).toHaveLength(1);
    expect(reply[0]!.body).toContain(`<!-- mycelium-reply:${c.id} -->`);
    expect(reply[0]!.body).toContain('- Accepted 1. ');
    expect(reply[0]!.body).toContain(`Opened the conventions pull request: ${prs[0]!.html_url}`);
  }, 60_000);

  it('/mycelium accept 2 updates the same PR; a re-delivered comment changes nothing', async () => {
    const before = openPrs(FULL)[0]!.number;
    const { r, comment: c } = await comment(FULL, issue, 'maintainer-ana', '/mycelium accept 2');
    expect(openPrs(FULL).map((p) => p.number)).toEqual([before]);
    expect(r.outputs['conventions-pr-number']).toBe(String(before));
    const file = repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md')!;
    expect(ruleIdsInFile(file)).toHaveLength(2);
    expect(file.startsWith(AGENTS)).toBe(true);
    expect(replies(FULL, issue.number).at(-1)!.body).toContain('Updated the conventions pull request');

    const again = await runAction(FULL, { mode: 'feedback' }, 'issue_comment', issueCommentEvent(FULL, issue, c));
    expect(again.outputs['feedback-action']).toBe('already-handled');
    expect(replies(FULL, issue.number)).toHaveLength(2);
    expect(repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md')).toBe(file);
  }, 60_000);

  it('/mycelium reject 3: recorded with its reason, in decisions.json on the state branch', async () => {
    const { r } = await comment(FULL, issue, 'maintainer-ana', '/mycelium reject 3 not our convention');
    expect(r.outputs['feedback-action']).toBe('applied');
    expect(replies(FULL, issue.number).at(-1)!.body).toContain('(not our convention): it will not be proposed again.');
    const decisions = JSON.parse(repos.file(FULL, STATE_BRANCH, 'decisions.json')!) as Json;
    expect(decisions.decisions.map((d: Json) => [d.decision, d.by])).toEqual([
      ['accept', 'maintainer-ana'],
      ['accept', 'maintainer-ana'],
      ['reject', 'maintainer-ana'],
    ]);
    expect(decisions.decisions[2].reason).toBe('not our convention');
    expect(ruleIdsInFile(repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md')!)).toHaveLength(2);
  }, 60_000);

  it("next week's digest does not propose the rejected candidate again (new evidence or not)", async () => {
    lessonPr(FULL, 40, THEMES[2]!, 'Use unknown instead of any for values of unknown type in TypeScript modules.', HOUR / 2);
    const r = await runAction(FULL, { mode: 'distill' }, 'schedule', { schedule: '23 6 * * 1' });
    expect(r.outputs['candidate-count']).toBe('0');
    expect(r.summary).toContain("Not proposed again: 1 candidates made mostly of a rejected candidate's lessons");
    expect(repos.issues(FULL).filter((i) => !i.pull_request && /^<!-- mycelium-digest:/.test(String(i.body)))).toHaveLength(1);
  }, 60_000);

  it("an untrusted commenter's command changes nothing, with a polite reply", async () => {
    const file = repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md');
    const decisions = repos.file(FULL, STATE_BRANCH, 'decisions.json');
    const { r } = await comment(FULL, issue, 'mallory', '/mycelium accept 3\n/mycelium retire lsn-anything');
    expect(r.outputs['feedback-action']).toBe('untrusted');
    expect(replies(FULL, issue.number).at(-1)!.body).toMatch(/people with write access.*nothing was changed/s);
    expect(repos.file(FULL, CONVENTIONS_BRANCH, 'AGENTS.md')).toBe(file);
    expect(repos.file(FULL, STATE_BRANCH, 'decisions.json')).toBe(decisions);
    expect(openPrs(FULL)).toHaveLength(1);
  }, 60_000);
});

describe.each([
  ['skills/team-conventions/SKILL.md', /^---\nname: team-conventions\ndescription: .+\n---\n/],
  ['.cursor/rules/review.mdc', /^---\ndescription: .+\nglobs:\nalwaysApply: true\n---\n/],
])('target %s', (target, frontMatter) => {
  const FULL = `acme-${target.includes('SKILL') ? 'skill' : 'cursor'}/app`;
  let issue: Json;

  beforeAll(async () => {
    ({ issue } = await setUpDigest(FULL, null));
  }, 120_000);

  it('accept 1 creates the file with its front matter in one PR; accept 2 updates the same PR', async () => {
    const first = await comment(FULL, issue, 'maintainer-ana', '/mycelium accept 1', { 'conventions-file': target });
    expect(first.r.outputs['feedback-action']).toBe('applied');
    const text = repos.file(FULL, CONVENTIONS_BRANCH, target)!;
    expect(text).toMatch(frontMatter);
    expect(ruleIdsInFile(text)).toHaveLength(1);
    const pr = openPrs(FULL);
    expect(pr).toHaveLength(1);
    await comment(FULL, issue, 'maintainer-ana', '/mycelium accept 2', { 'conventions-file': target });
    expect(openPrs(FULL).map((p) => p.number)).toEqual([pr[0]!.number]);
    const after = repos.file(FULL, CONVENTIONS_BRANCH, target)!;
    expect(ruleIdsInFile(after)).toHaveLength(2);
    expect(after.startsWith(text.slice(0, text.indexOf(BLOCK_BEGIN)))).toBe(true);
    expect(replies(FULL, issue.number)).toHaveLength(2);
  }, 120_000);
});
