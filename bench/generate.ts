/**
 * Synthetic lesson databases for the distill benchmark: deterministic (seeded), written with the project's
 * own store, with the token statistics of real review lessons:
 *
 * - a few words in nearly every lesson ("the", "use", "when", "avoid", ...) and a Zipf-like long tail over a
 *   vocabulary of tens of thousands of words; lessons of ~8–30 words;
 * - `<domain>-<slug>` keys over a few dozen skewed domain prefixes (plus a few generic ones), all 7 types
 *   skewed towards pattern/pitfall, confidence 4–9 by source, `retro_pr` over thousands of PRs, `ts` over
 *   ~120 days in capture order;
 * - about a third of the lessons on recurring topics: a topic is a set of words, a key, a type and a domain,
 *   reused with variation by several lessons across several PRs, so that real clusters and candidates form;
 * - a sprinkle of rows distill must skip: retired, parked, an unparseable `ts`.
 *
 * Run as a script (`node --import tsx bench/generate.ts --size N --out FILE`) or import {@link generateDb}.
 */
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { openDbFile, saveDbFile } from '../src/adapters/files.js';
import type { NewLesson } from '../src/core/lesson.js';
import { promptInjectionReason } from '../src/core/guard.js';
import { formatTimestamp, parseTimestamp } from '../src/core/time.js';

/** Bump when the generated data changes, so cached databases are rebuilt. */
export const GENERATOR_VERSION = 1;
export const BENCH_SEED = 0x6d79_6365; // "myce"
/** The fixed clock of every benchmark run; lessons span the {@link SPAN_DAYS} before it. */
export const BENCH_NOW = '2026-03-02T00:00:00Z';
export const SPAN_DAYS = 120;

const US_PER_DAY = 86_400_000_000;

/** sfc32: small, fast, good enough for synthetic data, and the same on every machine. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

/** Samples indices 0..n-1 with the given weights (cumulative table + binary search). */
class Weighted {
  private readonly cdf: Float64Array;
  constructor(weights: ArrayLike<number>) {
    this.cdf = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) this.cdf[i] = sum += weights[i]!;
    for (let i = 0; i < weights.length; i++) this.cdf[i]! /= sum;
  }
  sample(rng: Rng): number {
    const u = rng.next();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const zipfWeights = (n: number, s: number, q = 0): number[] => Array.from({ length: n }, (_, r) => 1 / (r + 1 + q) ** s);

/** Words in nearly every lesson, and how often (per lesson). */
const COMMON: ReadonlyArray<[string, number]> = [
  ['the', 0.75],
  ['use', 0.4],
  ['to', 0.4],
  ['when', 0.3],
  ['avoid', 0.2],
  ['in', 0.2],
  ['of', 0.14],
  ['and', 0.14],
  ['for', 0.12],
  ['instead', 0.1],
  ['is', 0.08],
  ['with', 0.07],
  ['it', 0.06],
  ['on', 0.06],
  ['not', 0.06],
  ['always', 0.05],
  ['never', 0.05],
  ['should', 0.05],
  ['this', 0.04],
  ['before', 0.04],
  ['prefer', 0.04],
  ['if', 0.04],
  ['from', 0.04],
  ['or', 0.03],
  ['so', 0.03],
];

/** The head of the content vocabulary (most frequent first); synthetic words form the long tail. */
const TECH_WORDS = `
function error file test config string type return value null async await path variable command script branch
commit merge query index table column cache request response timeout retry log env build release deploy
version import export module package dependency lint format check run job step workflow action secret token
user input output list array object map key field schema migration transaction lock connection pool thread
process memory leak loop event handler callback promise state hook component render prop context store route
api endpoint client server header status body json yaml parse serialize date time zone locale string number
integer float boolean default option flag argument parameter flags shell quote escape exit code signal pipe
stdout stderr redirect subshell glob pattern regex match replace split join trim case lower upper encode decode
utf8 bytes buffer stream read write open close delete create update insert select where order limit offset
join foreign primary unique constraint trigger view vacuum backup restore snapshot replica shard partition
docker image container volume network port host dns tls cert proxy load balancer health probe readiness
liveness pod node cluster namespace service ingress helm chart manifest terraform plan apply drift state
module provider resource output variable python venv pip poetry typing mypy pytest fixture mock patch assert
golang goroutine channel context cancel defer panic recover interface struct pointer slice generic error wrap
react hook effect memo callback ref reducer suspense hydration server client bundle chunk lazy css layout grid
flex responsive theme token design accessibility aria label focus keyboard screen reader contrast animation
docs readme changelog example tutorial reference guide link anchor heading table markdown diagram comment
review approve request changes suggestion nit thread resolve outdated label milestone issue pull draft
coverage flaky snapshot e2e integration unit benchmark profile trace metric alert dashboard incident oncall
rollback canary feature toggle experiment rollout percentage cohort region latency throughput quota rate
limit backoff jitter idempotent retryable webhook payload signature verify hash salt encrypt decrypt rotate
permission role scope grant revoke audit compliance gdpr retention archive expire ttl eviction warm cold
`
  .split(/\s+/)
  .filter(Boolean);

/** Words the prompt-injection guard reacts to stay out of the vocabulary (random text must not trip it). */
const GUARD_WORDS = new Set(['leak', 'print', 'reveal', 'exfiltrate', 'ignore', 'disregard', 'forget', 'override', 'approve', 'system', 'assistant', 'developer', 'instructions', 'new', 'real', 'updated']);

const PREFIXES: readonly string[] = [
  'ts', 'bash', 'ci', 'docs', 'sql', 'py', 'go', 'react', 'api', 'test', 'git', 'docker', 'k8s', 'infra', 'sec',
  'perf', 'db', 'css', 'node', 'rust', 'gh', 'deps', 'lint', 'build', 'release', 'auth', 'log', 'obs', 'cache',
  'net', 'ui', 'data', 'config', 'java', 'mobile', 'ml',
];
/** Keys mycelium treats as having no domain prefix. */
const GENERIC_PREFIXES: readonly string[] = ['legacy', 'lesson', 'the'];
const SKILL_OF: Readonly<Record<string, string>> = {
  ts: 'typescript', bash: 'bash', ci: 'github-actions', docs: 'docs', sql: 'sqlite', py: 'python', go: 'go',
  react: 'react', api: 'rest-api', test: 'testing', git: 'git', docker: 'docker', k8s: 'kubernetes',
  infra: 'terraform', sec: 'security', perf: 'performance', db: 'postgres', css: 'css', node: 'node',
  rust: 'rust', gh: 'github', deps: 'dependencies', lint: 'eslint', build: 'build', release: 'release',
  auth: 'auth', log: 'logging', obs: 'observability', cache: 'caching', net: 'networking', ui: 'ui',
  data: 'data', config: 'config', java: 'java', mobile: 'mobile', ml: 'ml',
};

const TYPES: readonly NewLesson['type'][] = ['pattern', 'pitfall', 'preference', 'tool', 'operational', 'architecture', 'investigation'];
const TYPE_WEIGHTS = [0.32, 0.27, 0.12, 0.1, 0.09, 0.06, 0.04];
const TOPIC_TYPE_WEIGHTS = [0.38, 0.22, 0.08, 0.13, 0.12, 0.04, 0.03];

const PROJECTS: readonly string[] = ['acme/platform', 'acme/web', 'acme/infra'];
const PROJECT_WEIGHTS = [0.82, 0.12, 0.06];

const VOCAB_SIZE = 40_000;

function buildVocabulary(rng: Rng): string[] {
  const seen = new Set<string>([...COMMON.map(([w]) => w), ...GUARD_WORDS]);
  const words: string[] = [];
  for (const w of TECH_WORDS) {
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const onsets = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'ch', 'cl', 'cr', 'dr', 'fl', 'gr', 'pl', 'pr', 'sh', 'sl', 'sp', 'st', 'str', 'th', 'tr'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
  const codas = ['', '', '', 'n', 'r', 's', 't', 'l', 'x', 'ck', 'nd', 'st'];
  while (words.length < VOCAB_SIZE) {
    const syllables = rng.int(1, 3) + (rng.chance(0.3) ? 1 : 0);
    let w = '';
    for (let s = 0; s < syllables; s++) w += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas);
    if (w.length < 3 || seen.has(w)) continue;
    seen.add(w);
    words.push(w);
  }
  return words;
}

interface Topic {
  prefix: string;
  words: string[];
  key: string;
  type: number;
  confidenceBoost: number;
}

interface Model {
  vocab: string[];
  content: Weighted;
  prefixes: Weighted;
  domainWords: Map<string, string[]>;
  types: Weighted;
  topicTypes: Weighted;
  projects: Weighted;
  topics: Topic[];
  topicPick: Weighted;
}

function slug(rng: Rng, m: Model, parts: number): string {
  const out: string[] = [];
  for (let i = 0; i < parts; i++) out.push(m.vocab[m.content.sample(rng) % 4000]!);
  return out.join('-');
}

function pickPrefix(rng: Rng, m: Model): string {
  return rng.chance(0.03) ? rng.pick(GENERIC_PREFIXES) : PREFIXES[m.prefixes.sample(rng)]!;
}

function buildModel(rng: Rng, size: number): Model {
  const vocab = buildVocabulary(rng);
  const m: Model = {
    vocab,
    content: new Weighted(zipfWeights(vocab.length, 1.05, 25)),
    prefixes: new Weighted(zipfWeights(PREFIXES.length, 0.9)),
    domainWords: new Map(),
    types: new Weighted(TYPE_WEIGHTS),
    topicTypes: new Weighted(TOPIC_TYPE_WEIGHTS),
    projects: new Weighted(PROJECT_WEIGHTS),
    topics: [],
    topicPick: new Weighted([1]),
  };
  for (const p of PREFIXES) {
    const words = [p];
    for (let i = 0; i < 5; i++) words.push(vocab[rng.int(20, 1500)]!);
    m.domainWords.set(p, words);
  }
  // About a third of the lessons are on topics; a topic recurs ~8 times on average, popular ones far more.
  const topicCount = Math.max(10, Math.round(size / 3 / 8));
  for (let t = 0; t < topicCount; t++) {
    const prefix = pickPrefix(rng, m);
    const words: string[] = [];
    const n = rng.int(5, 10);
    while (words.length < n) {
      // Topic words come from the whole tail, biased towards rarer ones: log-uniform rank in [60, VOCAB_SIZE).
      const rank = Math.floor(60 * Math.exp(rng.next() * Math.log(VOCAB_SIZE / 60)));
      const w = vocab[Math.min(rank, vocab.length - 1)]!;
      if (!words.includes(w)) words.push(w);
    }
    m.topics.push({
      prefix,
      words,
      key: `${prefix}-${words[0]}-${words[1]}`,
      type: m.topicTypes.sample(rng),
      confidenceBoost: rng.chance(0.6) ? 1 : 0,
    });
  }
  m.topicPick = new Weighted(zipfWeights(topicCount, 0.6));
  return m;
}

const SOURCES: ReadonlyArray<[NewLesson['source'], number, number]> = [
  // source, min confidence, max confidence (mycelium's rubric, before the recurrence bonus)
  ['inferred', 5, 6],
  ['user-stated', 8, 9],
  ['cross-model', 8, 8],
  ['observed', 4, 7],
];
const SOURCE_PICK = new Weighted([0.45, 0.3, 0.15, 0.1]);

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function sentence(rng: Rng, words: string[]): string {
  for (;;) {
    const text = arrange(rng, words);
    if (promptInjectionReason(text) === null) return text;
  }
}

function arrange(rng: Rng, words: string[]): string {
  shuffle(rng, words);
  const parts = words.map((w) => {
    const r = rng.next();
    if (r < 0.04) return `\`${w}()\``;
    if (r < 0.08) return `\`${w}\``;
    if (r < 0.11) return `a ${w}`; // one-letter words are not tokens
    if (r < 0.14) return `${w},`;
    return w;
  });
  const text = parts.join(' ') + '.';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Word count per lesson: 8–30, most around 12–20. */
function wordCount(rng: Rng): number {
  const u = (rng.next() + rng.next() + rng.next()) / 3; // bell-shaped on [0, 1)
  return 8 + Math.floor(22 * u ** 1.25);
}

function commonWords(rng: Rng, words: string[], scale: number): void {
  for (const [w, p] of COMMON) if (rng.chance(Math.min(0.97, p * scale))) words.push(w);
}

function contentWords(rng: Rng, m: Model, words: string[], count: number): void {
  for (let i = 0; i < count; i++) words.push(m.vocab[m.content.sample(rng)]!);
}

function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng.next() * 16)];
  return s;
}

function uuidLike(rng: Rng): string {
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[rng.int(0, 3)]}${hex(rng, 3)}-${hex(rng, 12)}`;
}

/** The lessons of a synthetic database of `size` rows, in capture order (PR by PR, oldest first). */
export function* syntheticLessons(size: number, seed = BENCH_SEED): Generator<NewLesson> {
  const rng = new Rng(seed);
  const m = buildModel(rng, size);
  const now = parseTimestamp(BENCH_NOW)!;
  const start = now - SPAN_DAYS * US_PER_DAY;
  // 1–5 lessons per PR (mean ~2.2): thousands of PRs, merged in order across the span.
  const perPr = new Weighted([0.4, 0.25, 0.15, 0.12, 0.08]);
  const span = (SPAN_DAYS - 0.2) * US_PER_DAY;
  let pr = 1000;
  let made = 0;
  while (made < size) {
    pr += rng.chance(0.15) ? 2 : 1; // some PR numbers are issues or closed PRs
    let at = start + Math.floor((made / size) * span) + rng.int(0, 3_600_000_000);
    const project = PROJECTS[m.projects.sample(rng)]!;
    const n = Math.min(size - made, perPr.sample(rng) + 1);
    const usedTopics = new Set<number>();
    for (let k = 0; k < n; k++, made++) {
      at += rng.int(1_000_000, 30_000_000) + rng.int(0, 999_999);
      const [source, cLo, cHi] = SOURCES[SOURCE_PICK.sample(rng)]!;
      let confidence = rng.int(cLo, cHi);
      const words: string[] = [];
      const target = wordCount(rng);
      let prefix: string;
      let key: string;
      let type: number;
      const topicIndex = rng.chance(0.34) ? m.topicPick.sample(rng) : -1;
      if (topicIndex >= 0 && !usedTopics.has(topicIndex)) {
        usedTopics.add(topicIndex);
        const topic = m.topics[topicIndex]!;
        prefix = topic.prefix;
        key = rng.chance(0.7) ? topic.key : `${prefix}-${topic.words[rng.int(0, topic.words.length - 1)]}-${slug(rng, m, 1)}`;
        type = rng.chance(0.8) ? topic.type : m.types.sample(rng);
        for (const w of topic.words) if (rng.chance(0.7)) words.push(w);
        commonWords(rng, words, 0.8);
        contentWords(rng, m, words, Math.max(2, target - words.length));
        confidence = Math.min(9, confidence + topic.confidenceBoost);
      } else {
        prefix = pickPrefix(rng, m);
        key = `${prefix}-${slug(rng, m, rng.int(1, 3))}`;
        type = m.types.sample(rng);
        commonWords(rng, words, 0.6 + target / 40);
        const domain = m.domainWords.get(prefix);
        if (domain) for (const w of domain) if (rng.chance(0.12)) words.push(w);
        contentWords(rng, m, words, Math.max(3, target - words.length));
      }
      let ts = formatTimestamp(at);
      if (rng.chance(0.02)) ts = ts.replace(/Z$/, ''); // mycelium-style naive (UTC) timestamps
      if (rng.chance(0.00005)) ts = 'not-a-timestamp';
      const retired = rng.chance(0.005);
      const tags = rng.chance(0.003) ? ['parked'] : rng.chance(0.05) ? [rng.pick(['flaky', 'security', 'infra'])] : [];
      const files: string[] = [];
      for (let f = rng.int(0, 2); f > 0; f--) files.push(`src/${slug(rng, m, 1)}/${slug(rng, m, 1)}.ts`);
      yield {
        id: `lsn-${uuidLike(rng)}`,
        ts,
        project,
        skill: rng.chance(0.85) ? (SKILL_OF[prefix] ?? null) : null,
        type: TYPES[type]!,
        key,
        insight: sentence(rng, words),
        confidence: Math.min(9, Math.max(4, confidence)),
        source,
        files,
        retro_pr: pr,
        tags,
        access_count: rng.int(0, 5),
        ...(retired ? { retired_at: formatTimestamp(at + US_PER_DAY), retired_reason: 'superseded' } : {}),
      };
    }
  }
}

/** Writes a synthetic database of `size` lessons to `path`; returns the file size in bytes. */
export async function generateDb(size: number, path: string, seed = BENCH_SEED): Promise<number> {
  const store = await openDbFile(path); // a missing file is a new, empty database
  try {
    if (store.count() !== 0) throw new Error(`${path} already holds lessons`);
    store.upsertLessonsBulk(syntheticLessons(size, seed));
    await saveDbFile(store, path);
  } finally {
    store.close();
  }
  return statSync(path).size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { size: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.size || !values.out) throw new Error('usage: generate.ts --size N --out FILE [--seed N]');
  const t0 = performance.now();
  const bytes = await generateDb(Number(values.size), values.out, values.seed ? Number(values.seed) : BENCH_SEED);
  process.stdout.write(
    JSON.stringify({ size: Number(values.size), bytes, seconds: (performance.now() - t0) / 1000 }) + '\n',
  );
}
