/**
 * Who wrote a comment, and may their words become a lesson (docs/trust.md, "Who may contribute a lesson").
 *
 * Three kinds of non-human accounts matter: AI reviewers (their points count only when a trusted human
 * acted on them), other bots (CI, CLA, approval notifiers: never a lesson), and unknown authors
 * (GraphQL payloads without an author field: never a lesson). Humans are trusted by author association
 * or an allow list; a deny list beats everything.
 */

export type ActorKind = 'human' | 'ai-reviewer' | 'bot' | 'unknown';

export interface Actor {
  /** The login as GitHub gave it (REST keeps the `[bot]` suffix, GraphQL drops it); null when unknown. */
  login: string | null;
  /** Lower-cased login without the `[bot]` suffix: what lists are matched against. */
  name: string | null;
  kind: ActorKind;
  /** `author_association` (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...), upper-cased; NONE when unknown. */
  association: string;
  /** May this author's own words become a lesson? Only humans, by policy; never a denied login. */
  trusted: boolean;
  /** On the deny list: neither their text nor their replies count for anything. */
  denied: boolean;
}

export interface TrustPolicy {
  /** Author associations whose comments are trusted. Default OWNER, MEMBER, COLLABORATOR. */
  associations: string[];
  /** Logins always trusted (humans), whatever their association. */
  allowLogins: string[];
  /** Logins never trusted, never counted as evidence; beats every other rule. */
  denyLogins: string[];
  /** More AI reviewer logins, on top of the built-in list. */
  aiReviewers: string[];
  /** More non-AI bot logins (CI, CLA, notifiers), on top of the built-in list. */
  bots: string[];
  /**
   * Accounts (bots included) whose machine-written `pr-retro` blocks are accepted, besides trusted humans.
   * Empty by default: an agent that posts retros under its own bot account has to be named here.
   */
  agentLogins: string[];
}

export const DEFAULT_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'] as const;

/**
 * AI code reviewers. GitHub's Copilot reviewer posts as `Copilot` (no `[bot]` suffix) on REST and as
 * `copilot-pull-request-reviewer` in GraphQL; other apps drop the suffix in GraphQL too.
 */
export const AI_REVIEWER_LOGINS: readonly string[] = [
  'copilot',
  'copilot-pull-request-reviewer',
  'copilot-swe-agent',
  'coderabbitai',
  'coderabbit',
  'chatgpt-codex-connector',
  'openai-codex',
  'cursor',
  'cursoragent',
  'greptile-apps',
  'greptileai',
  'gemini-code-assist',
  'github-code-quality',
  'sourcery-ai',
  'korbit-ai',
  'qodo-merge-pro',
  'qodo-code-review',
  'codiumai-pr-agent',
  'pr-agent',
  'ellipsis-dev',
  'bito-code-review',
  'codeant-ai',
  'devin-ai-integration',
  'amazon-q-developer',
  'claude',
  'baz-reviewer',
  'entelligence-ai-pr-reviews',
  'llamapreview',
  'graphite-app',
  'what-the-diff',
  'deepsource-io',
  'deepsource-autofix',
];

/** Bots that are not reviewers: CI, CLA checks, approval notifiers, dependency updaters, previews. */
export const OTHER_BOT_LOGINS: readonly string[] = [
  'k8s-ci-robot',
  'k8s-triage-robot',
  'k8s-infra-ci-robot',
  'openshift-ci',
  'openshift-ci-robot',
  'openshift-merge-robot',
  'istio-testing',
  'linux-foundation-easycla',
  'easycla',
  'cla-bot',
  'claassistant',
  'cla-assistant',
  'googlebot',
  'google-cla',
  'dependabot',
  'dependabot-preview',
  'renovate',
  'renovate-bot',
  'github-actions',
  'github-advanced-security',
  'codecov',
  'codecov-commenter',
  'coveralls',
  'netlify',
  'vercel',
  'sonarcloud',
  'sonarqubecloud',
  'mergify',
  'kodiakhq',
  'allcontributors',
  'all-contributors',
  'stale',
  'welcome',
  'changeset-bot',
  'pre-commit-ci',
  'codeclimate',
  'snyk-bot',
  'socket-security',
  'gitguardian',
  'imgbot',
  'restyled-io',
  'lgtm-com',
  'azure-pipelines',
  'facebook-github-bot',
  'pytorchbot',
  'pytorch-bot',
  'tensorflow-bot',
  'copybara-service',
  'bors',
  'homu',
  'rust-highfive',
  'rustbot',
  'rust-log-analyzer',
  'msftbot',
  'microsoft-github-policy-service',
  'cf-gitbot',
  'boring-cyborg',
  'probot-autolabeler',
  'algorithms-keeper',
];

/** Lower-cased, without GitHub's `[bot]` suffix. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase().replace(/\[bot\]$/, '');
}

export interface DefaultPolicyOptions extends Partial<TrustPolicy> {
  /** Also trust `CONTRIBUTOR` (someone with a merged commit in the repository). Default false. */
  includeContributors?: boolean;
}

export function defaultTrustPolicy(options: DefaultPolicyOptions = {}): TrustPolicy {
  const { includeContributors, ...rest } = options;
  const associations = rest.associations ?? [...DEFAULT_ASSOCIATIONS];
  return {
    associations: includeContributors && !associations.includes('CONTRIBUTOR') ? [...associations, 'CONTRIBUTOR'] : associations,
    allowLogins: rest.allowLogins ?? [],
    denyLogins: rest.denyLogins ?? [],
    aiReviewers: rest.aiReviewers ?? [],
    bots: rest.bots ?? [],
    agentLogins: rest.agentLogins ?? [],
  };
}

/** Fast membership tests for a policy; built once per capture. */
export class ActorClassifier {
  private readonly ai: Set<string>;
  /** AI reviewers the policy names: trusted to be AI whatever their account type (e.g. a self-hosted reviewer). */
  private readonly namedAi: Set<string>;
  private readonly bots: Set<string>;
  private readonly allow: Set<string>;
  private readonly deny: Set<string>;
  private readonly agents: Set<string>;
  private readonly associations: Set<string>;

  constructor(readonly policy: TrustPolicy) {
    const norm = (xs: readonly string[]) => new Set(xs.map(normalizeLogin));
    this.ai = norm(AI_REVIEWER_LOGINS);
    this.namedAi = norm(policy.aiReviewers);
    this.bots = norm([...OTHER_BOT_LOGINS, ...policy.bots]);
    this.allow = norm(policy.allowLogins);
    this.deny = norm(policy.denyLogins);
    this.agents = norm(policy.agentLogins);
    this.associations = new Set(policy.associations.map((a) => a.trim().toUpperCase()));
  }

  /**
   * Classifies an author. `type` is REST's `user.type` when known; `association` the comment's
   * `author_association` (absent in most GraphQL payloads, which therefore never yield trusted humans).
   */
  classify(login: string | null | undefined, type?: string | null, association?: string | null): Actor {
    const assoc = (association ?? 'NONE').trim().toUpperCase() || 'NONE';
    if (!login || !login.trim()) {
      return { login: null, name: null, kind: 'unknown', association: assoc, trusted: false, denied: false };
    }
    const name = normalizeLogin(login);
    const denied = this.deny.has(name);
    let kind: ActorKind;
    // A known AI reviewer's login only counts when the account is not a plain user: anyone can register a
    // user called `cursor` or `claude`, and an AI reviewer's point can become a lesson on weaker evidence.
    if (this.namedAi.has(name) || (this.ai.has(name) && (type ?? '').toLowerCase() !== 'user')) kind = 'ai-reviewer';
    else if (this.bots.has(name)) kind = 'bot';
    else if (/\[bot\]$/i.test(login.trim()) || (type ?? '').toLowerCase() === 'bot') kind = 'bot';
    else if (/[-_](ro)?bot$/.test(name) || /^(ro)?bot[-_]/.test(name)) kind = 'bot';
    else kind = 'human';
    const trusted = kind === 'human' && !denied && (this.allow.has(name) || this.associations.has(assoc));
    return { login, name, kind, association: assoc, trusted, denied };
  }

  /** May this author post machine-written `pr-retro` blocks? Trusted humans and the named agent accounts. */
  mayPostRetro(actor: Actor): boolean {
    if (actor.denied || actor.name === null) return false;
    return actor.trusted || this.agents.has(actor.name);
  }

  isBotLike(actor: Actor): boolean {
    return actor.kind === 'ai-reviewer' || actor.kind === 'bot';
  }
}
