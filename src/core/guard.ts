/** The guard lives in ./guard/ (normalisation, word classes, shapes); this keeps the old import path working. */
export {
  GUARD_FAMILIES,
  guardStoredLesson,
  guardText,
  promptInjectionReason,
  stripInvisible,
  visibleText,
  type GuardedLessonFields,
  type GuardFamily,
  type GuardVerdict,
} from './guard/index.js';
