import { archiveMarker, renderArchiveEntry } from '../core/render.js';
import { planTierChanges, type TierReport } from '../core/tiers.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import type { ArchiveSink } from './ports.js';

/**
 * Applies the tier rules. A lesson moves to `archival` only after its archive entry is written; an export
 * that fails leaves that lesson's tier alone and is reported as an error. Other moves land together.
 */
export async function promoteTiers(store: LessonsStore, now: number, archive: ArchiveSink): Promise<TierReport> {
  const changes = planTierChanges(store.tierRows(), now);
  const report: TierReport = { promoted: 0, demoted: 0, archived: 0, errors: [] };
  const exported = new Map<string, string>();
  const archiveText = new Map<string, string | null>();
  for (const change of changes) {
    if (change.to !== 'archival' || change.archiveFile === null) continue;
    const file = change.archiveFile;
    try {
      const lesson = store.getLesson(change.id);
      if (!lesson) throw new Error('row vanished');
      if (!archiveText.has(file)) archiveText.set(file, await archive.read(file));
      // Already exported by an earlier run whose tier update was lost: don't write it twice.
      const path = archiveText.get(file)?.includes(archiveMarker(change.id))
        ? `${archive.describe}/${file}`
        : await archive.append(file, renderArchiveEntry(lesson));
      exported.set(change.id, path);
    } catch (err) {
      report.errors.push(`lesson ${change.id}: archive export to ${file} failed: ${(err as Error).message}`);
    }
  }
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
