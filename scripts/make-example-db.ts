// Builds examples/lessons.db from examples/lessons.json (the quick start's demo database).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { saveDbFile } from '../src/adapters/files.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { LESSON_SOURCES, LESSON_TYPES } from '../src/core/lesson.js';

const ExampleLesson = z.object({
  key: z.string(),
  type: z.enum(LESSON_TYPES),
  skill: z.string(),
  retro_pr: z.number().int(),
  confidence: z.number().int(),
  source: z.enum(LESSON_SOURCES),
  ts: z.string(),
  files: z.array(z.string()),
  insight: z.string(),
});

const examples = z.array(ExampleLesson).parse(JSON.parse(readFileSync('examples/lessons.json', 'utf8')));
const store = await LessonsStore.open(null, 'examples/lessons.db');
store.upsertLessons(
  examples.map((e) => ({
    ...e,
    id: 'ex-' + createHash('sha256').update(e.key).digest('hex').slice(0, 10),
    project: 'example-org/shop',
  })),
);
await saveDbFile(store, 'examples/lessons.db');
console.log(`examples/lessons.db: ${store.count()} lessons`);
