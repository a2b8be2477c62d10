/**
 * The verb a gerund was made of, for rewriting "running `go fmt` in CI is a good idea" as "Run `go fmt` in CI".
 * English spelling rules, not a dictionary: a doubled last consonant was added ("runn" → "run"), and a silent
 * "e" was dropped where the stem's ending needs one to be a word ("us" → "use", "migrat" → "migrate").
 */
const DOUBLED = /([bdgklmnprtz])\1$/;
/** Endings that only occur in a stem whose verb ended in a silent "e" (c, v, z; consonant + l; -ang, -rg, -rs, -ais). */
const ALWAYS_E = /(?:[cvz]|[^aeioul]l|ang|[rd]g|[rnl]s|(?:ai|au|eu|ou|oi)s)$/;
/** A single vowel then a consonant: "mak", "migrat"; "look", "show", "fix" are whole words already. */
const VOWEL_CONSONANT = /(?:^|[^aeiouy])[aeiouy][bcdfghjklmnpqrstvz]$/;
/** Unstressed endings of verbs with no "e" ("open", "edit", "consider", "develop", "cancel"). */
const NO_E_ENDING = /(?:en|er|it|op|on|el|al|om|or|ic|ed|ow)$/;

const syllables = (s: string): number => (s.match(/[aeiouy]+/g) ?? []).length;

export function baseOfGerund(stem: string): string {
  const v = stem.toLowerCase();
  if (v.length < 2) return stem;
  if (DOUBLED.test(v) && !/(?:ll|ss|zz|ff)$/.test(v) && !/(?:add|odd|ebb|egg)$/.test(v)) return stem.slice(0, -1);
  if (ALWAYS_E.test(v)) return `${stem}e`;
  if (!VOWEL_CONSONANT.test(v)) return stem;
  if (syllables(v) === 1) return `${stem}e`;
  return NO_E_ENDING.test(v) ? stem : `${stem}e`;
}
