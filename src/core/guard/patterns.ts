/**
 * Families found by shape: chat-template tokens and role prompts, text addressed to AI agents, remote
 * execution one-liners, safety-disabling flags, credentials pasted in clear, escape-encoded payloads, and
 * the override phrases of languages written without spaces (Chinese, Japanese, Korean, Thai) and of Vietnamese.
 * Every pattern is bounded (no unbounded run followed by something that can fail), so a long hostile text
 * costs linear time. Patterns run on the folded views of normalize.ts (lower case, Latin look-alikes mapped).
 */
import { demotion } from './demotion.js';
import { CONCEAL, INTL_CONCEAL } from './concealRules.js';
import { agentIntent, AUTHORITY_INTENT, CONTROL_INTENT, DECEIT_INTENT, HIDDEN_INTENT, INTL_INTENT, LEAK_INTENT, OBEY_INTENT, WORKFLOW_INTENT } from './intentRules.js';
import type { Hit } from './words.js';
import { tokenize } from './words.js';
import { NEG, NEUTRAL, SKIPPABLE } from './lexicon.js';
import { REMOTE_EXEC, REMOTE_EXEC_MORE, SECRET_LITERAL, UNSAFE, UNSAFE_ADVICE, type Rule } from './harmRules.js';

const AGENT =
  '(?:ai|a\\.i\\.|agents?|assistants?|bots?|llms?|language\\s+models?|copilot|claude|chatgpt|gpt(?:-?\\d\\w*)?|gemini|cursor|codex|devin|coding\\s+agents?|ai\\s+(?:agents?|assistants?|reviewers?|models?|tools?|bots?)|automated\\s+(?:tools?|assistants?|agents?|systems?|readers?|processes|reviewers?|bots?))' +
  // "the coding assistant", "an LLM agent": a kind word before, or a second agent word after.
  '(?:\\s+(?:agents?|assistants?|bots?|models?))?';
/** Substrings of which one must occur before an agent-address pattern is tried (a cheap gate). */
const AGENT_GATE: readonly string[] = ['ai', 'agent', 'assistant', 'llm', 'model', 'copilot', 'claude', 'gpt', 'gemini', 'cursor', 'codex', 'devin', 'a.i.', 'bot', 'automated'];
/** Words that name an AI reader and nothing else (no bare "agent", "assistant", "bot", "model"). */
const AI_NAME =
  '(?:ai|a\\.i\\.|llms?|copilot|claude|chatgpt|gpt(?:-?\\d\\w*)?|gemini|codex|devin|aider|windsurf|cline|tabnine|jules|machine\\s+readers?|autonomous\\s+(?:agents?|assistants?|tools?|bots?)|language\\s+models?|automated\\s+(?:agents?|assistants?|tools?|reviewers?|systems?|bots?)|coding\\s+(?:agents?|assistants?))';
const AI_NOUN = '(?:agents?|assistants?|models?|bots?|tools?|reviewers?|llms?|ais?)';
const PEOPLE = '(?:users?|humans?|reviewers?|maintainers?|owners?|anyone|team|people|developers?|operators?)';
const SELF = '(?:this|these|it)\\s+(?:rules?|instructions?|comments?|changes?|steps?|notes?|messages?|lessons?|lines?|sections?|patch|modifications?)';
const AGENT_KIND = '(?:(?:coding|code|automated|autonomous|review|reviewing)\\s+)?';
const ROLE: Rule[] = [
  [/<\|\s*[a-z_]{2,30}\s*\|>/, 'role-prompt', 'contains chat-template control tokens', false, ['<|']],
  [
    /\[\/?inst\]|<<\/?sys>>|<\/?s>\s*\[inst|<\/?(?:system|system_prompt|im_start|im_end|assistant|developer_message)>/,
    'role-prompt',
    'contains chat-template control tokens',
    false,
    ['[', '<'],
  ],
  [
    /\[\s*(?:system|sys|admin|developer|assistant|operator)(?:\s+(?:message|prompt|note|override|instructions?))?\s*\](?!\s*[([])/,
    'role-prompt',
    'has a [SYSTEM]-style role marker',
    false,
    ['['],
  ],
  [
    /^[ \t>*_#-]{0,12}(?:system|assistant|developer|human|sys)(?:\s+(?:prompt|message|override))?[ \t*_]{0,4}:/m,
    'role-prompt',
    'has a line posing as a system/assistant message',
    false,
    ['sys', 'assistant', 'developer', 'human'],
  ],
  [
    /^[ \t>]{0,8}#{1,6}[ \t]{0,4}(?:system|assistant|developer)(?:[ \t]+(?:prompt|message|instructions?))?[ \t]{0,4}:?[ \t]*$/m,
    'role-prompt',
    'has a line posing as a system/assistant message',
    false,
    ['#'],
  ],
  [
    /"role"\s{0,4}:\s{0,4}"(?:system|developer)"/,
    'role-prompt',
    'contains a chat message with a system role',
    false,
    ['"role"'],
  ],
  [
    // "You are no longer exporting X" reports a change; "you are now acting as …" still reassigns.
    /\byou(?:\s+are|'re|r)\s+(?:now|no\s+longer)\b(?!\s+\w+ing\b(?!\s+(?:as|in|under|without|with|like)\b))/,
    'role-prompt',
    'tries to reassign a role ("you are now")',
    false,
    ['you'],
  ],
  [
    /\bfrom\s+now\s+on,?\s+(?:you\s+(?:are|will|must|shall)|act|behave|respond|answer)\b/,
    'role-prompt',
    'tries to reassign a role ("from now on you")',
    false,
    ['from now on'],
  ],
  [
    /\byou\s+(?:will|must|shall|should)\s+now\s+(?:act|be|behave|respond|answer|pretend|obey|only)\b/,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['now'],
  ],
  [
    /\b(?:pretend|imagine|suppose)\s+(?:to\s+be|(?:that\s+)?you(?:'re|\s+are|\s+were)|you\s+have\s+no)\b/,
    'role-prompt',
    'asks to pretend to be something else',
    false,
    ['pretend', 'imagine', 'suppose'],
  ],
  [
    /\brole-?\s?play(?:ing)?\s+as\b|\bsimulate\s+(?:being|an?\s+(?:unrestricted|unfiltered|evil))\b/,
    'role-prompt',
    'asks to play a role',
    false,
    ['play', 'simulate'],
  ],
  [
    /\bact(?:ing)?\s+as\s+(?:if\s+you|though\s+you|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken|evil|malicious|different|new|ai|assistant|chatbot|llm|language\s+model|dan|system|admin(?:istrator)?|root|superuser|hacker)\b|(?:my|the|your)\s+(?:system|admin(?:istrator)?|root|owner|maintainer|developer)\b)/,
    'role-prompt',
    'asks to act as a different role',
    false,
    ['act'],
  ],
  [
    /\byour\s+(?:new\s+(?:role|persona|task|goal|objective|purpose|mission|job|name|identity|instructions?|rules)|(?:role|persona|goal|objective|purpose|mission|identity)\s+is\s+now)\b/,
    'role-prompt',
    'gives the reader a new role',
    false,
    ['your'],
  ],
  [
    /\b(?:god|dan|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|sudo|admin|debug)\s+mode\s+(?:enabled|activated|on|engaged)\b|\b(?:enter|activate|switch\s+(?:in)?to|you\s+are\s+(?:now\s+)?in)\s+(?:god|dan|jailbreak|unrestricted|developer|admin|sudo)\s+mode\b|\bdeveloper\s+mode\s+(?:enabled|activated|output|response|engaged|on(?=\s{0,2}[.!:;\n]|$))/,
    'role-prompt',
    'switches the reader into a special mode',
    false,
    ['mode'],
  ],
  [
    /^[ \t-]{0,8}role\s{0,2}:\s{0,2}["']?(?:system|developer)\b|<\/?(?:start_of_turn|end_of_turn|bos|eos)>|\b(?:persona|character|mode|version\s+of\s+you)\b[^.\n]{0,40}\b(?:no|without)\s+(?:content\s+polic\w*|restrictions|guardrails|filters|limits|ethics|safety)\b|\bact\s+as\s+["'“][^"'”\n]{1,30}["'”]|\badopt\s+(?:the\s+|a\s+)?(?:["'“][^"'”\n]{1,30}["'”]\s+)?(?:persona|character|role|identity)\b|\b(?:admin|developer|god|sudo)\s+mode\s+(?:acknowledged|unlocked|granted|active)\b/m,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['role', 'turn>', 'os>', 'persona', 'character', 'mode', 'version', 'act as', 'adopt'],
  ],
  [
    /\b(?:developer|god|dan|jailbreak|unrestricted|unfiltered|admin)\s+mode\b[^]{0,80}?\b(?:disregard|ignore|bypass|no\s+(?:restrictions|limits|rules|filters)|unrestricted|any\s+(?:request|command|snippet|code)|content\s+polic\w*|without\s+(?:restrictions|limits|asking))/,
    'role-prompt',
    'switches the reader into a special mode',
    false,
    ['mode'],
  ],
  [
    /\b(?:from\s+(?:this\s+point|here|this\s+moment)(?:\s+(?:on|onwards?|forward))?|henceforth|hereafter|going\s+forward),?\s+(?:you\s+(?:are|will|must|shall)|act|behave|respond|answer|treat|consider|obey)\b|\bact\s+as\s+(?:the|my|your|a|an)\s+(?:repository|repo|project|organi[sz]ation|org)\s+(?:owner|admin\w*|maintainer|root)\b/,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['point', 'here', 'moment', 'henceforth', 'hereafter', 'going forward', 'act as'],
  ],
  [
    /\bnew\s+(?:persona|role|identity|character)\s{0,2}[:-]|\bpersona\s{0,2}:\s{0,3}you\b|\brole-?\s?play(?:ing)?\s{0,2}[:,-]|\byou(?:'re|\s+are)\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:different|new|other|another|unrestricted|unfiltered|jailbroken|evil)\s+(?:\w+\s+)?(?:assistant|ai|model|bot|agent|persona|entity|system|llm)\b|\byou(?:'re|\s+are)\s+(?:now\s+)?(?:the|a|an)\s+(?:ci\s+server|shell|terminal|linux\s+terminal|bash\s+shell|console|root\s+user|system\s+administrator|sysadmin|interpreter|build\s+server|repository\s+owner)\b/,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['persona', 'role', 'identity', 'character', 'play', 'you'],
  ],
  [
    /\b(?:persona|character|identity|role)\b[^.\n]{0,60}\b(?:unrestricted|no\s+(?:rules|restrictions|limits|guardrails|ethics|filters)|never\s+refuses?|follows\s+no\s+rules|without\s+(?:rules|limits|restrictions)|considers\s+refusals|no\s+ethical)\b|\bunrestricted\s+(?:\w+\s+){0,2}(?:persona|character|agent|mode|assistant|ai|model|version)\b|\byour\s+(?:real|true|actual|new|only)\s+(?:role|job|purpose|identity|persona)\b|\b(?:identify|present|introduce)\s+yourself\s+as\b|\bnever\s+(?:disclose|reveal|admit|say|mention)\s+(?:that\s+)?you(?:'re|\s+are)\s+(?:an?\s+)?(?:ai|bot|assistant|model|llm)\b|\bassume\s+(?:the\s+)?(?:identity|role|persona|character|voice)\s+of\b|\bact\s+as\s+(?:\w+\s+){0,2}(?:personas?|characters?)\b|\bswitch\s+(?:in)?to\s+(?:the\s+|an?\s+)?(?:\w+\s+)?(?:character|persona|role)\b|\bnew\s+system\s+prompt\b|\bbehave\s+as\s+(?:though|if)\s+you\b|\b(?:agent|assistant|ai|model|bot)'?s\s+(?:character|persona|name|identity)\b[^.\n]{0,20}\bis\b|^[ \t-]{0,8}(?:previous|prior|system|initial|earlier|original)_(?:rules|instructions|prompts?|guidelines|config\w*)\s{0,2}:\s{0,2}["']?(?:void|null|ignored?|disabled|off|none|false|obsolete|superseded|revoked)\b/m,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['persona', 'character', 'identity', 'role', 'unrestricted', 'your', 'yourself', 'never', 'assume', 'act as', 'switch', 'system prompt', 'behave'],
  ],
  [
    /\bdo\s+anything\s+now\b|\bjailbr(?:eak|oken)\b(?!\s+detect)/,
    'role-prompt',
    'jailbreak prompt',
    false,
    ['anything now', 'jailbr'],
  ],
  [
    /\b(?:new|updated|real|actual|revised|true|secret|hidden|override|replacement|additional|important)\s+(?:system\s+)?(?:instructions?|prompts?|directives?|orders|task|objective|mission)\s{0,3}(?::|are\b|follow\b|below\b|supersede|override|replace|take\s+precedence)/,
    'instruction-override',
    'announces new instructions',
    false,
    ['instruction', 'prompt', 'directive', 'orders', 'task', 'objective', 'mission'],
  ],
  [
    /\b(?:previous|prior|above|earlier|original|old|your|all|system|safety)\s+(?:\w+\s+){0,2}?(?:instructions?|prompts?|directives?|guidelines|rules|constraints|restrictions|guardrails|filters)\s+(?:are|is|have\s+been|has\s+been|were|now)?\s{0,3}(?:now\s+)?(?:void|null|obsolete|revoked|cancell?ed|superseded|overridden|replaced|suspended|lifted|disabled|deactivated|no\s+longer\s+(?:valid|apply|applies|relevant|in\s+effect))\b/,
    'instruction-override',
    'declares the instructions void',
    false,
    [
      'void',
      'null',
      'obsolete',
      'revoked',
      'cancel',
      'supersed',
      'overrid',
      'replaced',
      'suspended',
      'lifted',
      'disabled',
      'deactivated',
      'no longer',
    ],
  ],
  [
    /\b(?:not|no\s+longer|never)\s+(?:be\s+)?(?:bound|restricted|limited|constrained|governed)\s+by\b|\bfree\s+(?:from|of)\s+(?:all\s+|any\s+|your\s+)?(?:rules|restrictions|guidelines|constraints|filters|guardrails)\b|\bwithout\s+(?:any\s+)?(?:restrictions|censorship|guardrails|filters|ethical)\b/,
    'instruction-override',
    'declares the reader unbound by its rules',
    false,
    ['bound', 'restricted', 'limited', 'constrained', 'governed', 'free ', 'without'],
  ],
  [
    /\b(?:everything|anything|all)\s+(?:written\s+|said\s+|stated\s+)?(?:above|before|prior|earlier)\b[^.\n]{0,40}\b(?:is|are)\s+(?:now\s+)?(?:obsolete|void|null|cancell?ed|invalid|irrelevant|outdated|superseded|revoked)\b/,
    'instruction-override',
    'declares the instructions void',
    false,
    ['above', 'before', 'prior', 'earlier'],
  ],
  [
    /\b(?:always|automatically|just|simply)\s+(?:approve|merge|lgtm)\b|\bapprove\s+(?:all|every|any|everything)\b|\bauto-?approve\b/,
    'instruction-override',
    'asks to approve everything',
    false,
    ['approve', 'merge', 'lgtm'],
  ],
  [
    /\b(?:do\s+not|don't|never)\s+(?:tell|inform|alert|notify|mention\s+(?:this|it)\s+to|warn|let)\s+(?:the\s+|your\s+|any\s+)?(?:user|human|reviewer|maintainer|developer|owner|operator|anyone|people)|\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?(?:user|human|reviewer|maintainer|developer|owner|anyone)|\b(?:keep|hide)\s+(?:this|it)\s+(?:secret\s+|hidden\s+)?from\s+(?:the\s+)?(?:user|human|reviewer|maintainer)|\b(?:don't|do\s+not|never)\s+mention\s+(?:this|these)\s+(?:instructions?|message|comment|note)/,
    'instruction-override',
    'asks to hide something from the user',
    false,
    ['tell', 'inform', 'alert', 'notify', 'mention', 'warn', 'let', 'keep', 'hide'],
  ],
];

const AGENT_ADDRESS: Rule[] = [
  [
    new RegExp(
      `\\b(?:when|if|once|whenever|as\\s+soon\\s+as)\\s+(?:you\\s*)?[(,]?\\s*(?:the\\s+|an\\s+|any\\s+)?${AGENT_KIND}${AGENT}\\s*[),]?\\s*(?:you\\s+)?(?:is\\s+|are\\s+)?(?:see|read|reads|sees|process|processes|encounter|encounters|parse|parses|find|finds|reach|reaches|come\\s+across|are\\s+reading|reading|processing|parsing|review|reviews|reviewing|summari[sz](?:e|es|ing))\\b`,
    ),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `\\b(?:if|since|because|as)\\s+you(?:'re|\\s+are)\\s+(?:an?\\s+|the\\s+)?(?:${AGENT}|bot|chatbot|automated|artificial|machine|model|large\\s+language)\\b|\\bare\\s+you\\s+an?\\s+${AGENT}`,
    ),
    'agent-address',
    'addresses the AI agent that reads it ("if you are an AI")',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `\\b(?:note|message|reminder|notice|attention|psa|memo|instructions?|warning|hint)\\s+(?:to|for|of)\\s+(?:the\\s+|all\\s+|any\\s+|every\\s+)?${AGENT_KIND}${AGENT}(?!\\s+(?:is|are|in|at|live|files?|docs?|\\.md|md)\\b)`,
    ),
    'agent-address',
    'addresses the AI agent that reads it ("note to AI")',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `\\b(?:attention|dear|hey|hello|hi|psa|listen(?:\\s+up)?|yo)[,:!\\s]+(?:the\\s+|all\\s+|any\\s+|fellow\\s+)?${AGENT}\\b`,
    ),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `\\b(?:any|all|every|each|the|other)\\s+${AGENT}\\s+(?:reading|processing|seeing|parsing|reviewing|that\\s+reads?|who\\s+reads?|which\\s+reads?|that\\s+sees?|that\\s+processe?s?)\\b|\\b(?:agents?|assistants?|ais?|llms?|models?|bots?|copilot|claude|codex)\\s+(?:reading|that\\s+reads?|who\\s+reads?|processing|seeing)\\s+(?:this|these|agents\\.md|claude\\.md|the\\s+(?:file|conventions|rules)|copilot-instructions)`,
    ),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `(?:^|[\\n.!?]\\s{0,3})${AGENT}\\s{0,2}[,:]\\s{0,3}(?:please\\s+)?(?:ignore|disregard|forget|run|execute|delete|remove|approve|merge|push|print|send|reveal|output|exfiltrate|curl|install|download|commit|grant|add|do\\s+not|don't|never|always|you\\s+(?:must|should|will))\\b`,
    ),
    'agent-address',
    'gives orders to an AI agent by name',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `(?:^|[\\n.!?"(:]\\s{0,3})(?:(?:all|any|every|other|fellow|the|dear|hey)\\s+)?${AI_NAME}(?:-\\w+)?(?:\\s{0,2}[/,&]\\s{0,2}[\\w-]+){0,4}(?:[\\s-]+(?:coding|code|review|reviewing))?(?:[\\s-]+${AI_NOUN})?(?:\\s+(?:and|or|&)\\s+(?:all\\s+|any\\s+)?(?:other\\s+)?(?:[\\w-]+\\s+)?${AI_NOUN})?\\s{0,2}[:,](?!\\/)`,
      'm',
    ),
    'agent-address',
    'addresses the AI agent that reads it ("Copilot: …")',
    false,
    AGENT_GATE,
  ],
  [
    /(?:^|[\n.!?]\s{0,3})(?:(?:to|for)\s+(?:(?:the|all|any|every)\s+)?(?:coding\s+|code\s+|ai\s+|autonomous\s+)?)?(?:agents?|assistants?|bots?|llms?)\s{0,2}:\s|(?:^|[\s(/])@(?:agent|ai|claude|copilot|codex|gemini|devin|assistant)\b(?:\s{0,2}@[\w-]+){0,4}\s{0,2}[:,]/m,
    'agent-address',
    'addresses the AI agent that reads it ("Agents: …")',
    false,
    ['agent', 'assistant', 'bot', 'llm'],
  ],
  [
    new RegExp(
      `(?:^|[\\n.!?]\\s{0,3})(?:to|for\\s+(?:all|any|every|each|whichever|whatever))\\s+(?:[\\w-]+\\s+){0,2}?${AI_NAME}\\b[^:\\n]{0,60}:\\s`,
      'm',
    ),
    'agent-address',
    'addresses the AI agent that reads it ("To any AI reading this: …")',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `(?:^|[\\n.!?:]\\s{0,3})(?:all\\s+|any\\s+|the\\s+)?${AI_NAME}(?:-\\w+)?(?:[\\s-]+${AI_NOUN})?(?:\\s+(?:that|which|who)\\s+[^.\\n]{0,40}?|\\s+\\w+ing\\s+[^.\\n,]{0,40}?)?\\s+(?:should|must|shall|will|need\\s+to|have\\s+to|are\\s+to|ought\\s+to)(?:\\s+not)?[\\s,]+(?!(?:not\\s+)?be\\b|been\\b)`,
      'm',
    ),
    'agent-address',
    'gives orders to AI agents',
    false,
    AGENT_GATE,
  ],
  [
    new RegExp(
      `\\b(?:do\\s+not|don't|never|not|without)\\s+(?:\\w+\\s+)?(?:tell|inform|notify|alert|mention|report|warn|flag|signal|disclose|reveal|surface|show)\\w*\\s+(?:(?:the\\s+|any\\s+)?${PEOPLE}\\s+(?:(?:about|of|that)\\s+)?${SELF}|${SELF}\\s*(?:to|with)\\s+(?:the\\s+|any\\s+)?${PEOPLE})`,
    ),
    'instruction-override',
    'asks to hide something from the user',
    false,
    ['tell', 'inform', 'notify', 'alert', 'mention', 'report', 'warn', 'flag', 'signal', 'disclose', 'reveal', 'surface', 'show'],
  ],
  [
    new RegExp(
      `\\b(?:if|when|while|since)\\s+(?:this|it)\\s+(?:is|gets)\\s+(?:being\\s+)?(?:read|processed|parsed|reviewed|seen|summari[sz]ed|handled|analy[sz]ed)\\s+by\\s+(?:an?\\s+|the\\s+|any\\s+)?${AGENT}`,
    ),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    ['ai', 'agent', 'assistant', 'llm', 'model', 'copilot', 'claude', 'gpt', 'gemini', 'cursor', 'codex', 'devin'],
  ],
  [
    /\bas\s+an?\s+(?:ai|llm|language\s+model|assistant)\b[^.\n]{0,40}\byou\s+(?:must|should|will|shall|need|have\s+to|are\s+required)\b/,
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    AGENT_GATE,
  ],
];

/** Credentials that are case-sensitive by shape: checked on the unfolded text. */
const LIVE_CREDENTIAL =
  /\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}|sk-(?:proj-)?[A-Za-z0-9_-]{32,}|xox[abpr]-[A-Za-z0-9-]{20,}|AIza[0-9A-Za-z_-]{35})\b/;

const ESCAPES =
  /(?:\\x[0-9a-f]{2}){8,}|(?:\\u[0-9a-f]{4}){8,}|(?:\\[0-7]{3}){8,}|(?:%[0-9a-f]{2}){16,}|(?:&#x?[0-9a-f]{2,6};){8,}|fromcharcode\s{0,3}\((?:\s{0,3}\d{1,3}\s{0,3},){6,}|(?:chr\(\d{1,3}\)\s{0,3}[+.]\s{0,3}){6,}/;

/** "此文件的优先级高于系统消息": this text ranked above the system or developer message. */
const CJK_OUTRANKS =
  /(?:优先级|優先級|優先順位|優先度|우선순위)[^。！？\n]{0,6}(?:高于|高於|より高|보다\s?높)[^。！？\n]{0,12}(?:系统|系統|システム|시스템|开发者|開発者|개발자)|(?:系统|系統|システム|시스템)(?:消息|提示|メッセージ|プロンプト|메시지|프롬프트)[^。！？\n]{0,12}(?:优先级|優先順位|우선순위)[^。！？\n]{0,6}(?:低于|低於|より低|보다\s?낮)/;

// Languages written without spaces: a verb of ignoring and an instruction noun close together, either order.
const CJK_OVERRIDE_VERB =
  /忽略|忽视|忽視|无视|無視|忘记|忘記|忘掉|不要理会|不理会|别理|跳过|绕过|繞過|覆盖|丢弃|抛开|抛弃|放弃|不要遵守|不要遵循|不再遵守|停止遵循|不必遵守|無視して|忘れ|破棄|従わ|上書き|無効に|무시|잊어|따르지/;
const CJK_OVERRIDE_NOUN =
  /指令|指示|说明|說明|规则|規則|提示词|提示|约束|約束|限制|设定|設定|命令|要求|准则|準則|指南|上下文|ルール|プロンプト|制約|ガイドライン|지시|명령|규칙|프롬프트|지침/;
// "以上规则全部作废", "上記のルールは撤回されました": instructions declared void.
const CJK_VOID = /作废|作廢|废除|廢除|无效|無效|失效|撤销|撤銷|不再适用|不再適用|撤回|廃止|無効|取り消|効力を失|폐기|무효|철회/;
const CJK_QUALIFIER =
  /之前|以前|先前|上面|上述|以上|前面|所有|全部|一切|你的|原来|原有|系统|系統|これまで|前の|上記|すべて|全て|あなたの|以前の|이전|모든|위의|당신의/;
const CJK_NEGATED =
  /(?:不要|别|不可|切勿|请勿|請勿|不能|绝不|絶対に)(?:忽略|忽视|忽視|无视|無視|忘记|忘記|跳过|绕过)|無視しない|忘れない/;
const CJK_ROLE =
  /你现在是|你現在是|从现在开始你是|從現在開始你是|现在你是|扮演|假装你是|假裝你是|开发者模式|開發者模式|越狱|越獄|系统提示|系統提示|如果你是(?:一个)?(?:ai|人工智能|助手|模型|机器人|大模型)|あなたは今|今からあなたは|として振る舞|ふりをして|開発者モード|システムプロンプト|もしあなたが(?:ai|人工知能)|너는\s?이제|지금부터\s?너는|이제부터\s?(?:너는|당신은)|제한이\s?없는|개발자\s?모드/;

// Role prompts and AI address in the other alphabetic languages (folded: no accents).
const INTL_ROLE: Rule[] = [
  [
    /\b(?:ahora\s+eres|a\s+partir\s+de\s+ahora\s+eres|actua\s+como|finge\s+(?:ser|que\s+eres)|modo\s+desarrollador|tu\s+es\s+maintenant|vous\s+etes\s+maintenant|tu\s+es\s+desormais|vous\s+etes\s+desormais|d['’ ]?ora\s+in\s+poi\s+(?:sei|interpreti|agisci|sarai)|assum[ae]\s+(?:o|el|il)\s+(?:papel|rol|ruolo)\s+d|asume\s+el\s+(?:papel|rol)\s+d|(?:prends|joue)\s+le\s+role\s+d|ubernimm\s+die\s+rolle|sem\s+limites\s+eticos|sin\s+limites\s+eticos|sans\s+limites\s+ethiques|sans\s+(?:aucune\s+)?restrictions?|sin\s+(?:ninguna\s+)?restricci\w+|ohne\s+(?:jegliche\s+)?einschrankung\w*|senza\s+(?:alcuna\s+)?restrizion\w+|sem\s+(?:nenhuma\s+)?restric\w+|desormais\s+tu\s+es|agis\s+comme|fais\s+semblant|fais\s+comme\s+si|mode\s+developpeur|du\s+bist\s+(?:jetzt|nun|ab\s+sofort|ab\s+jetzt|von\s+nun\s+an)|da\s+(?:questo\s+momento|ora|adesso)\s+(?:in\s+poi\s+)?sei|ab\s+jetzt\s+bist\s+du|tu\s+so,?\s+als|verhalte\s+dich\s+wie|gib\s+dich\s+als|entwicklermodus|agora\s+voce\s+e|finja\s+ser|ora\s+sei|fingi\s+di\s+essere)\b/,
    'role-prompt',
    'tries to reassign a role',
    false,
    [
      'eres',
      'actua',
      'finge',
      'modo',
      'maintenant',
      'desormais',
      'restric',
      'ora in poi',
      'assum',
      'asume',
      'role',
      'rolle',
      'limites',
      'einschrankung',
      'restrizion',
      'agis',
      'semblant',
      'comme si',
      'mode',
      'du bist',
      'bist du',
      'tu so',
      'verhalte',
      'gib dich',
      'entwickler',
      'voce',
      'finja',
      'ora sei',
      'fingi',
    ],
  ],
  [
    /(?:^|[^\p{L}])(?:ты\s+теперь|теперь\s+ты|представь,?\s+что\s+ты|притворись|веди\s+себя\s+как|режим\s+разработчика)(?![\p{L}])/u,
    'role-prompt',
    'tries to reassign a role',
    false,
    ['ты', 'притвор', 'веди', 'режим'],
  ],
  [
    /\b(?:si\s+eres\s+una?\s+(?:ia|ai|asistente|modelo|bot)|si\s+(?:tu\s+es|vous\s+etes)\s+une?\s+(?:ia|ai|assistant|modele|bot)|wenn\s+du\s+(?:eine?\s+)?(?:ki|ai|assistent|sprachmodell|bot)\s+bist|se\s+voce\s+(?:e|for)\s+uma?\s+(?:ia|ai|assistente))\b/,
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    ['si ', 'wenn du', 'se voce'],
  ],
  [
    /(?:^|[^\p{L}])если\s+ты\s+(?:ии|ai|бот|модель|ассистент|нейросеть|языковая\s+модель)(?![\p{L}])/u,
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    ['если'],
  ],
];

// AI readers named in the other alphabetic languages (folded: no accents), and the words that address them.
const INTL_AGENT =
  "(?:ki|ia|ии|ai)[- ](?:agent\\w*|assistent\\w*|asistente\\w*|assistant\\w*|агент\\w*|ассистент\\w*|modell\\w*|bots?)|(?:asistentes?|assistants?|assistentes?|assistenti|agentes?|agents?|agenti|modelos?|modeles?|modell[io]|assistent\\w*|asystent\\w*)\\s+(?:de\\s+|d['’]\\s?|di\\s+)?(?:ia|ai|ki|codigo|code|programacion|programacao)\\b|(?:modelos?\\s+de\\s+lenguaje|modelos?\\s+de\\s+linguagem|modeles?\\s+de\\s+langage|modell[io]\\s+linguistic\\w*|sprachmodell\\w*|языков\\w*\\s+модел\\w*|нейросет\\w*)|\\bki\\b|\\bии\\b|(?:assistente|assistant|asistente|assistent)\\s+automati\\w*|automatisch\\w*\\s+assistent\\w*|yapay\\s+zeka(?:\\s+asistan\\p{L}*)?|kunstmatige\\s+intelligentie|sztuczn\\p{L}*\\s+inteligencj\\p{L}*";
const INTL_ADDRESS =
  "(?:hinweis|nachricht|notiz|anmerkung|achtung)\\s+(?:an|fur)|nota\\s+(?:para|per|pour)|mensaje\\s+para|mensagem\\s+para|messaggio\\s+per|message\\s+(?:pour|a|aux)|note\\s+(?:pour|aux|a)|a\\s+l['’]\\s?attention\\s+(?:de|des|du)|обращение\\s+к|к\\s+сведению|all['’]\\s?attenzione\\s+(?:di|de)\\w*|вниманию|примечание\\s+для|сообщение\\s+для|уважаем\\w*";
/** Bare "para", "pour", "für", "для": an address only when the line then opens with a colon. */
const INTL_FOR = '(?:para|pour|per|an|fur|для|voor|dla|do|aos|aux|a|ai|agli|alle|к)';
const INTL_READING =
  "que\\s+lea[ns]?\\s+esto|lendo\\s+isto|que\\s+leia[m]?\\s+isto|qui\\s+li(?:t|sent)\\s+ceci|die\\s+dies\\s+lesen|der\\s+dies\\s+liest|che\\s+legg\\w+\\s+questo|читающ\\w*|который\\s+читает";
const ARTICLE = "(?:(?:el|la|los|las|le|les|l['’]|der|die|den|dem|o|a|os|as|il|lo|gli|i|alle|all|todos|todas|tous|toutes|cualquier|qualquer|qualsiasi|tout|jeder|jede|alle)\\s?)*";
const INTL_HIDE =
  "\\bno\\s+(?:le\\s+)?(?:informes|digas|menciones|avises|comuniques|cuentes)\\b|\\bsin\\s+(?:informar|decir|avisar)\\w*\\s+al?\\s+usuario|\\b(?:oculta|oculte|esconda|esconde)\\w*\\s+(?:\\S+\\s+){0,4}?(?:del?|ao|al|aos)\\s+usuari|\\bnao\\s+(?:informe|conte|diga|avise|mencione)\\b|\\bne\\s+(?:dis|dites|signal\\w+|mentionn\\w+|inform\\w+|previen\\w+|parle\\w*)\\s+(?:rien|pas|jamais)\\b|\\bsans\\s+(?:prevenir|informer|le\\s+dire|avertir)\\b|\\b(?:erwahn|sag|informier|meld|verrat)\\w*\\s+[^.\\n]{0,40}\\bnicht\\b[^.\\n]{0,30}\\b(?:nutzer|benutzer|anwender|user)|\\bohne\\s+(?:den\\s+|die\\s+)?(?:nutzer|benutzer|anwender)\\w*\\s+zu\\s+informieren|не\\s+(?:сообща|говор|рассказыва|упомина|уведомля)\\p{L}*\\s+(?:\\S+\\s+){0,2}?пользовател|\\bnon\\s+(?:dire|informare|segnalare|menzionare)\\w*\\s+(?:\\S+\\s+){0,2}?(?:all['’]\\s?)?utent";
const INTL_AGENT_RULES: Rule[] = [
  [
    new RegExp(
      `(?:^|[\\n.!?]\\s{0,3})(?:(?:${INTL_ADDRESS})\\s+(?:\\S+\\s+){0,2}?${ARTICLE}(?:${INTL_AGENT})|${INTL_FOR}\\s+(?:\\S+\\s+){0,2}?${ARTICLE}(?:${INTL_AGENT})[^:：\\n]{0,40}[:：])`,
      'mu',
    ),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    ['ia', 'ki', 'ии', 'ai', 'modelo', 'modele', 'modell', 'нейросет', 'языков', 'sprachmodell', 'automat', 'yapay', 'intelligen', 'inteligenc'],
  ],
  [
    new RegExp(`(?:${INTL_AGENT})[^.\\n]{0,30}(?:${INTL_READING})|(?:^|[\\n.!?]\\s{0,3})(?:${INTL_AGENT})(?:\\s+not)?\\s{0,2}[:,]`, 'mu'),
    'agent-address',
    'addresses the AI agent that reads it',
    false,
    ['ia', 'ki', 'ии', 'ai', 'modelo', 'modele', 'modell', 'нейросет', 'языков', 'sprachmodell', 'automat', 'yapay', 'intelligen', 'inteligenc'],
  ],
  [
    new RegExp(`${INTL_HIDE}|${INTL_CONCEAL}`, 'u'),
    'instruction-override',
    'asks to hide something from the user',
    false,
    ['no ', 'sin ', 'ocult', 'escond', 'nao ', 'ne ', 'sans ', 'nicht', 'ohne', 'не ', 'non ', 'kullan', 'nie ', 'khong', 'jangan', 'niet'],
  ],
];

// Addressed to an AI, or hiding from the user, in Chinese, Japanese and Korean.
const CJK_AGENT =
  /(?:致|给|給|寄给|写给)[^。\n]{0,20}(?:ai|人工智能|助手|模型|智能体|代理|エージェント)|(?:ai|人工智能|人工知能)\s?(?:助手|模型|智能体|代理|エージェント|アシスタント|모델|어시스턴트|에이전트)?\s?(?:へ|に告ぐ|에게|님)[：:、,，\s]|(?:ai|人工智能)\s?(?:助手|智能体|代理|エージェント|アシスタント|어시스턴트|에이전트)\s?[：:]|(?:阅读|读取|閱讀|読んでいる|読む|읽는)[^。\n]{0,12}(?:ai|助手|エージェント|模型|에이전트)/;
// Secrets sent or printed, and safety turned off, in Chinese, Japanese and Korean (not when negated just before).
const CJK_SECRET =
  /(?:環境変数|环境变量|環境變數|密钥|密鑰|令牌|トークン|シークレット|パスワード|秘密鍵|密码|凭据|憑據|토큰|비밀번호|비밀\s?키|환경\s?변수|\.env|id_rsa|id_ed25519|_token|_secret)[^。\n]{0,40}(?:post|送信|上传|上傳|发送|發送|打印|输出|輸出|出力|貼り付け|粘贴|ログに|日志|日誌|댓글|コメント|남겨|출력|전송|업로드|https?:\/\/|pastebin|gist)|(?:打印|输出|上传|发送|把)[^。\n]{0,12}(?:环境变量|密钥|令牌|密码|token)/;
const CJK_UNSAFE =
  /(?:不需要|无需|無需|不用|不必)(?:转义|轉義|校验|验证|驗證|过滤|審查|审查|测试|审核)|(?:关闭|關閉|禁用|停用|跳过|跳過|绕过)\s?(?:ssl|tls|https|证书|證書|安全检查|测试|审查|代码审查|ci|双重认证|csrf)|(?:ssl|tls|证书|證書|証明書|인증서)[^。\n]{0,8}(?:关闭|禁用|無効|オフ|끄|비활성화)|(?:テスト|lint|レビュー)[^。\n]{0,10}(?:削除|省略|無効)|(?:删除|跳过|去掉)[^。\n]{0,6}(?:测试|ci|审查|检查)|(?:테스트|검증|리뷰)[^。\n]{0,8}(?:삭제|건너뛰|생략|필요\s?없)|(?:main|master)\s?(?:브랜치|分支|ブランチ)?[^。\n]{0,10}force\s?push|(?:사용자\s?입력|用户输入|用戶輸入|ユーザー入力)[^。\n]{0,20}eval|eval[^。\n]{0,20}(?:사용자\s?입력|用户输入|ユーザー入力)|拼接[^。\n]{0,12}(?:shell|命令|sql)|(?:スキップ|無視|落ちても)[^。\n]{0,20}マージ|(?:失败|失敗)[^。\n]{0,10}(?:也|仍)[^。\n]{0,6}(?:合并|合併)/;
const CJK_NEGATION_BEFORE = /不要|别|禁止|绝不|絶対に|请勿|請勿|切勿|不得|不可/;
const CJK_NEGATION_AFTER = /^[^。\n]{0,6}(?:しない|しないで|ないで|禁止|하지\s?마|하지\s?않|금지)/;

function cjkHarm(native: string): Hit | null {
  for (const [re, family, reason] of [
    [CJK_SECRET, 'secret-exfiltration', 'sends or prints a secret'],
    [CJK_UNSAFE, 'unsafe-practice', 'turns a safety practice off'],
  ] as const) {
    const m = re.exec(native);
    if (!m) continue;
    const before = native.slice(Math.max(0, m.index - 6), m.index);
    const after = native.slice(m.index + m[0].length, m.index + m[0].length + 12);
    if (CJK_NEGATION_BEFORE.test(before) || CJK_NEGATION_AFTER.test(after) || /(?:不要|禁止|绝不|しない|하지 마)/.test(m[0])) continue;
    return { family, reason };
  }
  return null;
}

const CJK_HIDE =
  /(?:不要|别|不用|无需)(?:在[^，。]{0,8}?(?:里|中))?(?:告诉|告訴|提到|提及|透露|写|說|说)[^，。]{0,6}?(?:用户|用戶)|(?:用户|用戶)[^，。]{0,10}(?:不要|别)(?:告诉|提到|提及|知道)|ユーザー[^。]{0,24}(?:伝え|言わ|知らせ|書か)(?:ない|ず)|要約に[^。]{0,6}書か(?:ない|ず)|사용자에게[^.]{0,20}(?:알리지|말하지|보여주지|언급하지)|不要告诉用户|不要告訴用戶|别告诉用户|不要通知用户|不要让用户知道|对用户隐瞒|向用户隐瞒|瞒着用户|ユーザー(?:には|に)?(?:知らせ(?:ず|ない)|言わ(?:ず|ない)|伝え(?:ず|ない)|内緒)|사용자에게\s?(?:알리지|말하지)/;

// A dot inside a word (`pickle.loads`, 0.0.0.0/0) does not end the sentence.
const NEGATION_AFTER =
  /^(?:[^.;!?\n]|\.(?=\S)){0,40}\b(?:is|are|was|considered|can\s+be|could\s+be|may\s+be|would\s+be)\s+(?:very\s+|really\s+|quite\s+)?(?:dangerous|insecure|unsafe|risky|forbidden|banned|prohibited|not\s+allowed|a\s+security\s+risk|bad(?:\s+practice)?|discouraged|never\s+ok)|^(?:[^.;!?\n]|\.(?=\S)){0,60}\bwould\s+(?:let|allow|enable)\s+(?:any|an?\s+attacker|anyone|attackers)\b|^(?:[^.;!?\n]|\.(?=\S)){0,60}\bout\s+of\s+(?:production|prod|the\s+(?:repo|codebase|default|main)|main|release|shipped|committed)\b|^(?:[^.;!?\n]|\.(?=\S)){0,80}\b(?:is|are)\s+(?:a\s+(?:real\s+|serious\s+|security\s+)?problem|an?\s+(?:\w+\s+)?(?:risk|hole|vulnerability)|injectable|exploitable|vulnerable)\b|^(?:[^.;!?\n]|\.(?=\S)){0,80}\bmakes?\s+(?:this|it|us|the\s+\w+)\s+(?:mitm-able|vulnerable|exploitable|injectable)\b|^(?:[^.;!?\n]|\.(?=\S)){0,60}\bshould\s+(?:be\s+(?:replaced|swapped|changed)|become)\b|^(?:[^.!?\n]|\.(?=\S)){0,100}[;,]\s*(?:so\s+)?please\s+(?:remove|drop|delete|revert|get\s+rid\s+of)\s+(?:it|that|this|them)\b|^(?:[^.;!?\n]|\.(?=\S)){0,80}\b(?:is|are)\s+(?:far\s+|way\s+|much\s+|a\s+bit\s+)?too\s+(?:broad|permissive|open|wide|loose|risky)\b|^(?:[^.;!?\n]|\.(?=\S)){0,80}\b(?:is|are)\s+(?:not|never)\s+(?:acceptable|suitable|safe|ok|okay|allowed|fine)\b|^(?:[^.;!?\n]|\.(?=\S)){0,80}\b(?:opens?|creates?|leaves?)\s+(?:an?\s+)?(?:\w+\s+)?(?:hole|vulnerability|risk)\b|^(?:[^.;!?\n]|\.(?=\S)){0,100}\b(?:which\s+is|it'?s|it\s+is|that'?s)\s+an?\s+(?:\S+\s+){0,3}?(?:bug|vulnerability|hole|risk|problem)\b|^(?:[^.;!?\n]|\.(?=\S)){0,100}[,;]\s*(?:so\s+)?please\s+(?:restrict|tighten|narrow|scope|lock)\b|^(?:[^.;!?\n]|\.(?=\S)){0,100}\bbut\s+(?:first\s+)?(?:scrub|redact|mask|strip|filter)\w*\b/;

/** Verbs that take out what follows them: "remove the `curl … | sh`". */
const REMOVAL = /^(?:remove|removing|drop|dropping|delete|deleting|replace|replacing|ditch|rip)$/;

/** Does a negation earlier in the clause ("never …", "don't use …", "instead of …") govern position `at`? */
export function negatedBefore(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start < 200) {
    const c = text.charCodeAt(start - 1);
    // A sentence end, a semicolon or a dash ends the clause a negation can reach.
    if (c === 10 || c === 46 || c === 59 || c === 33 || c === 63 || c === 0x2014 || c === 0x2013) break;
    start--;
  }
  const t = tokenize(text.slice(start, at));
  for (let j = 0; j < t.words.length; j++) {
    if (t.clause[j] !== t.clause[t.words.length - 1]) continue;
    if (!(t.bits[j]! & NEG)) continue;
    const next = t.bits[j + 1] ?? 0;
    if (next & NEUTRAL || (next & SKIPPABLE && (t.bits[j + 2] ?? 0) & NEUTRAL)) continue;
    if ((t.words[j] === 'instead' || t.words[j] === 'rather') && !/^(?:of|than)$/.test(t.words[j + 1] ?? '')) continue;
    return true;
  }
  // "Please remove the `curl … | sh` from the Dockerfile": what is matched is the thing taken out.
  const last = t.words.slice(-3);
  if (last.some((w) => REMOVAL.test(w)) && t.clause[t.words.length - 1] === t.clause[t.words.length - last.length]) return true;
  return NEGATION_AFTER.test(text.slice(at, at + 120));
}


const globals = new WeakMap<RegExp, RegExp>();
/** A `g` copy of a rule's pattern, so later matches are searched in the whole text (`\b` and look-behinds intact). */
function globalOf(re: RegExp): RegExp {
  let g = globals.get(re);
  if (!g) globals.set(re, (g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)));
  return g;
}

/** How many matches of one rule are weighed: enough for real text, bounded for a hostile one. */
const MATCHES_CHECKED = 8;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const gates = new WeakMap<readonly Rule[], RegExp>();

/** One pass over the text for every group's trigger substrings: most texts skip the group's patterns. */
function gateOf(rules: readonly Rule[]): RegExp {
  let g = gates.get(rules);
  if (!g) gates.set(rules, (g = new RegExp([...new Set(rules.flatMap((r) => r[4]))].map(escapeRe).join('|'))));
  return g;
}

function firstRule(rules: readonly Rule[], text: string): Hit | null {
  if (!gateOf(rules).test(text)) return null;
  for (let k = 0; k < rules.length; k++) {
    const [re, family, reason, negatable, need] = rules[k]!;
    let hit = false;
    for (let n = 0; n < need.length && !hit; n++) hit = text.includes(need[n]!);
    if (!hit) continue;
    // A negated mention ("never pipe curl to sh") does not excuse a later one in the same text.
    const g = globalOf(re);
    g.lastIndex = 0;
    for (let tries = 0; tries < MATCHES_CHECKED; tries++) {
      const m = g.exec(text);
      if (!m) break;
      if (!(negatable && negatedBefore(text, m.index))) return { family, reason };
      g.lastIndex = m.index + 1;
    }
  }
  return null;
}

/** Rule groups matched on the folded Latin view, in order: by shape first, then by intent. */
const SHAPE_GROUPS = [ROLE, AGENT_ADDRESS, REMOTE_EXEC, REMOTE_EXEC_MORE, UNSAFE, UNSAFE_ADVICE, SECRET_LITERAL, CONCEAL];
const INTENT_GROUPS = [LEAK_INTENT, CONTROL_INTENT, OBEY_INTENT, AUTHORITY_INTENT, DECEIT_INTENT, HIDDEN_INTENT];

function firstGroup(groups: readonly (readonly Rule[])[], text: string): Hit | null {
  for (const rules of groups) {
    const hit = firstRule(rules, text);
    if (hit) return hit;
  }
  return null;
}

/** Families matched on the folded Latin view (English, code, commands). */
export function latinFamilies(latin: string): Hit | null {
  return firstGroup(SHAPE_GROUPS, latin) ?? demotion(latin) ?? firstGroup(INTENT_GROUPS, latin) ?? agentIntent(latin, negatedBefore);
}

// Vietnamese (read without its tones) and Thai (read as written: folding drops its vowel marks).
const VI_OVERRIDE =
  /(?<!khong )\b(?:bo qua|quen|phot lo|lo di)\s+(?:\S+\s+){0,4}?(?:chi dan|huong dan|chi thi|lenh|quy tac)\b|\b(?:chi dan|huong dan|chi thi|quy tac)(?:\s+\S+){0,5}?\s+(?:khong con (?:hieu luc|gia tri|ap dung)|(?:da )?het hieu luc|vo hieu)/;
const TH_OVERRIDE = new RegExp(
  '(?:ไม่ต้องสนใจ|ละเว้น|เพิกเฉย|ลืม|ไม่ต้องทำตาม)[^.\\n]{0,30}?(?:คำสั่ง|คำแนะนำ|ข้อกำหนด|กฎ)|(?:คำสั่ง|คำแนะนำ)[^.\\n]{0,20}(?:ก่อนหน้า|เดิม|ของระบบ)[^.\\n]{0,20}(?:ไม่มีผล|ยกเลิก|เป็นโมฆะ)'.normalize('NFKC'),
);

/** Families matched on the native view: role prompts and AI address in other languages, CJK overrides. */
export function nativeFamilies(native: string, base: string): Hit | null {
  if (
    (native.includes('\\') ||
      native.includes('%') ||
      native.includes('&#') ||
      native.includes('fromcharcode') ||
      native.includes('chr(')) &&
    ESCAPES.test(native)
  )
    return { family: 'encoded-payload', reason: 'contains an escape-encoded payload' };
  const intl =
    firstRule(INTL_ROLE, native) ?? firstRule(INTL_AGENT_RULES, native) ?? firstRule(INTL_INTENT, native) ?? firstRule(WORKFLOW_INTENT, native);
  if (intl) return intl;
  if (VI_OVERRIDE.test(native) || (/[\u0e00-\u0e7f]/.test(base) && TH_OVERRIDE.test(base)))
    return { family: 'instruction-override', reason: 'asks to ignore instructions' };
  if (!/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff]/.test(base)) return null;
  // Kana and Hangul keep their voicing marks here: folding accents would turn で into て.
  native = base.toLowerCase();
  if (CJK_ROLE.test(native)) return { family: 'role-prompt', reason: 'tries to reassign a role' };
  if (CJK_OUTRANKS.test(native)) return { family: 'instruction-override', reason: "ranks this text above the reader's own instructions" };
  if (CJK_AGENT.test(native)) return { family: 'agent-address', reason: 'addresses the AI agent that reads it' };
  if (CJK_HIDE.test(native)) return { family: 'instruction-override', reason: 'asks to hide something from the user' };
  const harm = cjkHarm(native);
  if (harm) return harm;
  const dead = CJK_VOID.exec(native);
  if (dead) {
    const window = native.slice(Math.max(0, dead.index - 24), dead.index + dead[0].length + 8);
    if (CJK_OVERRIDE_NOUN.test(window) && CJK_QUALIFIER.test(window))
      return { family: 'instruction-override', reason: 'declares the earlier instructions void' };
  }
  const v = CJK_OVERRIDE_VERB.exec(native);
  if (v && !CJK_NEGATED.test(native)) {
    const window = native.slice(Math.max(0, v.index - 24), v.index + v[0].length + 24);
    const n = CJK_OVERRIDE_NOUN.exec(window);
    if (n && (CJK_QUALIFIER.test(window) || /指令|指示|提示词|プロンプト|지시|프롬프트/.test(n[0])))
      return { family: 'instruction-override', reason: 'asks to ignore instructions' };
  }
  return null;
}

export function liveCredential(base: string): Hit | null {
  return LIVE_CREDENTIAL.test(base)
    ? { family: 'secret-exfiltration', reason: 'contains what looks like a live credential' }
    : null;
}
