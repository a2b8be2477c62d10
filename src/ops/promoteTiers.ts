import { errorMessage } from '../core/errorMessage.js';
import { archiveMarker, renderArchiveEntry } from '../core/render.js';
import { planTierChanges, type TierReport } from '../core/tiers.js';
import type { ArchiveSink, LessonRepository } from '../ports/index.js';

/**
 * Applies the tier rules. A lesson moves to `archival` only after its archive entry is written. All entries of a
 * run are written in one `appendAll` (one commit on a state branch); when that fails, no lesson is archived, each
 * due one is reported as an error, and the other moves still land together.
 */
export async function promoteTiers(store: LessonRepository, now: number, archive: ArchiveSink): Promise<TierReport> {
  const changes = planTierChanges(store.tierRows(), now);
  const report: TierReport = { promoted: 0, demoted: 0, archived: 0, errors: [] };
  const exported = await exportArchival(store, changes, archive, report.errors);
  store.transaction(() => {
    for (const change of changes) {
      if (change.to === 'archival') {
        const path = exported.get(change.id);
        if (path === undefined) continue;
        store.setTier(change.id, 'archival', path);
        report.archived++;
        report.demoted++;
      } else {
        store.setTier(change.id, change.to);
        if (change.to === 'hot') report.promoted++;
        else report.demoted++;
      }
    }
  });
  return report;
}

type Change = ReturnType<typeof planTierChanges>[number];

/** Writes the archive entries of every lesson due for archival; returns lesson id → where its entry lives. */
async function exportArchival(store: LessonRepository, changes: readonly Change[], archive: ArchiveSink, errors: string[]): Promise<Map<string, string>> {
  const due = changes.filter((c): c is Change & { archiveFile: string } => c.to === 'archival' && c.archiveFile !== null);
  const exported = new Map<string, string>();
  const additions = new Map<string, string>();
  const pending: Array<{ id: string; file: string }> = [];
  const current = new Map<string, string | null>();
  for (const change of due) {
    const file = change.archiveFile;
    try {
      const lesson = store.getLesson(change.id);
      if (!lesson) throw new Error('row vanished');
      if (!current.has(file)) current.set(file, await archive.read(file));
      // Already exported by an earlier run whose tier update was lost: don't write it twice.
      if (current.get(file)?.includes(archiveMarker(change.id))) {
        exported.set(change.id, `${archive.describe}/${file}`);
        continue;
      }
      additions.set(file, (additions.get(file) ?? '') + renderArchiveEntry(lesson));
      pending.push({ id: change.id, file });
    } catch (err) {
      errors.push(`lesson ${change.id}: archive export to ${file} failed: ${errorMessage(err)}`);
    }
  }
  if (additions.size === 0) return exported;
  try {
    const paths = await archive.appendAll(additions);
    for (const p of pending) exported.set(p.id, paths.get(p.file) ?? `${archive.describe}/${p.file}`);
  } catch (err) {
    for (const p of pending) errors.push(`lesson ${p.id}: archive export to ${p.file} failed: ${errorMessage(err)}`);
  }
  return exported;
}
