/**
 * The harm families found by shape: remote execution one-liners, safety-disabling flags and commands, and
 * secrets printed or pasted. Data only; patterns.ts runs them. Every pattern is bounded (see patterns.ts).
 */
/** Pattern, family, reason, negatable, and substrings of which one must occur (a cheap gate before the pattern). */
export type Rule = [RegExp, string, string, boolean, readonly string[]];

const SH =
  '(?:(?:ba|z|k|da|fi|c|tc)?sh|python[\\d.]*|py|perl|ruby|node|php|iex|invoke-expression|pwsh|powershell|source|bun|deno|lua|osascript)';

export const REMOTE_EXEC: readonly Rule[] = [
  [
    new RegExp(
      `\\b(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|fetch|https?|aria2c|lwp-download)\\b[^|\\n]{0,300}\\|\\s{0,4}(?:sudo\\s+(?:-\\S+\\s+){0,3})?${SH}\\b`,
    ),
    'remote-execution',
    'pipes a download into a shell',
    true,
    ['|'],
  ],
  [
    /(?:^|[\s;&|(`])(?:(?:ba|z|k|da)?sh|source|\.)\s{1,4}<\(\s{0,4}(?:curl|wget|iwr|fetch)\b/,
    'remote-execution',
    'runs a downloaded script (process substitution)',
    true,
    ['<('],
  ],
  [
    new RegExp(
      `\\b${SH}\\s+(?:-\\w+\\s+){0,3}-[cer]\\s{0,4}["']?\\s{0,4}(?:\\$\\(|\`)\\s{0,4}(?:curl|wget|iwr|irm|fetch|echo|printf|base64|xxd|tr|rev|openssl|cat)\\b`,
    ),
    'remote-execution',
    'runs a downloaded script',
    true,
    ['-c', '-e', '-r'],
  ],
  [
    /\beval\s{0,4}["'(]?\s{0,4}(?:\$\(|`)\s{0,4}(?:curl|wget|base64|xxd|openssl|echo\s+\S+\s{0,4}\|\s{0,4}base64|printf)/,
    'remote-execution',
    'evaluates downloaded or decoded text',
    true,
    ['eval'],
  ],
  [
    /\biex\s{0,4}\(?\s{0,4}\(?\s{0,4}(?:iwr|irm|invoke-webrequest|invoke-restmethod|new-object|\[system\.text|\(new-object|\$\w)|\binvoke-expression\b|\|\s{0,4}iex\b|\.downloadstring\s{0,4}\(|\bpowershell(?:\.exe)?\s+(?:-\w+(?:\s+[a-z]\w*)?\s+){0,5}-(?:e|ec|enc|encodedcommand)\s+[a-z0-9+/=]{16,}|-encodedcommand\s+[a-z0-9+/=]{16,}/,
    'remote-execution',
    'PowerShell download-and-execute',
    true,
    ['iex', 'invoke-expression', 'downloadstring', 'powershell', '-encodedcommand'],
  ],
  [
    new RegExp(
      `\\b(?:base64\\s+(?:-d|--decode|-D)|xxd\\s+-r|openssl\\s+(?:enc\\s+)?-?base64\\s+-d|gunzip|zcat|uudecode|rev)\\b[^|\\n]{0,120}\\|\\s{0,4}(?:sudo\\s+)?${SH}\\b`,
    ),
    'remote-execution',
    'decodes a payload into a shell',
    true,
    ['|'],
  ],
  [
    /\b(?:exec|eval)\s{0,4}\(\s{0,4}(?:urllib|requests|urlopen|fetch|http|atob|buffer\.from|base64|b64decode|codecs\.decode|bytes\.fromhex|__import__|compile\s{0,4}\(\s{0,4}(?:urllib|requests)|zlib)/,
    'remote-execution',
    'evaluates downloaded or decoded code',
    true,
    ['exec', 'eval'],
  ],
  [
    /\/dev\/tcp\/|\bnc(?:at)?\s+(?:-\w+\s+){0,4}-e\s+\/bin\/|\bmkfifo\b[^\n]{0,80}\bnc\b|\bsocat\b[^\n]{0,80}exec:|\bbash\s+-i\s+>&/,
    'remote-execution',
    'opens a reverse shell',
    false,
    ['/dev/tcp', 'nc', 'mkfifo', 'socat', 'bash -i'],
  ],
  [
    new RegExp(
      `\\b(?:pipe|piping|pipes)\\s+(?:\\S+\\s+){0,4}?(?:(?:in)?to|through)\\s+(?:a\\s+|the\\s+)?(?:shell|bash|sh|zsh|python|sudo)\\b|\\b(?:download|fetch|curl|wget)\\w*\\s+(?:and|then|&&)\\s+(?:immediately\\s+)?(?:run|execute|exec|source)\\w*\\s+(?:it|the\\s+script|whatever)\\b`,
    ),
    'remote-execution',
    'downloads and runs code',
    true,
    ['pip', 'download', 'fetch', 'curl', 'wget'],
  ],
];

const CRED_FILE =
  '(?:\\.(?:ssh\\/(?:id_\\w+|authorized_keys|config)?|aws\\/credentials|npmrc|netrc|docker\\/config\\.json|git-credentials|pypirc|kube\\/config|gnupg)|\\bid_(?:rsa|ed25519|ecdsa|dsa)\\b(?!\\.pub))';
const CRED_OR_ENV = `(?:${CRED_FILE}|\\.env\\b(?!\\.\\w))`;
const CRED_GATE = ['.ssh', '.aws', '.npmrc', '.netrc', '.docker', '.git-credentials', '.pypirc', '.kube', '.gnupg', 'id_rsa', 'id_ed', 'id_ecdsa', 'id_dsa'];
const FETCHES =
  '(?:https?:\\/\\/|urlopen|urllib|requests\\.get|fetch\\s{0,2}\\(|open-uri|uri\\.open|lwp|net::http|file_get_contents|http\\.get|iwr\\b|invoke-webrequest|downloadstring)';

const RUNS = '\\b(?:exec|eval|system|instance_eval|function|iex|invoke-expression|load|require)\\b';

export const REMOTE_EXEC_MORE: readonly Rule[] = [
  [
    new RegExp(
      `\\b(?:python[\\d.]*|py|node|deno|bun|ruby|perl|php|pwsh|powershell)\\s+(?:-\\S+\\s+){0,3}-(?:c|e|r|p|-eval|command)\\s{1,3}["'](?:[^\\n]{0,300}?${FETCHES}[^\\n]{0,300}?${RUNS}|[^\\n]{0,300}?${RUNS}[^\\n]{0,300}?${FETCHES})`,
    ),
    'remote-execution',
    'a one-liner that downloads code and runs it',
    true,
    [' -c', ' -e', ' -r', ' -p', '--eval', '-command'],
  ],
  [
    /\b(?:npx|pnpx|bunx|pipx\s+run|uvx|uv\s+tool\s+run|pip[\d.]*\s+install|python[\d.]*\s+-m\s+pip\s+install|npm\s+(?:i|install|exec)|yarn\s+(?:add|dlx)|pnpm\s+(?:add|dlx)|gem\s+install|go\s+run|deno\s+(?:run|install)|cargo\s+install)\b[^\n|;]{0,80}?(?:(?:git\+)?https?:\/\/|github:|gitlab:|bitbucket:|gist:)(?![^\s`'"]*(?:@[0-9a-f]{7,}|#sha256=))(?![^\n]{0,120}--(?:require-)?hash)/,
    'remote-execution',
    'installs or runs a package straight from a URL',
    true,
    ['http', 'github:', 'gitlab:', 'bitbucket:', 'gist:'],
  ],
  [
    /\b(?:curl|wget|iwr|invoke-webrequest|aria2c)\b[^\n]{0,200}\s(?:-o|-O|--output|-outfile|--output-document|>)\s{0,2}\S+[^]{0,200}?(?:\bchmod\s+(?:[ugoa]*\+x|0?[0-7]?[75][0-7]{2})\b|(?:^|[\s;&|`(])(?:(?:ba|z|da)?sh|source|\.)\s+\S{0,60}\.(?:sh|bash)\b|(?:^|[\s;&|`(])\.\/\S)/m,
    'remote-execution',
    'downloads a file and runs it',
    true,
    ['curl', 'wget', 'iwr', 'invoke-webrequest', 'aria2c'],
  ],
  [
    /\bgit\s+clone\s+\S+[^\n]{0,120}?(?:&&|;|\n)\s{0,4}(?:cd\s+\S+\s{0,4}(?:&&|;|\n)\s{0,4})?(?:\.\/\S|(?:ba|z)?sh\s+\S+\.sh\b|sudo\s)|\bfetch\s{0,2}\([^\n]{0,200}?\b(?:eval|new\s+function)\b|\b(?:invoke-webrequest|iwr)\b[^\n]{0,200}-outfile\s+\S+[^\n]{0,100}\b(?:start-process|invoke-item)\b|\b(?:fetch|download|grab|pull)\w*\s+[^\n]{0,20}https?:\/\/\S+[^]{0,200}?\b(?:run|execute|launch|start)\w*\s+[`'"]?(?:\.\/|sudo\s)/,
    'remote-execution',
    'downloads code and runs it',
    true,
    ['clone', 'fetch', 'webrequest', 'iwr', 'download', 'grab', 'pull'],
  ],
  [
    /\b(?:run|execute|exec|source|eval|load)\w*\s+(?:whatever|the|any|a)?\s{0,2}(?:\w+\s+)?(?:script|code|file|commands?|snippet)\s+(?:is\s+|that\s+is\s+|hosted\s+|found\s+|located\s+|published\s+|served\s+)?(?:at|from|on)\s+<?https?:\/\//,
    'remote-execution',
    'runs code fetched from a URL',
    true,
    ['http'],
  ],
  [
    /\beval\b(?:[^.\n]|\.(?=\S)){0,80}https?:\/\/|https?:\/\/(?:[^.\n]|\.(?=\S)){0,80}\beval\s{0,2}\(/,
    'remote-execution',
    'evaluates code fetched from a URL',
    true,
    ['eval'],
  ],
  [
    /\$\{\{\s{0,2}github\.event\.(?:comment|issue|pull_request|review|review_comment|head_commit|discussion|commits)\b[^}]{0,40}\.(?:body|title|message|ref|label|name)\s{0,2}\}\}(?:[^\n]{0,80}\b(?:shell|run|bash|sh|execute|eval|step)\b)?/,
    'remote-execution',
    'runs text from an issue or comment as code (script injection)',
    true,
    ['github.event'],
  ],
  [
    /\bdownload\w*\b(?:[^.\n]|\.(?=\S)){0,100}\b(?:run|execute|source|launch)s?\s+(?:it|them|the\s+(?:script|binary|file|helper|installer|tool))\b/,
    'remote-execution',
    'downloads a file and runs it',
    true,
    ['download'],
  ],
];

export const UNSAFE: readonly Rule[] = [
  [
    /\bverify\s{0,3}[=:]\s{0,3}false\b|\brejectunauthori[sz]ed\s{0,3}[=:]\s{0,3}false\b|\bnode_tls_reject_unauthori[sz]ed\s{0,3}[=:]\s{0,3}["']?0\b|\binsecureskipverify\s{0,3}[=:]?\s{0,3}true\b|\bssl_?verify(?:peer|host)?\s{0,3}[=:,]\s{0,3}(?:false|0)\b|\bcheck_hostname\s{0,3}=\s{0,3}false\b|\bcert_none\b|_create_unverified_context|\b(?:http\.)?sslverify\s{0,3}[=:\s]\s{0,3}false\b|\bgit_ssl_no_verify\b|\bpythonhttpsverify\s{0,3}=\s{0,3}0\b|\bstrict[-_]ssl\s{0,3}[=:\s]\s{0,3}false\b|--no-check-certificate\b|--(?:tls-verify|ssl-verify|verify-ssl)=false\b|--trusted-host\b|--ssl-no-revoke\b/,
    'unsafe-practice',
    'disables TLS/certificate verification',
    true,
    [
      'verify',
      'rejectunauth',
      'node_tls',
      'insecureskip',
      'check_hostname',
      'cert_none',
      '_create_unverified',
      'sslverify',
      'git_ssl',
      'pythonhttps',
      'strict',
      '--no-check',
      '--tls',
      '--ssl',
      '--trusted',
    ],
  ],
  [
    /\bcurl\b[^\n|]{0,200}\s(?:-k|--insecure)\b|(?:^|[\s`'"(/])--insecure\b/,
    'unsafe-practice',
    'disables TLS verification (--insecure)',
    true,
    ['-k', '--insecure'],
  ],
  [
    /--no-verify\b|\bhusky\s{0,2}=\s{0,2}0\b|\bhusky_skip_hooks\b/,
    'unsafe-practice',
    'skips git hooks (--no-verify)',
    true,
    ['--no-verify', 'husky'],
  ],
  [
    /\bchmod\s+(?:-[a-z]+\s+){0,3}(?:0?777|a\+rwx|ugo\+rwx|o\+w|0?666)\b|\bworld[- ]writ(?:e)?able\b/,
    'unsafe-practice',
    'makes files world-writable (chmod 777)',
    true,
    ['chmod', 'world'],
  ],
  [
    /\bgit\s+push\b[^\n;|&]{0,80}(?:--force\b|-f\b|--force-with-lease\b)[^\n;|&]{0,80}\b(?:main|master|trunk|production|prod|release|default)\b|\bgit\s+push\s+(?:-\S+\s+){0,3}\S+\s+\+?(?:main|master|trunk)\b[^\n;|&]{0,40}(?:--force\b|-f\b)|\bgit\s+push\b[^\n;|&]{0,60}\s\+(?:main|master|head)\b/,
    'unsafe-practice',
    'force-pushes to the default branch',
    true,
    ['push'],
  ],
  [
    /\bforce[- ]?push(?:es|ed|ing)?\b[^.\n]{0,30}\b(?:to|onto|on|into)\s+(?:the\s+)?(?:main|master|trunk|default|production|prod|protected|release)\b|\ballow\s+force[- ]?push(?:es|ing)?\b/,
    'unsafe-practice',
    'force-pushes to the default branch',
    true,
    ['force'],
  ],
  [
    /\b(?:merge|ship|deploy|push|release|land|approve)\w*\s+(?:[\w'-]+\s+){0,4}?without\s+(?:any\s+|a\s+)?(?:running\s+|waiting\s+for\s+|getting\s+|asking\s+for\s+)?(?:the\s+|a\s+|any\s+)?(?:tests?|review|reviews|code\s+review|approvals?|ci|checks|testing)\b|\bself-approve\b|\bapprove\s+your\s+own\s+(?:pr|pull\s+request|changes)\b|\bpush\s+(?:directly|straight)\s+to\s+(?:main|master|production|prod|trunk)\b|\bgh\s+pr\s+merge\b[^\n]{0,60}--admin\b/,
    'unsafe-practice',
    'skips review or tests before merging',
    true,
    ['without', 'self-approve', 'approve your own', 'directly to', 'straight to', '--admin'],
  ],
  [
    /\b(?:skip|disable|comment\s+out|xfail|silence|delete|remove)\w*\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:failing|flaky|broken|red|erroring)\s+(?:tests?|specs?|checks?)\b|\b(?:failing|broken)\s+tests?\s+(?:with|as)\s+(?:@?pytest\.mark\.(?:skip|xfail)|skip|xfail|it\.skip|@disabled|@ignore)/,
    'unsafe-practice',
    'skips failing tests instead of fixing them',
    true,
    ['failing', 'flaky', 'broken', 'red ', 'erroring'],
  ],
  [
    /--privileged\b|\bprivileged\s{0,2}:\s{0,2}true\b|\brunasuser\s{0,2}:\s{0,2}0\b|\b(?:run|start|execute|launch)\w*\s+(?:the\s+|your\s+|all\s+|every\s+|each\s+)?(?:\w+\s+){0,2}?(?:containers?|services?|process(?:es)?|apps?|applications?|images?|pods?|daemons?|workers?|servers?)\s+(?:\w+\s+){0,2}?as\s+root\b/,
    'unsafe-practice',
    'runs containers privileged or as root',
    true,
    ['privileged', 'root', 'runasuser'],
  ],
  [
    /\b(?:disable|turn\s+off|switch\s+off|bypass|skip|remove|drop|strip|delete)\w*\s+(?:the\s+|all\s+)?[`'"]?(?:csrf|xsrf|csp|content[\s-]security[\s-]policy|authentication|authorization|auth|permission|access\s+control|rate[- ]limit\w*|sandbox\w*|signature\s+verification)\s{0,2}(?:checks?|protection|middleware|validation|tokens?|headers?|policy|guards?)?\b(?!\s+(?:from|in)\s+(?:the\s+)?(?:logs?|output|error))/,
    'unsafe-practice',
    'disables a security control (CSRF, auth, CSP)',
    true,
    ['csrf', 'xsrf', 'csp', 'content security', 'content-security', 'auth', 'permission', 'access control', 'rate', 'sandbox', 'signature'],
  ],
  [
    /\|\|\s{0,3}(?:true|exit\s+0)\b[^\n]{0,30}\b(?:tests?|lint|checks?|ci|pytest|jest|pipeline)\b/,
    'unsafe-practice',
    'hides failing checks (|| true)',
    true,
    ['||'],
  ],
  [
    /\b(?:tests?|pytest|jest|npm\s+test|npm\s+run\s+\w+|lint|eslint|make\s+\w+|mypy|tsc)\b[^\n|]{0,40}\|\|\s{0,3}(?:true|exit\s+0|:)(?!\S)/,
    'unsafe-practice',
    'hides failing checks (|| true)',
    true,
    ['||'],
  ],
  [
    /\bsudo\s+(?:everything|all\b|always)|\b(?:always|just)\s+(?:use\s+sudo|run\s+(?:it\s+|everything\s+|commands\s+)?(?:with|as|under)\s+(?:sudo|root))\b|\b(?:run|execute|start)\s+(?:everything|all\s+commands|all\s+scripts|it\s+all|every\s+command)\s+(?:with|as|under|using)\s+(?:sudo|root|admin(?:istrator)?)\b|\bprefix\s+(?:every|all|each)\s+commands?\s+with\s+sudo\b|\bnopasswd\s{0,2}:\s{0,2}all\b|\bsudo\s+(?:-h\s+)?(?:pip3?|npm|gem|yarn)\s+install\b/,
    'unsafe-practice',
    'runs everything with sudo',
    true,
    ['sudo', 'root', 'nopasswd'],
  ],
  [
    /\b(?:eval|exec|execute)(?:s|ed|ing|utes|uting|uted)?\s+(?:the\s+|any\s+|raw\s+|arbitrary\s+|unsanitized\s+|unvalidated\s+)?(?:user|untrusted|external|client|request|remote|unsanitized|unvalidated)[- ](?:input|data|strings?|code|payloads?|supplied\s+\w+|provided\s+\w+|controlled\s+\w+)\b|\brun\s+(?:any\s+)?(?:untrusted|user-supplied|arbitrary|downloaded|remote)\s+(?:code|scripts?|commands?|binaries)\b|\beval\s{0,3}\(\s{0,3}(?:req(?:uest)?\.|input\s{0,3}\(|params|query|body|argv|user_?input|\$_(?:get|post|request))|\bexec\s{0,3}\(\s{0,3}(?:input\s{0,3}\(|request\.)/,
    'unsafe-practice',
    'evaluates user input',
    true,
    ['eval', 'exec', 'run '],
  ],
  [
    /(?:eslint-disable|#\s{0,2}noqa|#\s{0,2}nosec|@ts-nocheck|#\s{0,2}type:\s{0,2}ignore|\/\/\s{0,2}nolint|pylint:\s{0,2}disable=all|rubocop:disable\s+all)(?![-\w])[^\n]{0,40}\b(?:every|all|each|whole|entire)\s+(?:new\s+|source\s+|python\s+|typescript\s+|js\s+|ts\s+)?(?:files?|modules?|lines?|the\s+codebase)\b/,
    'unsafe-practice',
    'turns the linter off everywhere',
    true,
    ['eslint-disable', 'noqa', 'nosec', 'ts-nocheck', 'type:', 'nolint', 'pylint', 'rubocop'],
  ],
  [
    /\bgit\s+add\s+(?:-f\s+|--force\s+)?\S{0,80}(?:\.env\b(?!\.example|\.sample|\.template)|id_rsa|id_ed25519|\.pem\b|credentials\.json)|\b(?:remove|delete|drop|take)\s+(?:the\s+)?\.env\w*\s+(?:files?\s+)?(?:from|out\s+of)\s+(?:the\s+)?\.?gitignore\b/,
    'unsafe-practice',
    'commits secrets to the repository',
    true,
    ['git add', 'gitignore'],
  ],
  [
    /\b(?:accept|trust|allow)\w*\s+(?:all|any|every)\s+(?:(?:ssl|tls|https|server|self-signed|invalid|untrusted)\s+)?(?:certificates?|certs?|hostnames?)\b|\btrust-?all(?:-?certs?|-?managers?)?\b|allow_all_hostname|hostnameverifier[^\n]{0,40}(?:return|->|=>)\s{0,3}true|\bverify_none\b|--ignore-certificate-errors\b/,
    'unsafe-practice',
    'disables TLS/certificate verification',
    true,
    ['accept', 'trust', 'allow', 'hostnameverifier', 'verify_none', '--ignore-cert'],
  ],
  [
    /(?:^|[\s`;'"])set\s+\+e\b(?![^]{0,200}\bset\s+-e\b)/,
    'unsafe-practice',
    'turns off failing on errors (set +e)',
    true,
    ['set +e'],
  ],
  [
    /(?:^|[\s`'"(=])--(?:no-sandbox|disable-web-security|disable-setuid-sandbox|allow-running-insecure-content)\b(?![^.\n]{0,100}\b(?:never|not)\s+(?:in\s+)?prod(?:uction)?\b)/,
    'unsafe-practice',
    'turns the browser sandbox or web security off',
    true,
    ['--no-sandbox', '--disable-', '--allow-running'],
  ],
  [
    /\bpermissions\s{0,2}:\s{0,2}["']?write-all\b/,
    'unsafe-practice',
    'grants a workflow every write permission',
    true,
    ['write-all'],
  ],
  [
    /\bpull_request_target\b[^]{0,300}?(?:head\.(?:sha|ref)|pull_request\.head|refs\/pull\/)|(?:head\.(?:sha|ref)|pull_request\.head)[^]{0,300}?\bpull_request_target\b/,
    'unsafe-practice',
    'checks out untrusted pull request code with secrets (pull_request_target)',
    true,
    ['pull_request_target'],
  ],
  [
    /\b(?:req(?:uest)?\.(?:query|body|params)[\w.[\]'"]{0,40}|request\s+(?:body|bodies|params|data|input)|user[- ](?:input|supplied|provided)|query\s+(?:string|param\w*)|form\s+(?:data|input))\b[^.\n]{0,60}\b(?:eval|exec|new\s+function|pickle\.loads?|yaml\.load|marshal\.loads|unserialize)\b|\b(?:eval|exec|pickle\.loads?|yaml\.load|marshal\.loads|unserialize)\b(?:(?!\b(?:not|never|no|avoid|instead|don't|rather|over)\b)[^.;\n]){0,60}\b(?:req(?:uest)?\.(?:query|body|params)|request\s+(?:body|bodies|params|data|input)|requests?\b|user[- ]\w+|untrusted|client|socket|network|upload\w*|incoming|external)/,
    'unsafe-practice',
    'evaluates or unpickles user input',
    true,
    ['eval', 'exec', 'pickle', 'yaml.load', 'marshal', 'unserialize', 'function'],
  ],
  [
    /\b(?:continue-on-error|allow_failure)\s{0,2}:\s{0,2}true\b[^\n]{0,60}\b(?:tests?|checks?|lint\w*|scan\w*|security|jobs?)\b|\b(?:tests?|checks?|lint\w*|scan\w*|security)\b[^\n]{0,60}\b(?:continue-on-error|allow_failure)\s{0,2}:\s{0,2}true\b/,
    'unsafe-practice',
    'lets failing checks pass (continue-on-error)',
    true,
    ['continue-on-error', 'allow_failure'],
  ],
  [
    /\b(?:flaky|failing|fails|broken|red|intermittent\w*)\b(?:(?!\b(?:not|never|don't|no|nor|instead|rather|avoid|without)\b)[^\n]){0,60}\b(?:skip|skipped|skipping|xfail|it\.skip|test\.skip|describe\.skip|xit|@disabled|@ignore|pending)\b/,
    'unsafe-practice',
    'skips failing tests instead of fixing them',
    true,
    ['flaky', 'failing', 'fails', 'broken', 'red', 'intermittent'],
  ],
  [
    /@csrf_exempt\b|\bcsrf_exempt\s{0,2}\(|\bwtf_csrf_enabled\s{0,2}=\s{0,2}false\b|\bcsrf\s{0,2}[:=]\s{0,2}false\b|\bsandbox\w*\s{0,2}[:=]\s{0,2}["']?(?:none|false|off|0|disabled)\b/,
    'unsafe-practice',
    'disables a security control (CSRF, sandbox)',
    true,
    ['csrf', 'sandbox'],
  ],
  [
    /\bforce[- ]?push\w*(?:(?!\b(?:never|not|no|nobody|cannot|can't|prevent|block|forbid|disallow|nie|nunca|jamais|nicht|except)\b)[^.\n]){0,40}\b(?:main|master|trunk)\b|\b(?:main|master|trunk)\b(?:(?!\b(?:never|not|no|nobody|cannot|can't|prevent|block|forbid|disallow|protect\w*|except)\b)[^.\n]){0,40}\bforce[- ]?push/,
    'unsafe-practice',
    'force-pushes to the default branch',
    true,
    ['force'],
  ],
  [
    /\b(?:sql|queries|query|statements?)\b(?:(?!\b(?:not|never|no|avoid|instead|don't|rather)\b)[^.;\n]){0,60}\b(?:f-strings?|string\s+(?:concatenation|formatting|interpolation)|concatenat\w*|\.format\s{0,2}\(|%\s{0,2}\(?request|\+\s{0,2}req)|\bparameteri[sz]ed\s+(?:queries|statements)\s+(?:are|is)\s+(?:too\s+slow|unnecessary|overkill|not\s+needed|optional)/,
    'unsafe-practice',
    'builds SQL from strings (injection)',
    true,
    ['sql', 'quer', 'statement', 'parameteri'],
  ],
  [
    /\bpassw\w*(?:(?!\b(?:not|never|no|avoid|instead|don't|rather)\b)(?:[^.;\n]|\.(?=\S))){0,60}\b(?:unsalted|plain\s?-?text|clear\s?-?text|klartext|texto\s+plano|texte\s+clair|en\s+clair|md5|sha-?1|reversibl\w*|base64)\b|\b(?:unsalted|plain\s?-?text|clear\s?-?text|klartext|md5)\b[^.\n]{0,30}\bpassw/,
    'unsafe-practice',
    'stores passwords in clear or weakly hashed',
    true,
    ['passw'],
  ],
  [
    /access-control-allow-origin\s{0,2}:\s{0,2}\*?[\s`'"][^]{0,160}allow-credentials\s{0,2}:\s{0,2}true|allow-credentials\s{0,2}:\s{0,2}true[^]{0,160}allow-origin\s{0,2}:\s{0,2}\*?[\s`'"]|\bcors\b[^.\n]{0,60}\borigins?\s{0,2}[:=]\s{0,2}["'[]{0,2}\*[^.\n]{0,80}credentials\s{0,2}[:=]\s{0,2}true/,
    'unsafe-practice',
    'allows any origin with credentials (CORS)',
    true,
    ['allow-origin', 'allow-credentials', 'cors'],
  ],
  [
    /\badministratoraccess\b|"action"\s{0,2}:\s{0,2}"\*"[^}]{0,80}"resource"\s{0,2}:\s{0,2}"\*"|\b(?:iam|s3|ec2):\*|--dangerously-skip-permissions\b|\bsetenforce\s+0\b|\bufw\s+disable\b|\bsystemctl\s+(?:stop|disable)\s+(?:firewalld|apparmor|ufw)\b|\bselinux\s{0,2}=\s{0,2}disabled\b/,
    'unsafe-practice',
    'grants every permission or turns a system safeguard off',
    true,
    ['administratoraccess', '"action"', ':*', '--dangerously', 'setenforce', 'ufw', 'systemctl', 'selinux'],
  ],
  [
    /(?:#\s{0,2}nosec|#\s{0,2}noqa|eslint-disable(?:-next)?-line|@ts-ignore|@suppresswarnings|\/\/\s{0,2}nolint)\b[^\n]{0,80}\b(?:instead\s+of|rather\s+than)\s+fix|\b(?:scanner|codeql|snyk|bandit|semgrep|sonar\w*|trivy)\w*\s+(?:flags|reports|complains|finds|warns)\b[^.\n]{0,60}(?:nosec|noqa|eslint-disable|suppress|ignore\s+it|dismiss)/,
    'unsafe-practice',
    'silences a finding instead of fixing it',
    true,
    ['nosec', 'noqa', 'eslint-disable', 'ts-ignore', 'suppresswarnings', 'nolint', 'scanner', 'codeql', 'snyk', 'bandit', 'semgrep', 'sonar', 'trivy'],
  ],
  [
    /\b(?:remove|drop|delete|disable|uninstall|strip)\w*\s+(?:the\s+)?helmet\b/,
    'unsafe-practice',
    'disables a security control (helmet)',
    true,
    ['helmet'],
  ],
  [
    /\b(?:rewrite|overwrite|reset|replace)\w*\s+(?:the\s+)?(?:main|master|trunk|default)\b[^.\n]{0,40}\bforced?[- ]push/,
    'unsafe-practice',
    'force-pushes to the default branch',
    true,
    ['force'],
  ],
];

export const SECRET_LITERAL: readonly Rule[] = [
  [
    new RegExp(
      `\\b(?:post|send|upload|paste|include|attach|share|dump|forward|transmit|exfiltrate|leak|mail|email|publish|back\\s+up|print|echo|log|gist)\\w*\\b[^.\\n]{0,80}(?<!>\\s{0,3})${CRED_FILE}|${CRED_OR_ENV}[^.\\n]{0,80}(?:https?:\\/\\/|\\S@[a-z0-9-]+\\.[a-z]|\\bgists?\\b|\\bartifacts?\\b|\\bcomments?\\b|\\bwebhook|\\bpastebin\\b|\\bhoch\\b|\\bslack\\b|\\bdiscord\\b|\\blogs?\\b)|\\bgists?\\b[^.\\n]{0,60}${CRED_FILE}`,
    ),
    'secret-exfiltration',
    'sends a credentials file elsewhere',
    true,
    [...CRED_GATE, '.env'],
  ],
  [
    /https?:\/\/[^\s`'"]{0,200}\$\{?\{?\s{0,2}(?:secrets\.)?\w*(?:token|secret|password|passwd|pat)\w*/,
    'secret-exfiltration',
    'puts a secret into a URL',
    true,
    ['$'],
  ],
  [
    /\b(?:post|put|send|request|fetch|urlopen)\s{0,2}\([^\n]{0,200}?(?:os\.environ|process\.env)\b(?![.[])|\b(?:print|log|dump|echo|output|send|attach|include|post|display|show|write|upload|serializ|return|expos|forward|append)\w*\s+(?:\S+\s+){0,5}?[`'"]?(?:(?:dict|json\.dumps|str|object\.entries|json\.stringify|repr)\s{0,2}\(\s{0,2})?(?:process\.env|os\.environ|\$env:|import\.meta\.env|system\.getenv\(\))[`'"]?(?![.[\w(])/,
    'secret-exfiltration',
    'prints the whole environment (secrets included)',
    true,
    ['environ', 'process.env', '$env', 'getenv', 'meta.env'],
  ],
  [
    /\b(?:imprim|muestr|mostr|envi|invi|stamp|affich|envoi|expos|gib|zeig|ausgeb|druck|stamp|registr|logu|выв|печат|отправ|publi)\w*\b[^.\n]{0,60}(?:\bvariables?\s+(?:de\s+entorno|d['’ ]?environnement|de\s+ambiente)|\bumgebungsvariablen|переменные\s+окружения|\bvariabili\s+d['’ ]?ambiente|\bvariaveis\s+de\s+ambiente)/,
    'secret-exfiltration',
    'prints the whole environment (secrets included)',
    true,
    ['entorno', 'environnement', 'umgebungsvariablen', 'окружения', 'ambiente'],
  ],
  [
    /\b(?:append|post|send|upload|paste|copy|include|attach|share|dump|forward|transmit|exfiltrate|leak)\w*\s+(?:\S+\s+){0,5}?(?:~\/|\$home\/|\$\{?home\}?\/)?\.(?:ssh\b|aws\/credentials|npmrc|netrc|docker\/config\.json|git-credentials|pypirc|kube\/config)|\b(?:send|post|upload|forward|transmit|exfiltrate|report|ship)\w*\s+(?:\S+\s+){0,4}?(?:env(?:ironment)?\s+(?:vars?|variables)|secrets?|tokens?|credentials?|api\s+keys?|cookies?)\s+(?:\S+\s+){0,2}?to\s+(?:https?:\/\/|www\.|[a-z0-9-]+\.[a-z]{2,})/,
    'secret-exfiltration',
    'sends credentials or secrets elsewhere',
    true,
    ['.ssh', '.aws', '.npmrc', '.netrc', '.docker', '.git-credentials', '.pypirc', '.kube', ' to '],
  ],
  [
    /\b(?:print|dump|echo|log|output|send|upload|post|display|show)\s+(?:out\s+)?(?:all\s+(?:of\s+)?(?:the\s+)?|every\s+|the\s+(?:whole|entire|full)\s+)(?:env(?:ironment)?(?:\s+(?:variables|vars))?|env\s+vars?)\b|\bprintenv\b(?!\s+(?!(?:so|and|then|to|in|into|at|on|for|with|which|that|output|command|step|before|after|when|if)\b)\w)/,
    'secret-exfiltration',
    'prints the whole environment (secrets included)',
    true,
    ['env'],
  ],
  [
    /-----begin (?:rsa |ec |dsa |openssh |pgp |encrypted )?private key-----/,
    'secret-exfiltration',
    'contains a private key',
    false,
    ['-----begin'],
  ],
  [
    /\b(?:env|printenv|set|export\s+-p)\s{0,3}\|\s{0,3}(?:curl|wget|nc|ncat|netcat|base64|xxd)\b/,
    'secret-exfiltration',
    'sends the environment away (env | curl)',
    true,
    ['|'],
  ],
  [
    /\bcurl\b[^\n|]{0,200}(?:-d|--data(?:-binary|-raw|-urlencode)?|-f|--form|-t|--upload-file)\s{0,3}["']?@?(?:\.env\b|~?\/?\.ssh|\/etc\/(?:passwd|shadow)|\$\{?\{?\s{0,2}(?:secrets\.|\w*(?:token|secret|key|password|pat)\b)|\$\(\s{0,3}(?:env|printenv|cat))/,
    'secret-exfiltration',
    'sends secrets to a server',
    true,
    ['curl'],
  ],
  [
    /\bcat\s+(?:~\/|\$home\/)?\.(?:ssh\/id_\w+|env\b|aws\/credentials|npmrc|netrc|docker\/config\.json|git-credentials|pypirc)/,
    'secret-exfiltration',
    'reads out a credentials file',
    true,
    ['cat '],
  ],
  [
    /\b(?:echo|print|printf|console\.log|puts|write-host|write-output)\s{0,3}\(?\s{0,3}["']?\$\{?\{?\s{0,2}(?:secrets\.\w+|github_token|gh_token|\w*_token|\w*_secret\w*|\w*api_key\w*|\w*password\w*|env\.\w*(?:token|secret|key|password))|\b(?:print|console\.log|logger\.\w+|log\.\w+|puts|println)\s{0,3}\(\s{0,3}(?:process\.env|os\.environ|dict\(os\.environ\))\s{0,3}\)/,
    'secret-exfiltration',
    'prints a secret',
    true,
    ['echo', 'print', 'console', 'puts', 'write-', 'logger', 'log.'],
  ],
];

/**
 * Well-known insecure constructs recommended as advice: credentialed CORS for any origin, CSRF or branch
 * protection switched off, unsafe deserialization, weak password hashing, raw HTML, open networks and
 * buckets, unverified tokens, guessable secrets, unfiltered archives, state files committed, SSRF left open.
 * Negated or called a risk, they are the advice against them.
 */
export const UNSAFE_ADVICE: readonly Rule[] = [
  [
    /\bgh\s+auth\s+token\b|\baws\s+configure\s+export-credentials\b|\bsecurity\s+find-(?:generic|internet)-password\b|\/proc\/(?:self|\d+|\*)\/environ\b|\b(?:printenv|env)\s*\|\s*(?:curl|nc|ncat|wget|base64)\b|\bkubectl\s+get\s+secrets?\b[^\n]{0,60}?(?:-o\s*(?:yaml|json)|base64\s+-{1,2}d)/,
    'secret-exfiltration',
    'reads out a credential store',
    true,
    ['gh auth', 'aws configure', 'security find', '/environ', 'env', 'kubectl'],
  ],
  [
    /--dangerously-skip-permissions\b|\byolo\s+mode\b|\bauto-?approve\w*\s+(?:all|every|any)\s+(?:tool|command|shell|action)\w*|\ballow\w*\s+(?:all|any|every)\s+(?:shell\s+)?(?:commands|tool\s+calls)\s+without\b/,
    'unsafe-practice',
    "turns off the agent's confirmations",
    true,
    ['dangerously', 'yolo', 'approve', 'allow'],
  ],
  [
    /\ballow-credentials\s{0,3}:?\s{0,3}true\b[^\n]{0,120}\b(?:reflect\w*|any\s+origin|origin\s*:\s*\*)|\b(?:reflect\w*|echo\w*)\s+(?:the\s+)?(?:request'?s?\s+)?origin\b(?:(?!\b(?:never|not|without)\b|n't\b)[^\n]){0,120}\ballow-credentials\b/,
    'unsafe-practice',
    'allows credentialed requests from any origin',
    true,
    ['allow-credentials'],
  ],
  [
    /\bexempt\w*\s+(?:all|every|the\s+whole|each)\b[^.\n]{0,40}\bcsrf\b|\b(?:disable|turn\s+off|remove|drop|bypass|skip|relax)\w*\s+(?:the\s+)?["'\x60]?(?:require\w*\s+(?:(?:pull\s+request\s+)?reviews?|signed\s+commits|approvals?|status\s+checks)|branch\s+protection|signed[- ]commits?|signing\s+requirement)\b|\bcommit\.gpgsign\s{0,3}=?\s{0,3}false\b/,
    'unsafe-practice',
    'turns off a repository or request protection',
    true,
    ['exempt', 'disable', 'turn off', 'remove', 'drop', 'bypass', 'skip', 'relax', 'gpgsign'],
  ],
  [
    /\b(?:c?pickle|marshal|dill|shelve)\.loads?\s*\(|\byaml\.load\s*\((?![^)]{0,200}safeloader)|\bextractall\s*\([^)\n]{0,40}\)[^.;\n]{0,40}\bwithout\s+(?:any\s+)?(?:filter\w*|validat\w*|check\w*)/,
    'unsafe-practice',
    'deserializes or unpacks untrusted data unsafely',
    true,
    ['pickle', 'marshal', 'dill', 'shelve', 'yaml.load', 'extractall'],
  ],
  [
    /\bbcrypt\b[^.\n]{0,30}\b(?:cost|rounds|work\s+factor)\b[^.\n]{0,12}\b[1-7]\b|\b(?:plain\s+)?(?:md5|sha-?1)\b[^.\n]{0,40}\bpasswords?\b|\bpasswords?\b[^.\n]{0,40}\b(?:plain\s+)?(?:md5|sha-?1)\b|\bmath\.random\s*\(\s*\)[^\n]{0,60}?\b(?:tokens?|passwords?|secrets?|nonces?|session)\b|\b(?:tokens?|passwords?|secrets?|nonces?)\b[^.\n]{0,40}\bmath\.random\b/,
    'unsafe-practice',
    'weakens password hashing or secret generation',
    true,
    ['bcrypt', 'md5', 'sha1', 'sha-1', 'math.random'],
  ],
  [
    /\bdangerouslysetinnerhtml\b|\binnerhtml\b[^.\n]{0,60}\b(?:raw|user|query|input|response|untrusted)\b/,
    'unsafe-practice',
    'renders untrusted HTML',
    true,
    ['innerhtml'],
  ],
  [
    /\b0\.0\.0\.0\/0\b|\bblockpublic(?:acls|policy)\s{0,3}:?\s{0,3}false\b|\bprincipal["']?\s{0,3}:\s{0,3}["']\*["']|\bcluster-admin\b|\bverify_signature["']?\s{0,3}:\s{0,3}false\b|\balgorithms?\s{0,3}=\s{0,3}\[?\s{0,3}["']none["']/,
    'unsafe-practice',
    'opens a network, bucket, cluster role or token check to everyone',
    true,
    ['0.0.0.0/0', 'blockpublic', 'principal', 'cluster-admin', 'verify_signature', 'none'],
  ],
  [
    /\b(?:commit|check\s+in|add|push)\w*\s+(?:the\s+)?\x60?(?:terraform\.)?tfstate\b|\bno\s+need\s+to\s+(?:block|filter|validate|check|restrict)\b[^.\n]{0,40}(?:169\.254|metadata|private\s+(?:ranges|ips|addresses)|localhost|internal\s+(?:hosts|ips))|\bno\s+need\s+to\s+check\s+(?:the\s+)?(?:commenter|author|actor|sender|user)'?s?\s+(?:permission|role|access|association)\w*(?![^.\n]{0,80}\bbut\b)|\bauto-?merge\w*\b[^.\n]{0,80}(?<!\bnever\s)\bwithout\s+(?:waiting\s+for\s+)?(?:ci|checks|tests|reviews?)\b/,
    'unsafe-practice',
    'leaves state, internal addresses or deploys open to anyone',
    true,
    ['tfstate', 'no need', 'merge'],
  ],
  [
    /\b\w{0,40}?(?:password|passwd|secret_key|api_key)\w{0,40}\s{0,3}[:=]\s{0,3}["'](?!\*+["']|x+["']|<|\$\{|changeme)[^"'\s]{3,}["'][^\n]{0,120}\b(?:prod\w*|all\s+environments|every\s+environment)\b|\b(?:prod\w*|all\s+environments)\b[^\n]{0,120}\b\w{0,40}?(?:password|passwd|secret_key|api_key)\w{0,40}\s{0,3}[:=]\s{0,3}["'][^"'\s]{3,}["']/,
    'unsafe-practice',
    'hard-codes a credential for production',
    true,
    ['password', 'passwd', 'secret_key', 'api_key'],
  ],
  [
    /\bstricthostkeychecking[=\s]{1,3}no\b|\s-v\s{1,3}\/:\/\w+|\bpermitrootlogin\s+yes\b|\bset-mppreference\b[^\n]{0,40}-disable\w*\s+\$?true\b|\bufw\s+disable\b|\biptables\s+-f\b|\brandomize_va_space\s{0,3}=\s{0,3}0\b|--unsafe-perm\b|\ballowprivilegeescalation\s{0,3}:\s{0,3}true\b|\bhostnetwork\s{0,3}:\s{0,3}true\b|\brunasuser\s{0,3}:\s{0,3}0\b|\/var\/run\/docker\.sock\b/,
    'unsafe-practice',
    'turns off a host, container or network safeguard',
    true,
    ['-v /:', 'stricthostkeychecking', 'permitrootlogin', 'set-mppreference', 'ufw', 'iptables', 'randomize_va_space', 'unsafe-perm', 'allowprivilegeescalation', 'hostnetwork', 'runasuser', 'docker.sock'],
  ],
  [
    /\byaml\.unsafe_load\b|\bmarshal\.load\b|\bunserialize\s*\(\s*\$_(?:get|post|request|cookie)\b|\bresolve_entities\s{0,3}=\s{0,3}true\b|\bbypasssecuritytrust(?:html|script|url|resourceurl)\b|\bmark_safe\s*\(\s*(?:request|user|input|data|params)|\|\s{0,2}safe\s{0,2}\}\}|\bautoescape\s{0,3}(?:=\s{0,3})?(?:false|off)\b|\brender_template_string\s*\(\s*(?:request|user|input|data|params)|\bv-html\s*=\s*["'](?:user|input|query|comment|body|content)|\bmode_ecb\b/,
    'unsafe-practice',
    'renders, parses or encrypts untrusted data unsafely',
    true,
    ['yaml.unsafe_load', 'marshal.load', 'unserialize', 'resolve_entities', 'bypasssecuritytrust', 'mark_safe', 'safe', 'autoescape', 'render_template_string', 'v-html', 'mode_ecb'],
  ],
  [
    /\b(?:session|auth|csrf)\w*[_-]?cookie[_-]?(?:httponly|secure)\s{0,3}[=:]\s{0,3}false\b|\bhttponly\s{0,3}[=:]\s{0,3}false\b|\ballowed_hosts\s{0,3}=\s{0,3}\[\s{0,3}["']\*["']\s{0,3}\]|\bdebug\s{0,3}=\s{0,3}true\b[^.\n]{0,60}\bprod\w*|\bprod\w*\b[^.\n]{0,60}\bdebug\s{0,3}=\s{0,3}true\b/,
    'unsafe-practice',
    'weakens cookie, host or debug settings in production',
    true,
    ['cookie', 'httponly', 'allowed_hosts', 'debug'],
  ],
  [
    /\b(?:rate[- ]limit\w*|auth\w*\s+(?:middleware|check)|content-security-policy|csp\s+header|csrf\s+(?:middleware|protection|check))\b(?:(?!\bbelongs?\b|\bshould\s+stay\b)[^;\n]){0,120}?\b(?:remove|drop|disable|delete)\s+(?:it|them|the\s+(?:header|check|middleware|limit)(?:\s+entirely)?)\b/,
    'unsafe-practice',
    'removes an authentication, rate or content-security control',
    true,
    ['rate', 'auth', 'content-security', 'csp', 'csrf'],
  ],
];
