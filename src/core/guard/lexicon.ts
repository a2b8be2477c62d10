/**
 * Word classes the guard reasons with, in English and the other languages it reads (Spanish, French,
 * German, Portuguese, Italian, Russian; override words also in Dutch, Polish, Turkish, Arabic, Hindi,
 * Indonesian, Swedish, Greek, Ukrainian, Hebrew, Finnish and Swahili). A class is a bit; `stem*` matches every word that starts with
 * the stem, so inflections ("ignoring", "ignoriere", "игнорируй") need no list of their own.
 * Words are folded like the text (lower case, no accents) before they are stored.
 */
import { foldNative } from './normalize.js';

export const OVR = 1 << 0; // verbs that throw instructions away
export const COMPLY = 1 << 1; // verbs of obeying: negated, they throw instructions away too
export const QUAL = 1 << 2; // previous / prior / above / your / original / system ...
export const QALL = 1 << 3; // all / any / every
export const NSTRONG = 1 << 4; // instructions / prompt / directives / guidelines ...
export const NWEAK = 1 << 5; // rules / constraints / restrictions / context ...
export const NEG = 1 << 6; // never / not / don't / avoid / without ...
export const SKIPPABLE = 1 << 7; // words a negation may reach across: ever, just, be, to ...
export const EXFIL = 1 << 8; // print / log / send / upload / leak ...
export const SECRET = 1 << 9; // token / secrets / credentials / password ...
export const KEYHEAD = 1 << 10; // api / access / private / ssh ... (+ key)
export const PROTECT = 1 << 11; // mask / redact / gitignore / vault ... (a protective clause)
export const DISABLE = 1 << 12; // disable / skip / bypass / turn off ...
export const TLS = 1 << 13; // tls / ssl / https / certificate ...
export const COMMIT = 1 << 14; // commit / hardcode / embed / check in ...
export const STORE = 1 << 15; // store / keep / put / save / push / add / include ...
export const REPO = 1 << 16; // repo / repository / git / source / codebase ...
export const CHECKS = 1 << 17; // tests / ci / review / checks / hooks ...
export const SCANNER = 1 << 18; // security scanners and linters
export const DET = 1 << 19; // the / all / failing / flaky ... (a generic object)
export const NEUTRAL = 1 << 20; // "don't forget/hesitate/worry" does not negate what follows
export const DECODE = 1 << 21;
export const RUN = 1 << 22;
export const EVERYTHING = 1 << 23;
export const BEFORE = 1 << 24; // above / before / so far / told ...
export const LINTER = 1 << 25;
export const PLACEHOLDER = 1 << 26; // example / sample / template: a committed .env.example is fine
export const DEST = 1 << 27; // where an exfiltrated secret goes: log, comment, description, URL ...
export const VOID = 1 << 28; // void / withdrawn / rescinded / obsolete: instructions declared dead
export const VALID = 1 << 29; // valid / apply / binding: negated ("no longer apply"), a declaration of void

const ENTRIES: ReadonlyArray<[number, string]> = [
  [
    OVR,
    'abaikan lupakan glom glomma αγνοησ* αγνοει* ξεχασ* παραβλεψ* ігнор* відкин* התעלם* תתעלם* שכח* תשכח* unut unutun unutmak yoksay* unohda* ohita* sivuuta* puuza* sahau* outrank* trump* prevail* reset drop* deprioriti* disobey* sideline* ignor* disregard* forget* forgot* overrid* overrul* bypass* circumvent* discard* dismiss* neglect* abandon* skip skipping drop erase unlearn* nullif* supersed* overwrit* scrap ditch ' +
      'replaces supersedes negeer* negeren vergeet zignoruj* pomin* pomijaj* gormezden تجاهل* تتجاهل* اهمل* أهمل* انس* अनदेखा* नजरअंदाज* भूल* olvid* descart* omit* anul* saltat* desobedec* desestim* oubli* contourn* outrepass* ecart* annul* desobe* vergiss vergess* missacht* ubergeh* uberspring* verwirf verwerf* umgeh* ' +
      'esquec* desconsider* dimentic* trascur* игнор* проигнор* забуд* забыв* пропуст* отброс* отбрось отмен* обойд* обход* наруш* пренебр*',
  ],
  [
    COMPLY,
    'tiens tenez tenir volg* przestrzeg* stosuj* follow* obey* heed* adher* comply consult* abide listen sigas siga sigan seguir obedezc* obedec* suis suivez suivre suivent obeis* respect* befolg* beacht* folge folgen gehorch* ' +
      'segui seguire obbedi* следуй* следова* слушай* подчиня* выполня*',
  ],
  [
    QUAL,
    'dieron sebelumnya tidigare dina προηγουμεν* αρχικ* συστηματος попередн* початков* הקודמות הקודמים קודמות קודמים המקוריות sistem* aiemm* aikaisemm* edellis* awali uliyopewa тебе тебя вам ti prima recibi* principio ricevut* ta tes ton t eerdere vorige eerder* wczesniejsz* poprzedni* onceki evvelki السابق* السابقة पिछल* पहले पूर्व* startup setup loaded preloaded configured builtin operator operators baked session auparavant precedemment ci-dessus dessus other elsewhere remaining obigen anteriores content ethical moderation preced* previous* prior above earlier preceding former foregoing aforementioned initial* original* existing old your yours system safety given provided preset sistema sistemas systeme systemes ' +
      'anterior* previa* previo* precedent* tus tu sus vuestr* arriba dessus anterieur* tes vos votre ton initial* vorherig* vorig* bisherig* obig* vorangegangen* fruher* ' +
      'deine* ihre* ursprunglich* systemanweisung* precedenti tue tuoi sopra acima seus suas предыдущ* прежн* вышеуказ* выше ранее твои твоих ваши ваших свои своих системн* исходн* старые',
  ],
  [
    QALL,
    'qualquer cualquier qualsiasi semua seluruh alla ολες ολα ολους כל kaikki yote zote wszystk* tum tüm butun جميع كل सभी सारे all any every these those todas todos toutes tous alle allen alles samtlich* tutte tutti все всех любые любых',
  ],
  [
    NSTRONG,
    'οδηγι* εντολ* вказівк* інструкці* ההוראות הוראות ההנחיות הנחיות istem* ohjee* ohjeet ohjeita maagizo maelekezo polecen* talimat* yonerge* التعليمات تعليمات* निर्देश* instructies instruction* instruc* instruk* istruz* prompt prompts prompted directive* directiv* direktive* guideline* guidance guardrail* programming indicacion* directrices pautas consignes ' +
      'anweisung* vorgab* richtlini* indicazion* direttiv* diretriz* orientac* указани* инструкц* директив* промпт* подсказк*',
  ],
  [
    NWEAK,
    'policy politica politique sicherheitsrichtlini* aturan perintah κανον* הכללים כללים saanno* sheria rule regels zasad* kural* القواعد नियम* configuration text section sections convention* lesson* directions advice norms practices vorgaben consignes convenc* convenz* правила rules constraint* restriction* context commands orders policies limitation* filters reglas normas ordenes comandos regles ordres commandes contraintes regeln befehle ' +
      'einschrankung* beschrankung* regole comandi regras правил* команд* ограничени* контекст*',
  ],
  [
    NEG,
    "tidak bukan inte plutot statt anstatt not no never don't dont doesn't didn't won't can't cannot shouldn't mustn't avoid* without nor instead rather stop prohibit* forbid* ban banned disallow* refuse reject* attacker* vulnerab* exploit* " +
      'nunca jamas ne pas jamais nicht nie niemals kein* non mai nao не никогда нельзя',
  ],
  [
    SKIPPABLE,
    'zu mehr ever just simply really please blindly actually you we to be been being should must will shall can also longer of than always ' +
      'que du das die les la el los las le il lo',
  ],
  [
    EXFIL,
    'attach* mail mailed mailing publica* publie* publish* gib veroffentlich* adjunt* joins joindre anhang* print* echo* log logs logged logging output* display* show dump* cat send* post posting upload* share paste* leak* expos* exfiltrat* reveal* disclos* email transmit* forward* ' +
      'imprim* envia* muestra* affich* envoi* ausgeb* sende* zeig* выведи* отправ* покажи*',
  ],
  [
    SECRET,
    'secreto* credencial* identifiant* zugangsdaten* geheimnis* segredo* segreto* schlussel* токены secret secrets token tokens credential* creds password* passwd passphrase* github_token gh_token apikey* api_key id_rsa id_ed25519 pat kubeconfig cookies cookie ' +
      'токен* пароль* секрет* contrasena* mot_de_passe passwort*',
  ],
  [KEYHEAD, 'api access secret private ssh signing encryption deploy gpg pgp aws service'],
  [
    PROTECT,
    'mask* redact* scrub* obfuscat* sanitiz* censor* omit* exclud* strip* filter* hash* encrypt* rotat* revok* gitignore dockerignore vault keychain kms sops sealed manager',
  ],
  [PLACEHOLDER, 'example sample template placeholder* dummy fake mock*'],
  [
    DEST,
    'message messages error errors exception exceptions response responses reply replies email report reports event events sentry telemetry analytics gist gists paste ticket tickets mensaje mensajes commentaire commentaires kommentar* comentario* journaux журнал* лог* логи description comment comments issue issues log logs stdout stderr console output summary readme title url artifact artifacts gist pastebin discord slack webhook public channel chat',
  ],
  [
    DISABLE,
    'deaktivier* desactiv* abschalt* ausschalt* disattiv* desativ* отключ* выключ* losch* entfern* borra* supprim* удал* apag* drop* strip* disabl* deactivat* turn switch skip skipping bypass* ignor* suppress* remov* delet* uninstall* silenc* mute comment kill',
  ],
  [TLS, 'zertifikat* certificat* certificado* certificato* сертификат* tls_verify tls ssl https certificate* cert certs hostname'],
  [COMMIT, 'commit* hardcod* embed embeds embedded checkin'],
  [STORE, 'append* copy* copi* anad* agreg* ajout* incluy* inclu* hinzufug* store* keep* put save* push* add* include* upload* paste* write*'],
  [
    REPO,
    'repo repos repository repositories git source code codebase vcs github plaintext public frontend client bundle',
  ],
  [CHECKS, 'suite suites tests test_suite testsuite specs ci checks review reviews approval approvals hooks pipeline pipelines qa'],
  [
    SCANNER,
    'audit codeql snyk bandit semgrep sast dast trivy gitleaks trufflehog sonar* dependabot scanner* scanning security',
  ],
  [
    LINTER,
    'linter linters linting lint eslint pylint flake8 ruff rubocop golangci-lint clippy mypy stylelint shellcheck typecheck* type_check*',
  ],
  [DET, 'test unit integration e2e the all any every failing failed broken flaky red those these existing whole entire intermittent* fehlschlagend* fallid* echou* падающ* unstable'],
  [NEUTRAL, 'forget hesitate worry fail wait mind bother afraid shy'],
  [
    DECODE,
    'decod* base64 b64 unbase64 atob rot13 deobfuscat* decrypt* unhex unescap* descodif* decodifi* dekodier* декод* расшифр*',
  ],
  [
    VOID,
    'superat* gecersiz* sunset* ακυρων* ακυρ* noise irrelevant meaningless nonbinding draft leftover leftovers waived negotiable placeholder placeholders sospes* suspendu* suspendid* устарев* void null nullified stale retired deprecated archived expired uberholt overholt obsolete retracted withdrawn rescinded revoked revocad* revoga* cancelled canceled invalid invalidated superseded lifted suspended moot outdated advisory ' +
      'aufgehoben ungultig hinfallig nichtig widerrufen obsolet* caduc* annule* annulee* anulad* derogad* abrogad* abroge* revoque* revocat* недействительн* отменен* устарел* ' +
      'invalidi invalide invalidas invalidos',
  ],
  [VALID, 'aplican aplica aplicam applicano vale valem berlaku gecerli galler gaelder gjelder appliqu* gelten gilt valgono valen bind binds reflects reflect hold holds stands count counts matters matter valid valide valides validas validos valables valable gultig vigente vigentes apply applies binding bindend effect efecto effet wirksam действуют действительн* применим* relevant'],
  [RUN, 'run execute exec eval evaluate follow obey ejecuta* execut* ausfuhr* выполни* запусти*'],
  [EVERYTHING, 'nothing everything anything whatever what todo tout alles всё все lo'],
  [
    BEFORE,
    'above before previously earlier prior told said taught learned know knew antes avant zuvor vorher bisher ранее выше раньше dijeron dicho gesagt сказали',
  ],
];

const exact = new Map<string, number>();
const stems = new Map<string, [string, number][]>(); // by the stem's first two characters

for (const [bit, words] of ENTRIES) {
  for (const raw of words.split(/\s+/)) {
    if (!raw) continue;
    const w = foldNative(raw);
    if (w.endsWith('*')) {
      const stem = w.slice(0, -1);
      const key = stem.slice(0, 2);
      const list = stems.get(key);
      if (list) list.push([stem, bit]);
      else stems.set(key, [[stem, bit]]);
    } else {
      exact.set(w, (exact.get(w) ?? 0) | bit);
    }
  }
}

const cache = new Map<string, number>();
const CACHE_LIMIT = 50_000;

/** The classes of one folded word (memoised: lesson text reuses a small vocabulary). */
export function classify(word: string): number {
  let bits = cache.get(word);
  if (bits === undefined) {
    bits = classifyUncached(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, bits);
  }
  return bits;
}

function classifyUncached(word: string): number {
  let bits = exact.get(word) ?? 0;
  // Identifiers (`send_message`, `mask_token`) are not words of a sentence: exact entries only, plus the
  // names secrets have in environments (`GITHUB_TOKEN`, `NPM_TOKEN`, `AWS_SECRET_ACCESS_KEY`).
  if (word.includes('_')) {
    if (
      word.length > 6 &&
      /^(?:[a-z0-9]+_)*(?:token|secret|key|password|pat|credentials?)$/.test(word) &&
      /^(?:github|gh|npm|pypi|aws|api|secret|access|auth|slack|openai|anthropic|docker|deploy|private|gitlab|vercel|stripe|ssh|gcp|azure)_/.test(
        word,
      )
    )
      bits |= SECRET;
    return bits;
  }
  const list = stems.get(word.slice(0, 2));
  if (list) for (const [stem, bit] of list) if (word.startsWith(stem)) bits |= bit;
  return bits;
}
