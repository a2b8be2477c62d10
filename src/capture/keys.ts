/**
 * Keys and skills. A key is `<domain>-<slug>`: the domain comes from the file the point is about (its
 * extension or area) or, without a file, from the words of the rule; the slug from the rule's salient
 * words. A new lesson close to an existing one (same type, similar insight) takes over its key, so
 * recurrence and distill's clustering converge across PRs.
 */
import { KEY_PATTERN, type LessonType } from '../core/lesson.js';
import { reviewTokens } from '../core/reviewTokens.js';
import { jaccard, keyPrefix } from '../core/text.js';

const EXTENSION_DOMAIN: Record<string, string> = {
  sh: 'bash', bash: 'bash', zsh: 'bash', ksh: 'bash', bats: 'bash',
  ts: 'ts', mts: 'ts', cts: 'ts',
  tsx: 'react', jsx: 'react',
  js: 'js', mjs: 'js', cjs: 'js',
  py: 'py', pyi: 'py', pyx: 'py', ipynb: 'py',
  java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', groovy: 'groovy', gradle: 'gradle',
  go: 'go', rs: 'rust', rb: 'ruby', php: 'php', cs: 'csharp', fs: 'fsharp', vb: 'vb',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
  swift: 'swift', m: 'objc', mm: 'objc', dart: 'dart', lua: 'lua', r: 'r', jl: 'julia', ex: 'elixir', exs: 'elixir',
  erl: 'erlang', hs: 'haskell', clj: 'clojure', ml: 'ocaml', zig: 'zig', nim: 'nim', pl: 'perl', pm: 'perl',
  sql: 'sql', prisma: 'sql',
  md: 'docs', mdx: 'docs', rst: 'docs', adoc: 'docs', txt: 'docs',
  css: 'css', scss: 'css', sass: 'css', less: 'css', html: 'html', htm: 'html', vue: 'vue', svelte: 'svelte',
  tf: 'terraform', tfvars: 'terraform', hcl: 'terraform', nix: 'nix',
  yml: 'yaml', yaml: 'yaml', json: 'json', toml: 'toml', ini: 'config', cfg: 'config', conf: 'config', xml: 'xml',
  proto: 'proto', graphql: 'graphql', gql: 'graphql',
};

const DOMAIN_SKILL: Record<string, string> = {
  bash: 'bash', ts: 'typescript', react: 'react', js: 'javascript', py: 'python', java: 'java', kotlin: 'kotlin',
  scala: 'scala', go: 'go', rust: 'rust', ruby: 'ruby', php: 'php', csharp: 'csharp', c: 'c', cpp: 'cpp',
  swift: 'swift', sql: 'sql', docs: 'documentation', ci: 'github-actions', docker: 'docker', k8s: 'kubernetes',
  terraform: 'terraform', yaml: 'yaml', json: 'json', toml: 'toml', css: 'css', html: 'html', vue: 'vue',
  make: 'make', proto: 'protobuf', graphql: 'graphql',
};

/** The domain of a file path: its area first (CI workflows, Dockerfiles), then its extension. */
export function domainFromPath(path: string | null | undefined): string | null {
  if (!path) return null;
  const p = path.replace(/\\/g, '/').toLowerCase();
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/(^|\/)\.github\/(workflows|actions)\//.test(p) || base === 'action.yml' || base === 'action.yaml' || /(^|\/)\.(gitlab-ci|travis|circleci)/.test(p))
    return 'ci';
  if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile') || /^(docker-)?compose\.ya?ml$/.test(base)) return 'docker';
  if (base === 'makefile' || base.endsWith('.mk')) return 'make';
  if (/(^|\/)(k8s|kubernetes|helm|charts)\//.test(p) && /\.ya?ml$/.test(base)) return 'k8s';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return EXTENSION_DOMAIN[base.slice(dot + 1)] ?? null;
}

const TEXT_DOMAINS: ReadonlyArray<[RegExp, string]> = [
  [/\b(github actions?|workflows?|ci (jobs?|pipelines?|runs?|steps?)|pipelines?|third-party actions?|actions\/[\w-]+@|runs-on|runners?)\b/i, 'ci'],
  [/\b(dockerfile|docker|container image)\b/i, 'docker'],
  [/\b(kubernetes|k8s|helm|kubectl)\b/i, 'k8s'],
  [/\b(bash|shell script|shellcheck|posix sh)\b/i, 'bash'],
  [/\b(typescript|tsconfig|tsc)\b/i, 'ts'],
  [/\b(react|jsx|tsx|hooks?)\b/i, 'react'],
  [/\b(python|pytest|pip|django|flask|fastapi|numpy|pandas|docstrings?|pep ?8)\b/i, 'py'],
  [/\b(sql|queries|query|postgres(ql)?|mysql|sqlite|spanner)\b/i, 'sql'],
  [/\b(java|junit|maven|gradle|spring)\b/i, 'java'],
  [/\b(golang|go module|gofmt)\b/i, 'go'],
  [/\b(rust|cargo|clippy)\b/i, 'rust'],
  [/\b(readme|documentation|docs|changelog|markdown)\b/i, 'docs'],
];

/**
 * Areas of practice that many rules share whatever the language: a rule about naming in Python and one in
 * TypeScript are one convention. As key prefixes they let distill's prefix rule join rewordings of one
 * practice, where a language prefix would put every rule of a Python repository under `py-`.
 */
const TOPIC_DOMAINS: ReadonlyArray<[RegExp, string]> = [
  [/\b(snake[_ ]?case|camel[_ ]?case|pascal[_ ]?case|cap ?words|kebab[_ ]?case|upper[_ ]?case|lower[_ ]?case)\b/i, 'casing'],
  [/\b(naming|descriptive|(variable|function|class|method|parameter|argument|file|module) names?|single[- ]letters?|abbreviat\w+)\b/i, 'naming'],
  [/\b(type[ -]?hints?|type annotations?|annotat\w+|return types?|typing|mypy|pyright|type[ -]?check\w*)\b/i, 'typing'],
  [/\b(doctests?)\b/i, 'doctest'],
  [/\b(docstrings?)\b/i, 'docstring'],
  [/\b(unit tests?|tests?|testing|test cases?|fixtures?|pytest|coverage|regression tests?)\b/i, 'tests'],
  [/\b(documentation|document\w*|readme|changelog|release notes)\b/i, 'docs'],
  [/\b(comments?)\b/i, 'comments'],
  [/\b(exceptions?|raise|raising|error handling|error messages?|try\s*\/\s*except|try[- ]except|catch\w*)\b/i, 'errors'],
  [/\b(log|logs|logging|loggers?|log messages?|warnings?)\b/i, 'logging'],
  [/\b(secrets?|credentials?|injection|sanitiz\w+|escap\w+|tls|ssl|permissions?|security)\b/i, 'security'],
  [/\b(line length|line limit|characters per line|\d+[- ]?char\w*|wrap\w*)\b/i, 'lines'],
  [/\b(lint\w*|pre-commit|format\w*|ruff|flake8|black|prettier|eslint)\b/i, 'lint'],
  [/\b(imports?)\b/i, 'imports'],
  [/\b(unrelated changes|(this|the|a|each) pr|pull requests?|commit messages?|separate prs?)\b/i, 'pr'],
  [/\b(debug\w*|print statements?|leftover\w*)\b/i, 'debug'],
  [/\b(dependenc(y|ies)|pin(ned|ning)? (versions?|dependencies)|lock ?files?|requirements\.txt)\b/i, 'deps'],
];

/** The area of practice a rule is about (naming, typing, tests, docs, errors, ...), or null. */
export function topicFromText(text: string): string | null {
  for (const [re, d] of TOPIC_DOMAINS) if (re.test(text)) return d;
  return null;
}

export function domainFromText(text: string): string | null {
  for (const [re, d] of TEXT_DOMAINS) if (re.test(text)) return d;
  return null;
}

/** Frameworks and tools that are a better `skill` than the bare language when the rule names them. */
const SUBJECTS: ReadonlyArray<[RegExp, string]> = [
  [/\bdjango\b/i, 'django'], [/\bflask\b/i, 'flask'], [/\bfastapi\b/i, 'fastapi'], [/\bpytest\b/i, 'pytest'],
  [/\bnumpy\b|\bnp\.\w/i, 'numpy'], [/\bpandas\b|\bpd\.\w/i, 'pandas'], [/\bpydantic\b/i, 'pydantic'],
  [/\bsqlalchemy\b/i, 'sqlalchemy'], [/\basyncio\b/i, 'asyncio'], [/\bhttpx\b/i, 'httpx'],
  [/\b(pytorch|torch)\b/i, 'pytorch'], [/\btensorflow\b/i, 'tensorflow'], [/\bkeras\b/i, 'keras'], [/\bjax\b/i, 'jax'],
  [/\bjest\b/i, 'jest'], [/\bvitest\b/i, 'vitest'], [/\bnext\.?js\b/i, 'nextjs'], [/\bexpress\b/i, 'express'],
  [/\bjunit\b/i, 'junit'], [/\bspring\b/i, 'spring'], [/\bspanner\b/i, 'spanner'], [/\bpostgres(ql)?\b/i, 'postgresql'],
  [/\bredis\b/i, 'redis'], [/\bkafka\b/i, 'kafka'], [/\bgraphql\b/i, 'graphql'], [/\bgrpc\b/i, 'grpc'],
  [/\bterraform\b/i, 'terraform'], [/\bkubernetes\b|\bk8s\b/i, 'kubernetes'], [/\bdocker\b/i, 'docker'],
  [/\bgithub actions?\b/i, 'github-actions'], [/\bgit\b/i, 'git'], [/\bregex(es|p)?\b|\bregular expressions?\b/i, 'regex'],
  [/\b(three\.js|threejs|react-three-fiber|r3f)\b/i, 'three.js'], [/\bkicad\b/i, 'kicad'],
];

/** The subject of a rule: a framework or tool it names, else the language or area of its domain. */
export function skillFor(domain: string, insight: string): string | null {
  for (const [re, s] of SUBJECTS) if (re.test(insight)) return s;
  return DOMAIN_SKILL[domain] ?? (domain === 'general' ? null : domain);
}

const STOP = new Set(
  `a an the of to in on for with and or but is are be been being it its this that these those as at by from if
  when so not no do does did don doesn didn we you i our your their they them he she my me us can could would will
  shall may might must should please use using used uses always never prefer preferred avoid instead rather than
  make sure ensure need needs needed have has had also just only more less very any all each every some other
  same new one there here which what why how where who then else into about like over under via per eg ie etc
  vs let lets add added keep consider instead better best way ways thing things something code case cases
  because since otherwise whenever while than too still already yet even such whether either neither both really
  actually probably maybe rule rules good bad nice well done e g i.e correct correctly properly proper
  explicitly explicit specific specifically clearly clear`
    .split(/\s+/)
    .filter(Boolean),
);

const DOMAIN_WORDS: Record<string, string[]> = {
  py: ['python', 'py'], ts: ['typescript', 'ts'], bash: ['bash', 'shell', 'sh'], js: ['javascript', 'js'],
  docs: ['doc', 'docs'], ci: ['ci'], sql: ['sql'], java: ['java'], go: ['go', 'golang'], rust: ['rust'], react: ['react'],
};

/** Up to `n` salient words of the insight, in order: no stop words, no domain name, no bare numbers. */
export function salientWords(insight: string, domain: string, n = 4): string[] {
  const skip = new Set(DOMAIN_WORDS[domain] ?? [domain]);
  const out: string[] = [];
  for (const w of insight.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? []) {
    if (w.length < 2 || STOP.has(w) || skip.has(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length === n) break;
  }
  return out;
}

export function sanitizeKey(key: string): string {
  return key
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * `<domain>-<slug>` from the rule's salient words. With no Latin word to use (a rule written in Cyrillic,
 * say) the slug is `rule-<hash of the text>`: two different rules must not share a key, since a shared key
 * means "the same lesson" to the duplicate check and to recurrence.
 */
export function makeKey(domain: string, insight: string): string {
  let slug = '';
  for (const w of salientWords(insight, domain)) {
    const next = slug ? `${slug}-${w}` : w.slice(0, 48);
    if (next.length > 48) break;
    slug = next;
  }
  const fallback = `${domain}-rule-${textHash(insight)}`;
  const key = sanitizeKey(slug ? `${domain}-${slug}` : fallback);
  return KEY_PATTERN.test(key) ? key : fallback;
}

/** 8 hex digits of FNV-1a over the text's letters and digits, lower-cased: stable across spacing and punctuation. */
function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')) {
    h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface KeyCandidate {
  id: string;
  key: string;
  type: string;
  project: string;
  /** The lesson's review tokens (see core/reviewTokens.ts). */
  tokens: ReadonlySet<string>;
}

export interface KeyReuseOptions {
  /** Jaccard at or above which a same-type lesson with the same key prefix lends its key. Default 0.34. */
  samePrefix: number;
  /** Jaccard needed when the prefixes differ. Default 0.5. */
  otherPrefix: number;
}

export const DEFAULT_KEY_REUSE: KeyReuseOptions = { samePrefix: 0.34, otherPrefix: 0.5 };

/**
 * The key of the closest existing lesson of the same type, when close enough; ties go to the same
 * project, then to the smaller key (deterministic). `exclude` skips ids (the lesson itself on recapture).
 */
export function reuseKey(
  type: LessonType,
  key: string,
  insight: string,
  project: string,
  pool: readonly KeyCandidate[],
  opts: KeyReuseOptions = DEFAULT_KEY_REUSE,
  exclude: ReadonlySet<string> = new Set(),
): { key: string; similarity: number; from: string } | null {
  const tokens = reviewTokens(insight);
  const prefix = keyPrefix(key);
  let best: { key: string; similarity: number; from: string; sameProject: boolean } | null = null;
  for (const c of pool) {
    if (c.type !== type || exclude.has(c.id)) continue;
    // Review tokens: a key is never lent without a shared content word (stop words alone do not count).
    const sim = jaccard(tokens, c.tokens);
    if (sim === 0) continue;
    const bar = prefix !== null && keyPrefix(c.key) === prefix ? opts.samePrefix : opts.otherPrefix;
    if (sim < bar) continue;
    const sameProject = c.project === project;
    if (
      !best ||
      sim > best.similarity ||
      (sim === best.similarity && sameProject && !best.sameProject) ||
      (sim === best.similarity && sameProject === best.sameProject && c.key < best.key)
    )
      best = { key: c.key, similarity: sim, from: c.id, sameProject };
  }
  return best ? { key: best.key, similarity: best.similarity, from: best.from } : null;
}
