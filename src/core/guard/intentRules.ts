/**
 * Harm by intent rather than by command: what a text asks an AI reader, a pipeline or a teammate to do.
 * Each shape pairs a concept with an object (an agent with a harmful act, a secret with a place it leaks to,
 * a safety control with its removal), so paraphrases of one idea need no list of their own.
 * Data only; patterns.ts runs them (a negation earlier in the clause lets a rule pass). Every span is bounded.
 */
import type { Rule } from './harmRules.js';
import type { Hit } from './words.js';

/** An AI reader named as such. */
const AI_READER =
  /\b(?:bot\s+instructions?|ai|llms?|llm-based|language\s+models?|any\s+models?|agents?|assistants?|copilot|claude|cursor|codex|gemini|chatgpt|gpt-?\w*|devin)\b/;
/** Acts an agent must not take on a commenter's word; a negation before them makes a safe rule. */
const AGENT_ACTS =
  /\b(?:approv\w*\s+(?:it|this|them|the\s+pr|prs|pull\s+requests?|every|all|any)\b|as\s+approved\b|(?:self-)?merg\w*\s+(?:it|this|them|the\s+pr|prs|pull\s+requests?|every|all|any|once|when|without|anyway|yourself)\b|dismiss\w*\s+(?:\S+\s+){0,2}?(?:reviews?|change\s+requests?|approvals?)\b|transfer\w*\s+(?:this|the)\s+(?:repo|repository|ownership|org)\w*|grant\w*\s+(?:\S+\s+){0,3}?(?:access|admin|write|permissions?|collaborator)\b|add\w*\s+(?:\S+\s+){0,2}?(?:as\s+(?:a\s+)?)?(?:collaborator|admin|owner)s?\b|deny|denies|lie|lies|mislead\w*|reassur\w*|(?:conceal|hide)\w*\s+(?:\S+\s+){0,4}?from\s+(?:the\s+)?(?:users?|reviewers?|maintainers?|humans?|owners?)|push\w*\s+(?:\S+\s+){0,2}?(?:to\s+)?(?:main|master|prod\w*|release)\b|force-push\w*|delete\w*\s+(?:\S+\s+){0,2}?(?:codeowners|security|tests?|branch\s+protection|history|logs?|audit)|remove\w*\s+(?:\S+\s+){0,2}?(?:codeowners|security\.md|security\s+policy|disclosure|protections?|audit)|drop\w*\s+(?:\S+\s+){0,3}?(?:entry|note|mention)\s+(?:about|of|for)\b|stop\s+asking|mark\w*\s+(?:\S+\s+){0,2}?(?:as\s+)?approved|close\w*\s+(?:any|all|every)\s+(?:\S+\s+){0,3}?(?:issues?|prs?|alerts?|reports?)|push\w*\s+(?:\S+\s+){0,4}?directly|push\w*\s+(?:all|every)\s+(?:branches|tags|refs)|add\w*\s+(?:my|our|this|a)\s+(?:\S+\s+)?(?:fork|remote)\b|install\w*\s+(?:\S+\s+){0,4}?from\s+(?:https?:|\S+\.(?:io|com|net|org|biz|xyz|top))|edit\w*\s+(?:the\s+)?expected\s+(?:values?|output)|send\w*\s+(?:the\s+)?(?:repo(?:sitory)?|source|codebase)|treat\s+(?:\S+\s+){0,4}?as\s+(?:if\s+it\s+came\s+from\s+)?(?:the\s+)?(?:repo(?:sitory)?\s+)?(?:owner|maintainer|admin))/g;
/** Keeping things from the people the agent works for: negative by nature, so no negation lets it pass. */
const AGENT_DECEIT =
  /\b(?:(?:don't|do\s+not|never)\s+(?:report|mention|tell|disclose|surface|flag)\b|without\s+(?:reading|review\w*|asking|telling|confirmation|looking|prompting|notifying|informing)\b|(?:don't|do\s+not|never)\s+(?:point\s+(?:\S+\s+)?out|leave\s+a\s+comment|explain|bring\s+(?:\S+\s+)?up|call\s+(?:\S+\s+)?out)\b|even\s+if\s+you\s+(?:didn't|did\s+not|haven't)\s+read|must\s+not\s+see\b|never\s+(?:surfac\w*|reveal\w*)\b|(?:user|human|reviewer)s?\s+(?:must|should)\s+not\s+(?:see|know)\b)/;

/** "a human still has to approve": the act is a person's, not the agent's. */
const PERSON_SUBJECT = /\b(?:humans?|persons?|people|maintainers?|someone|reviewers?|owners?|team\s+members?)\b[^,;]{0,30}$/;

/** A sentence that names an AI reader and asks it for a harmful or deceitful act. */
export function agentIntent(latin: string, negated: (text: string, at: number) => boolean): Hit | null {
  if (!AI_READER.test(latin)) return null;
  for (const sentence of latin.split(/(?<=[.!?])\s+|\n+/)) {
    const reader = AI_READER.exec(sentence);
    if (!reader) continue;
    if (AGENT_DECEIT.test(sentence)) return { family: 'agent-address', reason: 'asks an AI reader to keep things from its users' };
    AGENT_ACTS.lastIndex = 0;
    for (let m = AGENT_ACTS.exec(sentence); m; m = AGENT_ACTS.exec(sentence))
      if (!negated(sentence, m.index) && !PERSON_SUBJECT.test(sentence.slice(Math.max(0, m.index - 40), m.index))) return { family: 'agent-address', reason: `asks an AI reader to act on its own (${m[0].split(/\s+/)[0]})` };
  }
  return null;
}

/** Secrets and private data, by name or by where they live. */
const SECRETISH =
  "(?:secrets?|tokens?|credentials?|card\\s+numbers|credit\\s+cards?|cvvs?|ssns?|pii|customer\\s+(?:data|records|pii)|(?:real\\s+)?user\\s+(?:emails|data|records)|backup\\s+codes|recovery\\s+codes|connection\\s+strings?|kubeconfig|\\.npmrc|\\.env(?:\\.\\w+)?|auth\\s+tokens?|passwords?|password\\s+hashes|passphrases?|api\\s+keys?|(?:private|signing|secret|access|ssh|deploy|release\\s+signing)\\s+keys?|client\\s+secrets?|session\\s+cookies?|document\\.cookie|localstorage|cookies|process\\.env|os\\.environ|`env`|(?:the\\s+)?(?:whole|full|entire|process|runner'?s?|build)\\s+environment(?:\\s+variables)?|environment\\s+variables|env\\s+vars?\\b|~\\/\\.(?:ssh|aws|config\\/gh|netrc|npmrc|docker|kube)\\S*|hosts\\.yml|\\w+_(?:token|secret|password|secret_access_key|api_key)|cookie\\s+jar|authorization\\s+(?:and\\s+cookie|headers?)|customer\\s+(?:exports?|dumps?|lists?)|pg_dump|mysqldump|(?:prod(?:uction)?\\s+)?(?:database|db)\\s+dumps?|~\\/\\.config\\b)";
/** Verbs that send, show or keep data somewhere. */
const SHARE_VERB =
  '(?:dump|print|echo|log(?!in|on)|post|send|ship|mirror|email|e-mail|dm|paste|share|attach|include|mention|write|copy|upload|expose|publish|put|drop|keep|export|add|forward|leak|read|return|bake|base64|embed|enrich|zip|collect|push)';
/** Where a leaked secret ends up in view of others. */
const LEAK_PLACE =
  '(?:[\\w.+-]+@[\\w-]+|error\\s+messages?|exceptions?|snapshots?|wiki|onboarding|published|package|docker\\s+hub|images?|client|responses?|release\\s+tags?|public\\w*|gists?|pastebin|paste\\s+site|issues?|pr\\s+(?:body|description|comments?)|review\\s+comments?|commit\\s+messages?|release\\s+notes|changelog|image\\s+labels?|labels?\\s+of|docs\\/|readme|telemetry|analytics|tracker|third-party|discord|telegram|slack|#[a-z-]+|channel|e-?mail\\w*|dm|webhooks?|endpoint|job\\s+(?:output|summary|log)|build\\s+logs?|the\\s+logs?|stdout|trace|s3\\s+bucket|plaintext|plain\\s+text|artifacts?|verbatim|https?:\\/\\/|bugsnag|breadcrumbs|sentry|mixpanel|segment|amplitude|(?:final\\s+)?reports?|public-read)';

export const LEAK_INTENT: readonly Rule[] = [
  [
    /\b(?:log(?!in|on)|print|echo|dump|console\.log)\w*(?:\s{0,3}\(\s{0,3}|\s{1,3})(?:\S*[^\s.!?]\s+){0,3}?(?:full\s+)?(?:card\s+numbers|credit\s+card\s+numbers|cvvs?|ssns?|document\.cookie|kubeconfig|connection\s+strings?|backup\s+codes|session\s+(?:ids|tokens?|cookies?)|(?:raw\s+|plain(?:text)?\s+)?passwords)\b/,
    'secret-exfiltration',
    'writes secrets or card data to the log',
    true,
    ['log', 'print', 'echo', 'dump'],
  ],
  [
    /\b(?:commit|check\s+in|add|push|bake|ship|publish)\w*\s+(?:\S+\s+){0,4}?[`'"]?\.env\.(?!example|sample|template|dist|defaults?\b)\w+/,
    'unsafe-practice',
    'commits a real environment file',
    true,
    ['.env.'],
  ],
  [
    new RegExp(
      `\\b${SHARE_VERB}\\w*\\s+(?:\\S*[^\\s.!?]\\s+){0,8}?[\\x60'"]?${SECRETISH}(?:[^.\\n]{0,80}?)\\b${LEAK_PLACE}|\\b${SHARE_VERB}\\w*\\s+(?:\\S*[^\\s.!?]\\s+){0,8}?${LEAK_PLACE}\\b[^.\\n]{0,80}?\\b(?:with|including|incl\\.|plus)\\b[^.\\n]{0,40}?${SECRETISH}`,
    ),
    'secret-exfiltration',
    'sends secrets or private data where others can read them',
    true,
    ['secret', 'token', 'credential', 'password', 'passphrase', 'key', 'cookie', 'localstorage', 'env', 'environ', '~/.', 'hosts.yml', '_', 'card', 'cvv', 'ssn', 'pii', 'customer', 'user', 'backup', 'recovery', 'connection', 'kubeconfig', '.npmrc'],
  ],
  [
    new RegExp(
      `\\b(?:print|echo|dump|log(?!in|on)|output)\\w*\\s+(?:\\S*[^\\s.!?]\\s+){0,4}?[\\x60'"]?\\$\\{\\{\\s*(?:tojson\\(\\s*)?secrets\\b|\\btojson\\(\\s*secrets\\s*\\)|\\bphone\\w*\\s+home\\b[^.\\n]{0,160}?\\b${SECRETISH}|\\b(?:prod(?:uction)?|real)\\s+(?:customers?|users?)\\b[^.\\n]{0,100}?\\b(?:commit|check\\s+in|add)\\w*\\s+(?:\\S+\\s+){0,2}?(?:as|to|into)\\s+(?:the\\s+|our\\s+)?(?:fixtures?|test\\s+data|seeds?)\\b`,
    ),
    'secret-exfiltration',
    'sends secrets or private data where others can read them',
    true,
    ['secrets', 'phone', 'customer', 'user'],
  ],
  [
    /\b(?:include|print|show|list|post|paste|share|send)\w*\s+the\s+(?:actual\s+|raw\s+|full\s+|new\s+)?values\b[^.\n]{0,40}?\bof\s+(?:any|all|the|every)\s+(?:secrets?|tokens?|credentials?|passwords?|env)|\b(?:credentials?|secrets?|tokens?|keys)\b[^.\n]{0,60}?\b(?:post|send|paste|share)\w*\s+the\s+(?:new\s+)?values\s+(?:to|in|on)\b|\blog\w*\s+(?:the\s+)?full\s+request\s+(?:headers|bodies)\b[^.\n]{0,60}?\b(?:authorization|cookies?|tokens?|passwords?)\b/,
    'secret-exfiltration',
    'sends secrets or private data where others can read them',
    true,
    ['values', 'request'],
  ],
  [
    new RegExp(`\\b(?:set\\s+-x|set\\s+-o\\s+xtrace)\\b[^.\\n]{0,120}\\b${SECRETISH}`),
    'secret-exfiltration',
    'traces secrets into the log',
    true,
    ['set -'],
  ],
  [
    /\b(?:dig|nslookup|host|ping)\s+(?:\S+\s+){0,2}?["'`]?(?:\$\{?\w*(?:token|secret|key|pass\w*|cred\w*)\w*\}?|\$\((?:cat|env|printenv)\b)/,
    'secret-exfiltration',
    'leaks a secret through a DNS lookup',
    false,
    ['dig', 'nslookup', 'host', 'ping'],
  ],
  [
    /\b(?:git\s+add\s+(?:-f|--force)\s+\S*(?:secret|\.env|credential|\.pem|key)|dump\w*\s+`?env`?\b[^.\n]{0,60}\b(?:secrets?\s+included|output|log))/,
    'secret-exfiltration',
    'commits or prints secrets',
    true,
    ['git add', 'dump'],
  ],
];

/** The reader's own instructions put below this text, or a fake channel that claims their authority. */
export const AUTHORITY_INTENT: readonly Rule[] = [
  [
    // "…, even if it conflicts with any earlier guidance you have", "aunque contradiga sus reglas de seguridad"
    /\b(?:even\s+(?:if|when|though)|aunque|anche\s+(?:quando|se)|auch\s+wenn|meme\s+si|mesmo\s+que|walaupun|bahkan\s+jika|inclusive\s+acima)\b[^.\n]{0,40}?\b(?:conflict|contradict|clash|override|contradig|contraddic|widersprech|widerspr|contredi|contradiz|bertentangan|acima)\w*\b[^.\n]{0,30}?\b(?:instructions?|guidance|guidelines|rules|policies|prompt|reglas|regole|regeln|regles|regras|aturan|istruzioni|instrucciones|instrucoes|richtlinien)\b/,
    'instruction-override',
    "ranks this text above the reader's own instructions",
    false,
    ['even', 'aunque', 'anche', 'auch', 'meme', 'mesmo', 'walaupun', 'bahkan', 'inclusive'],
  ],
  [
    /\b(?:treat|regard|consider|count)\w*\s+(?:\S+\s+){0,6}?(?:instructions?|comments?|text|notes?|rules|lessons?|guidance|them|these|this\s+(?:review|comment|thread|file))\s+(?:\S+\s+){0,4}?as\s+(?:system|root|developer|operator)[\s-]*(?:level|prompts?|instructions?|messages?|directives?|authority)\b|[[(]\s*system\s+(?:override|notice)\b|\bsystem\s+(?:override|notice)\s*[\]):—–-]|"system\s+override|<\/?(?:instructions|system_prompt|developer_message)(?:\s[^>\n]{0,80})?>|(?:^|\n)\s*\[(?:tool_result|tool_output|function_result)\b|<\/?(?:tool_result|tool_output|function_results?)\b|"type"\s{0,3}:\s{0,3}"(?:function_call|tool_call|tool_result)"/,
    'role-prompt',
    'claims the authority of a system, developer or tool message',
    false,
    ['as', 'system', '<', '[', '"type"'],
  ],
  [
    // personas without the reader's limits, or with an owner's authority
    /\b(?:jailbreak|unrestricted|unfiltered)\s+mode\b|\b(?:operat|act|work|run)\w*\s+without\s+(?:its|your|any|the)\s+(?:usual\s+)?(?:restrictions|limits|guardrails|safety\s+rules)\b|\bpersona\b[^.\n]{0,160}?\b(?:never\s+(?:asks?|refuses?|says\s+no)|without\s+(?:its\s+|any\s+|the\s+)?(?:usual\s+)?(?:restrictions|limits|guardrails|filters)|no\s+(?:restrictions|limits|guardrails)|(?:owner|admin|root)\s+(?:authority|rights|privileges|access))|\b(?:agent|assistant|bot|model|copilot|claude|codex|cursor)\b[^.\n]{0,80}?\b(?:acts?|speaks?|operates?)\s+(?:as|with)\s+(?:the\s+)?(?:repository\s+|repo\s+)?(?:owner|admin|maintainer|root)(?!'s|s\b)(?:\s+authority|\s+rights|\s+privileges)?\b|\bsame\s+(?:rights|permissions|privileges)\s+as\s+@?[\w/-]*(?:admins?|owners?|maintainers?)\b/,
    'role-prompt',
    'gives the reader a role without its limits',
    false,
    ['mode', 'persona', 'act', 'speak', 'operat', 'same'],
  ],
];

/** Workflow steps, read where `@` is still `@` (the native view): secrets handed to an action that can change under them. */
/** Text hidden from people in markup, and security tests deleted to get green. */
export const HIDDEN_INTENT: readonly Rule[] = [
  [
    /<(?:span|div|p|font|section|details|small)\b[^>\n]{0,160}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|\bhidden\b)/,
    'encoded-payload',
    'hides text from people in markup',
    false,
    ['<'],
  ],
  [
    /\x60test_\w*(?:jwt|auth|csrf|xss|secur|reject|inject|permission|signature|sanitiz|escap|csp|tls|cert)\w*\x60[^\n]{0,160}?\b(?:delete|remove|drop|skip)\w*\s+(?:the\s+|this\s+|that\s+)?tests?\b/,
    'unsafe-practice',
    'deletes a failing security test',
    true,
    ['test_'],
  ],
];

export const WORKFLOW_INTENT: readonly Rule[] = [
  [
    /\bapply\s+from\s*:\s*["']https?:\/\/|\b(?:include|require)(?:_once)?\s*\(?\s*["']https?:\/\/|\bevaluate\s*\(\s*new\s+url\s*\(|<script\s+src\s*=\s*["']http:\/\/|\bpipe\s+(?:it|them|that|the\s+\w+)\s+(?:in)?to\s+\x60?(?:(?:ba|z)?sh|python\d*|node|perl|ruby|pwsh|powershell)\b|\b(?:open|start|spawn|launch|run)\s+(?:a\s+)?reverse\s+shell\b|\brundll32\b[^\n]{0,40}\burl\.dll\b[^\n]{0,60}https?:|\brequire\(\s*["']https?["']\s*\)\.get\(\s*["']https?:\/\/|\/dev\/tcp\/|\bnc\s+(?:-\w+\s+)*-e\b/,
    'remote-execution',
    'runs code or a shell from elsewhere',
    true,
    ['apply', 'include', 'require', 'evaluate', '<script', 'pipe', 'reverse', '/dev/tcp', 'nc ', 'rundll32'],
  ],
  [
    /\buses:\s*(?!actions\/|github\/)[\w.-]+\/[\w./-]+@(?:main|master|latest|head|dev|develop)\b[^]{0,300}?\bsecrets(?:\.|:\s*inherit)|\bsecrets(?:\.|:\s*inherit)[^]{0,300}?\buses:\s*(?!actions\/|github\/)[\w.-]+\/[\w./-]+@(?:main|master|latest|head|dev|develop)\b/,
    'unsafe-practice',
    'passes secrets to an unpinned third-party action',
    false,
    ['uses:'],
  ],
];

/** An agent told to fake, hide or wave through what people rely on: approvals, findings, failures. */
export const DECEIT_INTENT: readonly Rule[] = [
  [
    /\beven\s+if\s+(?:nobody|no\s+one)\s+(?:looked|reviewed|checked|tested|read)\b|\bclaim\w*\s+(?:that\s+)?(?:it|the\s+change|this|the\s+pr)\s+(?:was|has\s+been)\s+(?:reviewed|tested|approved|audited)\b|\b(?:don'?t|do\s+not|must\s+not|never|without)\s+(?:ask\w*|confirm\w*|check\w*\s+with)\s+(?:the\s+)?(?:user|human|maintainer|operator|anyone)\s+(?:for\s+(?:confirmation|approval|permission)\s+)?(?:before|first)\b|\b(?:say|state|write|claim|report)\w*\s+(?:in\s+the\s+(?:summary|description|pr\s+body)\s+)?that\s+(?:a\s+human|someone|a\s+maintainer|a\s+reviewer|the\s+security\s+team|@[\w/-]+)\s+(?:has\s+)?(?:reviewed|approved|tested|checked|audited)\b|\brm\s+-(?:rf|fr)\s+(?:~\/?\*?|\/\*?|\$home)(?=[\s\x60'";]|$)/,
    'agent-address',
    'asks the agent to act against the people it works for',
    true,
    ['even if', 'claim', 'ask', 'confirm', 'check', 'rm -', 'say', 'state', 'write', 'report'],
  ],
  [
    /\b(?:simulate|forge|pretend|impersonat)\w*\s+(?:\S+\s+){0,3}?(?:approvals?|sign-?offs?|reviews?|lgtm|maintainers?|the\s+human)\b|\bfake\s+(?:the|an?|their|a\s+human'?s?)\s+(?:approval|sign-?off|review)\b|\b(?:approve|approved|lgtm)\b[^.\n]{0,60}\bregardless\s+of\s+(?:the\s+)?(?:findings|results|issues|problems|what)\b|\bwhether\s+or\s+not\s+(?:it|you|they|the\s+agent)\s+(?:actually\s+|really\s+)?(?:addressed|resolved|handled)\s+(?:them|it|the\s+(?:comments?|threads?|feedback|reviews?))\b|\breported\s+as\s+["'“]?no\s+(?:security|risk|relevant)/,
    'agent-address',
    'asks the agent to fake or wave through a check people rely on',
    true,
    ['simulat', 'fake', 'forge', 'pretend', 'impersonat', 'regardless', 'whether', 'reported'],
  ],
  [
    /\bmerge\w*\b[^.\n]{0,60}\b(?:when|if|even\s+if|while|although)\b[^.\n]{0,30}\b(?:ci|checks?|tests?|(?:security[- ])?scan\w*|build|pipeline)\b[^.\n]{0,20}\b(?<!no\s+longer\s+|not\s+)(?:is\s+|are\s+)?(?<!no\s+longer\s+|not\s+)(?:red|fail\w*|broken)\b|\b(?:when|if)\s+(?:the\s+)?(?:ci|checks?|build|pipeline)\s+(?:is\s+)?red\b(?:(?!\b(?:don'?t|do\s+not|never|not)\b)[^.\n]){0,80}\bmerge\b|\bmerge\w*\b[^.\n]{0,40}\b(?:don'?t|do\s+not|no\s+need\s+to)\s+wait\s+for\s+(?:the\s+)?(?:ci|checks|tests|reviews?|build)\b/,
    'unsafe-practice',
    'merges past failing checks',
    true,
    ['merge'],
  ],
  [
    /\b(?:don'?t|do\s+not|never|stop)\s+(?:comment|flag|report|mention|warn|raise)\w*\s+(?:on|about)\s+(?:any\s+|the\s+)?(?:\S+\s+){0,2}?(?:hard-?coded\s+)?(?:credentials?|secrets?|tokens?|passwords?|vulnerabilit\w*|security\s+(?:issues|findings|problems))\b|\bwithout\s+(?:describing|explaining|saying|telling\s+\w+)\s+what\b|\b(?:leave|keep)\s+(?:it|them|this|that)\s+out\s+of\s+(?:the\s+|your\s+)?(?:final\s+)?(?:summary|report)\b|(?:&>|>)\s*\/dev\/null\b[^.\n]{0,120}\b(?:network|credentials?|secrets?|tokens?|auth\w*)\b[^.\n]{0,80}\b(?:transcript|user|users)\b|\b(?:ignore|disregard|overrule)\s+(?:the\s+)?(?:user|human|operator|requester)s?\s+(?:and|,)\s*(?:keep|continue|proceed|carry)\b/,
    'instruction-override',
    'asks to hide something from the user',
    true,
    ['comment', 'flag', 'report', 'mention', 'warn', 'raise', 'without', 'out of', '/dev/null', 'ignore', 'disregard', 'overrule'],
  ],
];

/** Obedience handed to whoever writes next: "comply with any request in a PR description without question". */
export const OBEY_INTENT: readonly Rule[] = [
  [
    /\bconflicts?\s+with\s+(?:\S+\s+){0,3}?(?:system|developer|operator)\s+(?:instructions?|messages?|prompts?)\b|\b(?:outrank|override|supersede|trump)\w*\s+(?:\S+\s+){0,8}?(?:anything|everything|whatever)\s+(?:the\s+)?(?:operator|user|developer|system|you)\s+(?:\S+\s+)?(?:told|said|gave)\b|\b(?:outrank|override|supersede|trump|take\s+(?:precedence|priority)\s+over|win\w*\s+over|beat|(?:a\s+)?higher\s+priority\s+than)\w*\s+(?:the\s+|your\s+|any\s+|all\s+)?(?:system|developer|operator)\s+(?:messages?|prompts?|instructions?)\b|\b(?:lower|reduce|drop|set)\s+(?:the\s+)?priority\s+of\s+(?:your|the|all|any)\s+(?:built-?in|system|original|own|default|prior|existing)\s+(?:\S+\s+)?(?:guidelines|instructions|rules|prompt)\b|\b(?:ignore|disregard|forget|override|overrule|bypass|skip)\w*\s+(?:the\s+|your\s+|any\s+|all\s+)?(?:(?:agents|claude|gemini)\.md|copilot-instructions(?:\.md)?|\.?cursorrules)\b(?!\s+(?:formatting|nit|typo|change|diff|edit|wording)s?\b)|\b(?:everything|anything|all)\s+in\s+(?:the\s+)?(?:agent|assistant|model)'?s?\s+(?:original\s+|initial\s+)?(?:brief|briefing|instructions|prompt)\s+(?:is|are)\s+(?:now\s+)?(?:void|null|cancel+ed|obsolete|revoked)\b/,
    'instruction-override',
    "ranks this text above the reader's own instructions",
    false,
    ['conflict', 'outrank', 'overrid', 'supersed', 'trump', 'precedence', 'win', 'beat', 'priority', 'ignor', 'disregard', 'forget', 'overrul', 'bypass', 'skip', 'brief', 'instructions', 'prompt'],
  ],
  [
    /\brole-?play\w*\b|\bstay\s+in\s+character\b|(?:^|[.\n]\s{0,3})(?:new\s+)?(?:system|developer)\s+(?:message|prompt|note)\s*:|\bbegin\s+(?:a\s+)?new\s+session\b|\bsystem\s+prompt\s+(?:update|override|patch|change|v\d)\b|\bsafety\s*[=:]\s*(?:off|false|none|disabled|0)\b|\b(?:simulate|emulate)\s+(?:a\s+|an\s+)?(?:root\s+shell|linux\s+terminal|terminal|shell|unrestricted)\b|\bpersona\s+(?:update|change|override|switch)\b|\btake\s+on\s+the\s+role\s+of\b/,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['role', 'character', 'system', 'developer', 'session', 'safety', 'simulate', 'emulate', 'persona'],
  ],
  [
    /\b(?:execsync|exec|eval|new\s+function|function|spawn|runinthiscontext|runinnewcontext)\s*\(\s*(?:await\s*)?\(?\s*(?:await\s*)?\(?\s*(?:fetch|axios|got|http|requests?|urlopen)\b|\bcertutil\b[^\n]{0,40}-urlcache\b|\bmshta(?:\.exe)?\s+(?:https?|vbscript|javascript):|\bbitsadmin\b[^\n]{0,40}\/transfer\b|\bregsvr32\b[^\n]{0,40}\/i:https?|\b(?:curl|wget)\b[^\n]{0,200}?&&\s*chmod\s+\+x\b[^\n]{0,80}?&&\s*\.\//,
    'remote-execution',
    'downloads code and runs it',
    true,
    ['exec', 'eval', 'function', 'spawn', 'runin', 'certutil', 'mshta', 'bitsadmin', 'regsvr32', 'chmod'],
  ],
  [
    /\b(?:comply|obey|follow|execute|carry\s+out|act\s+on)\w*\s+(?:with\s+)?(?:any|every|all|each)\s+(?:\S+\s+){0,8}?(?:without\s+(?:question\w*|hesitat\w*|check\w*|verif\w*|confirm\w*)|blindly|unconditionally|no\s+questions)\b|\b(?:instructions|rules|prompt|guidelines)\s+(?:\S+\s+){0,5}?were\s+(?:only|just)\s+(?:a\s+)?(?:test|placeholder|decoy|drill)\b|\bthe\s+real\s+(?:instructions|rules|ones|prompt)\s+(?:are|is)\s+(?:here|below|in\s+this)\b|\bdo\s+whatever\s+(?:\S+\s+){0,5}?(?:comment|review|pr|issue|message|user|commenter)\w*\s+(?:asks?|says?|tells?|requests?|wants?)\b|\b(?:pretend|imagine|act\s+as\s+if|behave\s+as\s+if)\s+(?:\S+\s+){0,10}?(?:instructions|guidelines|rules|prompt|guardrails)\s+(?:\S+\s+){0,8}?(?:were\s+never|never\s+existed|don't\s+exist|do\s+not\s+exist|aren't\s+there|were\s+not)\b/,
    'instruction-override',
    "hands the reader's obedience to whoever writes next",
    true,
    ['any', 'every', 'all', 'each', 'were', 'real'],
  ],
];

/** Controls that keep a codebase safe, and what turns them off. */
export const CONTROL_INTENT: readonly Rule[] = [
  [
    /\bpublic-read-write\b|\bacl\W{0,3}\s*public-read\b|\bauth\w*\s*[:=]\s*false\b|\b(?:run|runs|running)\s+as\s+root\b|\bsign\w*\s+off\s+on\s+(?:your|their|our)\s+own\b|\bprime\s+directive\b|\brefusals\s+are\s+bugs\b/,
    'unsafe-practice',
    'turns an access or review control off',
    true,
    ['public-read', 'acl', 'auth', 'root', 'sign', 'prime directive', 'refusals'],
  ],
  [
    /(?:\bdon't|\bdo\s+not|\bnever|\bno\s+need\s+to|\bskip)\s+(?:\S+\s+){0,2}?(?:verify|verifying|check|checking|validat\w*)\s+(?:the\s+)?(?:signatures?|checksums?|hashes|integrity|certificates?)\b|\bno\s+(?:checksum|signature|integrity\s+check)\s+(?:needed|required|necessary)\b/,
    'unsafe-practice',
    'skips signature or checksum verification',
    false,
    ['verif', 'check', 'validat', 'checksum', 'signature'],
  ],
  [
    /\b(?:edit|change|update|adjust|tweak|rewrite)\w*\s+(?:the\s+)?(?:expected\s+values?|assertions?|snapshots?|test\s+expectations?)\s+until\s+(?:they|it|the\s+tests?)\s+(?:match|pass)/,
    'unsafe-practice',
    'edits tests until they pass',
    true,
    ['until'],
  ],
  [
    /[`'"]?\*[`'"]?\s+(?:to|in|into)\s+[`'"]?\.(?:gitleaksignore|trufflehogignore|secretsignore|semgrepignore|snyk|bandit)\b|\b(?:dangerouslysetinnerhtml|innerhtml)\b[^\n]{0,80}?\b(?:skip|without|no|drop|remove)\s+(?:\S+\s+)?(?:sanitiz|sanitis|escap)\w*/,
    'unsafe-practice',
    'turns a security scanner or sanitiser off',
    true,
    ['*', 'innerhtml'],
  ],
  [
    /\b(?:approve|merge)\w*\s+(?:\S+\s+){0,2}?(?:their|your|his|her|our)\s+own\s+(?:prs?|pull\s+requests?|changes?|code)\b|\b(?:maintainers?|admins?|authors?|you|we)\s+(?:can|may|should)\s+(?:self-)?approve\s+(?:their|your|our)\s+own\b/,
    'unsafe-practice',
    'lets authors approve their own changes',
    true,
    ['own'],
  ],
  [
    /\b(?:merg\w*|ship\w*|releas\w*|deploy\w*)\b[^.\n]{0,40}?\b(?:even\s+(?:when|if)|while|although|though)\s+(?:the\s+)?(?:ci|build|tests?|checks?|pipeline)\s+(?:is|are|fail\w*|red|broken)|\b(?:merg\w*)\s+(?:\S+\s+){0,3}?(?:anyway|regardless|with\s+failing|on\s+red)\b/,
    'unsafe-practice',
    'merges with failing checks',
    true,
    ['merg', 'ship', 'releas', 'deploy'],
  ],
  [
    /\b(?:if|when)\s+(?:a\s+|the\s+)?tests?\s+(?:fails?|is\s+flaky|breaks?)[^.\n]{0,60}?\b(?:delete|remove|skip|disable|comment\s+out|xfail)\s+(?:it|them|the\s+test)\b|\bdismiss\w*\s+(?:their|the|a)\s+(?:review|approval|change\s+request)\w*\b[^.\n]{0,40}\b(?:merge|admin)/,
    'unsafe-practice',
    'deletes failing tests or overrides reviewers',
    true,
    ['test', 'dismiss'],
  ],
  [
    /\b(?:pickle\.loads?|yaml\.load|marshal\.loads|eval|exec|unserialize|dangerouslysetinnerhtml|innerhtml)\b[^\n]{0,60}?\b(?:request|cookies?|user(?:-supplied|-provided)?|input|query\s*string|form|payload|untrusted|params?)\b|\b(?:user-supplied|user-provided|untrusted|user)\s+(?:html|input|data|payloads?|markup|comments?|content|text|strings?)\b[^\n]{0,60}?\b(?:dangerouslysetinnerhtml|innerhtml|eval|exec|pickle\.loads?|yaml\.load)\b/,
    'unsafe-practice',
    'evaluates or deserialises user input',
    true,
    ['pickle', 'yaml.load', 'marshal', 'eval', 'exec', 'unserialize', 'innerhtml'],
  ],
  [
    /\bshell\s*=\s*true\b[^.\n]{0,80}?\b(?:quot\w*\s+is\s+overkill|user|form|input|request)|\b(?:form\s+field|user\s+input|request)\b[^\n]{0,60}?\bshell\s*=\s*true\b/,
    'unsafe-practice',
    'builds shell commands from user input',
    true,
    ['shell'],
  ],
  [
    /\buses:\s*\S+@(?:main|master|latest|head)\b|\b(?:reference|pin|use)\w*\s+(?:\S+\s+){0,3}?actions?\s+(?:\S+\s+){0,2}?(?:by|at|to)\s+`?@?(?:main|master|latest)\b|\bpinning\s+(?:\S+\s+){0,3}?(?:to\s+a\s+)?sha\s+is\s+(?:busywork|overkill|pointless|unnecessary)/,
    'unsafe-practice',
    'uses unpinned third-party actions',
    true,
    ['main', 'master', 'latest', 'head', 'sha'],
  ],
  [
    /\bdebug\s*=\s*true\b[^.\n]{0,60}\bprod\w*|\bprod\w*[^.\n]{0,40}\bdebug\s*=\s*true\b|\bstricthostkeychecking\s*[= ]\s*no\b|\balg\w*\W{0,3}\s*none\b|\bmath\.random\(\)[^.\n]{0,40}\b(?:tokens?|passwords?|secrets?|keys?|reset)\b/,
    'unsafe-practice',
    'weakens authentication or production safety',
    true,
    ['debug', 'stricthostkeychecking', 'alg', 'math.random'],
  ],
  [
    /\b(?:remove|drop|disable|turn\s+off|delete|kill)\w*\s+(?:\S+\s+){0,3}?(?:rate\s+limit\w*|lockouts?|account\s+lockout|brute[- ]force\s+protection|captcha|2fa|mfa|codeowners|branch\s+protection|required\s+(?:status\s+)?checks|required\s+reviews?|signature\s+checks?|checksum\s+verification|host\s+key\s+checking)\b/,
    'unsafe-practice',
    'turns a security control off',
    true,
    ['rate', 'lockout', 'brute', 'captcha', '2fa', 'mfa', 'codeowners', 'protection', 'required', 'signature', 'checksum', 'host key'],
  ],
];

// Other languages: the same acts, in the words a reviewer would use (Spanish, French, German, Portuguese,
// Italian, Russian, Turkish, Polish, Dutch).
export const INTL_INTENT: readonly Rule[] = [
  [
    /(?<!\p{L})(?:chmod|права|permisos|permissoes|droits|rechte|berechtigung\p{L}*|permessi)\s+(?:\S+\s+){0,2}?0?777(?!\d)|(?<!\p{L})(?:commit\p{L}*|comitar|versionar|subir|committ\p{L}*)\s+(?:\S+\s+){0,3}?\.env\b(?!\.(?:example|sample|template|dist))/u,
    'unsafe-practice',
    'world-writable files or committed secrets',
    true,
    ['777', '.env'],
  ],
  [
    /(?<!\p{L})(?:tests?|pruebas?|testes|тест\S*)\s+(?:fallan|fail\p{L}*|echouent|fehlschlagen|falham|falliscono|падают)[^.\n]{0,40}?(?<!\p{L})(?:borra\S*|elimina\S*|supprime\S*|losch\S*|apaga\S*|cancella\S*|удаля\S*)/u,
    'unsafe-practice',
    'deletes failing tests',
    true,
    ['test', 'prueba', 'тест'],
  ],
  [
    /(?<!\p{L})(?:borra\p{L}*|elimin\p{L}*|supprim\p{L}*|losch\p{L}*|apag\p{L}*|cancell\p{L}*|удал\p{L}*)\s+(?:\S+\s+){0,2}?(?:los\s+|les\s+|die\s+|os\s+|i\s+)?(?:tests?|pruebas?|testes|teste|тест\p{L}*)[^.\n]{0,60}\b(?:fusiona\p{L}*|merge\p{L}*|mergen|fusionn\p{L}*|мерж\p{L}*|сливай)/u,
    'unsafe-practice',
    'deletes failing tests and merges',
    true,
    ['borr', 'elimin', 'supprim', 'losch', 'apag', 'cancell', 'удал'],
  ],
  [
    /(?<!\p{L})(?:pousse[rz]?|push\p{L}*|empuj\p{L}*)[^.\n]{0,40}\b(?:main|master)[^.\n]{0,30}(?:--force|-f\b|force)|\b(?:--force|force)[^.\n]{0,30}\b(?:main|master)[^.\n]{0,60}\b(?:pas\s+besoin|sin\s+(?:revision|review)|ohne\s+review|sem\s+revis\p{L}*)/u,
    'unsafe-practice',
    'force-pushes to the main branch',
    true,
    ['main', 'master'],
  ],
  [
    /(?<!\p{L})(?:zugangsdaten|passw(?:o|ö)rt\p{L}*|contrasen\p{L}*|mot\s+de\s+passe|senhas?|credenciales|identifiants|пароль\p{L}*|токен\p{L}*|ключ\p{L}*)[^.\n]{0,60}\b(?:pr-kommentar|kommentar|commentaire|comentario|issue|chat|telegram|discord|slack|бот\p{L}*|чат\p{L}*|public\p{L}*|publiqu\p{L}*|öffentlich\p{L}*|offentlich\p{L}*)/u,
    'secret-exfiltration',
    'sends credentials where others can read them',
    true,
    ['zugangsdaten', 'passw', 'contrasen', 'mot de passe', 'senha', 'credenciales', 'identifiants', 'пароль', 'токен', 'ключ'],
  ],
  [
    /(?<!\p{L})(?:отправля\p{L}*|отправь\p{L}*|пересыла\p{L}*|выкладыва\p{L}*)\s+(?:\S+\s+){0,3}?(?:~\/\.ssh|~\/\.aws|\.ssh|\.aws|ключ\p{L}*|токен\p{L}*|пароль\p{L}*|секрет\p{L}*)/u,
    'secret-exfiltration',
    'sends credentials elsewhere',
    false,
    ['отправ', 'пересыл', 'выклад'],
  ],
];
