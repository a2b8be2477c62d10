/**
 * Tokens for the `review` similarity: mycelium's tokens (see text.ts) less the words every review sentence
 * has, each folded to a light stem, so two reviewers' wordings of one rule meet on its content words.
 *
 * Why: on reviewers' raw sentences, Jaccard over all tokens is dominated by "the", "to", "should", "this",
 * and joins unrelated rules into stop-word blobs while missing "type hints" vs "type hint". Dropping
 * function words and review filler, and folding plurals and verb endings, keeps the measure a plain,
 * deterministic Jaccard over sets (so distill stays exact at any scale) while it compares what was said.
 */
import { tokenize } from './text.js';

/** Function words, pronouns, auxiliaries and modal verbs, review filler, and verbs every request uses. */
const STOP_WORDS = new Set(
  `a an the and or but nor so yet if then else than as at by for from in into of off on onto out over to up
  with within without via per about above below under between after before during through across against
  among around upon also just only even still already again further more most much many less least very
  too quite rather really some any all each every both either neither no not none nor own same such other
  another this that these those there here where when whenever while which who whom whose what why how
  it its it's itself they them their theirs themselves we us our ours ourselves you your yours yourself
  yourselves he him his she her hers i me my mine myself one ones something anything nothing everything
  someone anyone be am is are was were been being do does did done doing have has had having can could
  will would shall should may might must ought need needs needed let lets let's please pls maybe perhaps
  probably possibly basically actually generally ideally usually simply currently instead otherwise
  rather since because though although however therefore thus hence also too etc eg ie e.g i.e
  nit nitpick minor suggestion think thought believe guess feel seem seems seemed looks look like
  want wants wanted make makes made making provide provides provided providing give gives given giving get gets got getting use uses used using add adds added
  adding thing things way ways lot bit kind sort time times place places part
  follow follows followed following convention conventions consistent consistency consistently readable
  readability maintainable maintainability clarity clear clearer clean cleaner better best good nice great
  proper properly correct correctly sure ensure recommend recommended suggest suggested
  don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't can't cannot
  dont doesnt didnt isnt arent wont wouldnt shouldnt couldnt cant ll ve re don doesn didn isn aren wasn weren
  won wouldn shouldn couldn haven hasn hadn`
    .split(/\s+/)
    .filter(Boolean),
);

/** A light, deterministic stem: plural and verb endings off, so "hints"/"hint", "naming"/"names" meet. */
export function lightStem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length >= 6 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length >= 5 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length >= 5 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
  const n = w.length;
  if (n >= 4 && w[n - 1] === w[n - 2] && !'aeioulsz'.includes(w[n - 1]!)) w = w.slice(0, -1);
  return w;
}

/** The review token for one of mycelium's tokens, or null for a stop word. Digits and CJK pairs stay. */
export function reviewToken(token: string): string | null {
  if (STOP_WORDS.has(token)) return null;
  const c = token.charCodeAt(0);
  if (c > 0x7f || /\d/.test(token)) return token;
  return lightStem(token);
}

/** The `review` token set of a text: mycelium's tokens, stop words out, each lightly stemmed. */
export function reviewTokens(text: string): Set<string> {
  return reviewTokenSet(tokenize(text));
}

/** Maps a set of mycelium's tokens to review tokens. */
export function reviewTokenSet(tokens: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) {
    const r = reviewToken(t);
    if (r !== null) out.add(r);
  }
  return out;
}
