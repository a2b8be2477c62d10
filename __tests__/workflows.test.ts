/**
 * The workflows users copy (examples/workflows/*.yml) and action.yml itself, parsed with `yaml`:
 * triggers, minimal and sufficient permissions, the shared concurrency group, `with:` keys against the
 * action's inputs, workflow_dispatch inputs passed on; action.yml against the inputs the code reads and
 * the outputs it sets.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ActionInputsSchema, MODES, readActionInputs } from '../src/action/inputs.js';
import { ROOT } from './support/actionProcess.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const WORKFLOW_DIR = join(ROOT, 'examples', 'workflows');

function load(file: string): Json {
  return parseYaml(readFileSync(file, 'utf8')) as Json;
}

const action = load(join(ROOT, 'action.yml'));
const actionInputs = action.inputs as Record<string, { required?: boolean; default?: unknown; description?: string }>;
const workflows: Record<string, Json> = Object.fromEntries(
  readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => [f, load(join(WORKFLOW_DIR, f))]),
);
const capture = workflows['mycelium-capture.yml']!;
const weekly = workflows['mycelium-weekly.yml']!;

/** A step that runs this action (`owner/mycelium@ref`, or the repository itself as `./`). */
function isMyceliumStep(step: Json): boolean {
  const uses = typeof step.uses === 'string' ? step.uses : '';
  return uses === './' || /(^|\/)mycelium@[^/]+$/.test(uses);
}

function actionSteps(workflow: Json): Json[] {
  return Object.values(workflow.jobs as Record<string, Json>).flatMap((job) => ((job.steps ?? []) as Json[]).filter(isMyceliumStep));
}

/** `on:` as an object (YAML also allows a string or a list). */
function triggers(workflow: Json): Json {
  const on = workflow.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e: string) => [e, null]));
  return on as Json;
}

/** Names of `inputs.X` / `github.event.inputs.X` referenced in `${{ }}` expressions of `text`. */
function referencedInputs(text: string): string[] {
  const names: string[] = [];
  for (const expr of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
    for (const m of expr[1]!.matchAll(/(?:^|[^\w.])(?:github\.event\.)?inputs\.([A-Za-z_][\w-]*)/g)) names.push(m[1]!);
  }
  return names;
}

const WRITE_OK_SCOPES = new Set(['actions', 'contents', 'pull-requests', 'issues']);

describe('examples/workflows', () => {
  it('holds the capture and the weekly workflow, each running the action', () => {
    expect(Object.keys(workflows)).toEqual(['mycelium-capture.yml', 'mycelium-feedback.yml', 'mycelium-weekly.yml']);
    for (const wf of Object.values(workflows)) expect(actionSteps(wf).length).toBeGreaterThanOrEqual(1);
  });

  it('capture: on pull_request_target closed, and workflow_dispatch with a pr-number input', () => {
    const on = triggers(capture);
    expect(Object.keys(on).sort()).toEqual(['pull_request_target', 'workflow_dispatch']);
    expect(on.pull_request_target).toEqual({ types: ['closed'] });
    expect(Object.keys(on.workflow_dispatch.inputs)).toEqual(['pr-number']);
    expect(on.workflow_dispatch.inputs['pr-number'].required).toBe(true);
    // Closed without merging is skipped at the job, before a runner is even started (the action skips it too).
    const jobs = Object.values(capture.jobs as Record<string, Json>);
    expect(jobs).toHaveLength(1);
    expect(String(jobs[0]!.if)).toMatch(/github\.event\.pull_request\.merged\s*==\s*true/);
    expect(String(jobs[0]!.if)).toMatch(/github\.event_name\s*==\s*'workflow_dispatch'/);
    expect(actionSteps(capture).map((s) => s.with?.mode)).toEqual(['capture']);
  });

  it('weekly: a valid schedule cron and workflow_dispatch inputs', () => {
    const on = triggers(weekly);
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(on.schedule).toHaveLength(1);
    const fields = String(on.schedule[0].cron).trim().split(/\s+/);
    expect(fields).toHaveLength(5);
    const ranges: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
    fields.forEach((f, i) => {
      if (f === '*') return;
      expect(f).toMatch(/^\d+$/);
      expect(Number(f)).toBeGreaterThanOrEqual(ranges[i]![0]);
      expect(Number(f)).toBeLessThanOrEqual(ranges[i]![1]);
    });
    expect(Object.keys(on.workflow_dispatch.inputs).sort()).toEqual(['dry-run', 'min-cluster', 'since']);
    expect(actionSteps(weekly).map((s) => s.with?.mode)).toEqual(['weekly']); // one step: one database upload per run
  });

  it('feedback: on issue comments created, writes contents, pull requests and issues (SPEC §10)', () => {
    const feedback = workflows['mycelium-feedback.yml']!;
    expect(triggers(feedback)).toEqual({ issue_comment: { types: ['created'] } });
    expect(feedback.permissions).toEqual({ actions: 'read', contents: 'write', 'pull-requests': 'write', issues: 'write' });
    expect(actionSteps(feedback).map((s) => s.with?.mode)).toEqual(['feedback']);
  });

  it('permissions: capture writes nothing; weekly writes contents and issues only', () => {
    expect(capture.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'read', issues: 'read' });
    expect(weekly.permissions).toEqual({ actions: 'read', contents: 'write', 'pull-requests': 'read', issues: 'write' });
    for (const wf of [capture, weekly]) {
      for (const [scope, level] of Object.entries(wf.permissions as Record<string, string>)) {
        expect(WRITE_OK_SCOPES.has(scope)).toBe(true);
        expect(['read', 'write']).toContain(level);
      }
      // No job widens them.
      for (const job of Object.values(wf.jobs as Record<string, Json>)) expect(job.permissions).toBeUndefined();
    }
  });

  it.each(Object.keys(workflows))('%s: the README shows the file exactly as shipped', (file) => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const marker = `<!-- same as examples/workflows/${file} (a test checks) -->\n\`\`\`yaml\n`;
    const at = readme.indexOf(marker);
    expect(at).toBeGreaterThan(-1);
    const start = at + marker.length;
    const shown = readme.slice(start, readme.indexOf('\n```\n', start) + 1);
    expect(shown).toBe(readFileSync(join(WORKFLOW_DIR, file), 'utf8'));
  });

  it('share one concurrency group, on the jobs, that queues and never cancels a run in progress', () => {
    const groups: Json[] = [];
    for (const wf of Object.values(workflows)) {
      // On the job: a capture job skipped for an unmerged PR then never waits in (or fills) the queue.
      expect(wf.concurrency).toBeUndefined();
      for (const job of Object.values(wf.jobs as Record<string, Json>)) groups.push(job.concurrency as Json);
    }
    expect(groups).toHaveLength(3);
    for (const c of groups) {
      expect(c['cancel-in-progress']).toBe(false);
      expect(c.queue).toBe('max');
      expect(String(c.group)).toContain('${{ github.repository }}');
    }
    expect(new Set(groups.map((c) => c.group)).size).toBe(1);
  });

  it.each(Object.keys(workflows))('%s: every with: key is an input of action.yml, every required input is given, modes are valid', (file) => {
    for (const step of actionSteps(workflows[file]!)) {
      const given = Object.keys((step.with ?? {}) as Json);
      for (const key of given) expect({ key, declared: key in actionInputs }).toEqual({ key, declared: true });
      for (const [name, spec] of Object.entries(actionInputs)) {
        if (spec.required) expect({ name, given: given.includes(name) }).toEqual({ name, given: true });
      }
      expect(MODES).toContain(step.with.mode);
    }
  });

  it.each(Object.keys(workflows))('%s: each workflow_dispatch input is passed on to the action, and only defined ones are referenced', (file) => {
    const wf = workflows[file]!;
    const defined = Object.keys((triggers(wf).workflow_dispatch?.inputs ?? {}) as Json);
    const passed = new Set(actionSteps(wf).flatMap((s) => Object.values((s.with ?? {}) as Json).flatMap((v) => referencedInputs(String(v)))));
    for (const name of defined) expect({ name, passed: passed.has(name) }).toEqual({ name, passed: true });
    for (const name of passed) expect(defined).toContain(name);
    // An input is passed to the action input of the same name.
    for (const step of actionSteps(wf)) {
      for (const [key, value] of Object.entries((step.with ?? {}) as Json)) {
        for (const name of referencedInputs(String(value))) expect(key).toBe(name);
      }
    }
  });

  it('weekly: dry-run reaches both steps, so a dry run changes nothing anywhere', () => {
    for (const step of actionSteps(weekly)) expect(referencedInputs(String(step.with['dry-run'] ?? ''))).toEqual(['dry-run']);
  });
});

describe('action.yml', () => {
  it('runs dist/index.js on node24, and the bundle is there', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it('declares exactly the inputs the code reads, each described; only mode is required', () => {
    expect(Object.keys(actionInputs).sort()).toEqual(Object.keys(ActionInputsSchema.shape).sort());
    for (const [name, spec] of Object.entries(actionInputs)) expect({ name, described: Boolean(spec.description?.trim()) }).toEqual({ name, described: true });
    expect(Object.entries(actionInputs).filter(([, s]) => s.required).map(([n]) => n)).toEqual(['mode']);
  });

  it('has defaults the code accepts (the runner passes every default as INPUT_*)', () => {
    for (const mode of MODES) {
      const values: Record<string, string> = { mode };
      for (const [name, spec] of Object.entries(actionInputs)) {
        if (name !== 'mode') values[name] = name === 'github-token' ? 'ghs_token' : (spec.default === undefined ? '' : typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default));
      }
      const inputs = readActionInputs((name) => values[name] ?? '');
      expect(inputs).toMatchObject({ mode, 'github-token': 'ghs_token', storage: 'artifact', 'dry-run': false, 'min-cluster': 3, since: '90d', 'catch-up-days': 14 });
      expect(inputs['pr-number']).toBeUndefined();
      expect(inputs['retention-days']).toBeUndefined();
    }
    expect(actionInputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('declares every output the operations set (src/ops/), and sets every output it declares', () => {
    const dir = join(ROOT, 'src', 'ops');
    const ops = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const set = [...new Set([...ops.matchAll(/run\.setOutput\(\s*'([^']+)'/g)].map((m) => m[1]!))].sort();
    expect(set.length).toBeGreaterThan(0);
    // Every setOutput call names its output with a literal, so the list above is complete.
    expect([...ops.matchAll(/\.setOutput\(/g)].length).toBe([...ops.matchAll(/run\.setOutput\(\s*'[^']+'/g)].length);
    const declared = Object.keys(action.outputs as Json).sort();
    expect(set).toEqual(declared);
    for (const [name, spec] of Object.entries(action.outputs as Record<string, { description?: string }>)) {
      expect({ name, described: Boolean(spec.description?.trim()) }).toEqual({ name, described: true });
    }
  });
});
