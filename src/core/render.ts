/** Human-readable text: the CLI's digest, lesson listings, and archive entries. */
import type { DigestReport } from './distill.js';
import type { StoredLesson } from './lesson.js';

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderDigestText(report: DigestReport): string {
  const lines: string[] = [];
  lines.push(`Mycelium digest — ${report.generated_at}`);
  lines.push(
    `window since ${report.since_cutoff ?? report.since}${report.since_cutoff && report.since !== report.since_cutoff ? ` (${report.since})` : ''}${report.project ? `, project ${report.project}` : ''}; watermark ${report.watermark ?? 'none (first run)'}`,
  );
  lines.push(
    `scanned ${report.total_lessons_scanned} lessons in ${report.cluster_count} clusters; dropped ${report.dropped_unparseable_ts} with unparseable ts` +
      (report.dropped_invalid_rows ? `, ${report.dropped_invalid_rows} invalid rows` : ''),
  );
  lines.push(`${report.candidate_count} skill candidate${report.candidate_count === 1 ? '' : 's'}`);
  report.candidates.forEach((c, i) => {
    const cl = c.cluster;
    lines.push('');
    lines.push(`${i + 1}. ${c.title}  [${c.candidate_id}]`);
    lines.push(
      `   ${cl.lesson_ids.length} lessons over ${c.recurrence_pr_count} PRs (${cl.retro_prs.map((p) => `#${p}`).join(', ')}), avg confidence ${cl.avg_confidence}, types ${cl.types.join('/')}` +
        (c.has_new_evidence ? ', new evidence' : ''),
    );
    if (cl.subject_skills.length) lines.push(`   skills: ${cl.subject_skills.join(', ')}`);
    lines.push(`   "${clip(oneLine(cl.representative_insight), 200)}"`);
    lines.push(`   keys: ${cl.member_keys.join(', ')}`);
  });
  return lines.join('\n') + '\n';
}

export function renderLessonLine(l: StoredLesson): string {
  return [l.ts, l.project, l.type, l.key, `c${l.confidence}`, l.tier, clip(oneLine(l.insight), 100)].join('  ');
}

/** An archive entry; the marker comment lets a re-run see that the lesson was exported already. */
export function archiveMarker(id: string): string {
  return `<!-- mycelium-lesson:${id} -->`;
}

export function renderArchiveEntry(l: StoredLesson): string {
  const facts = [
    `id \`${l.id}\``,
    `ts ${l.ts}`,
    `project ${l.project}`,
    l.skill ? `skill ${l.skill}` : null,
    `type ${l.type}`,
    `confidence ${l.confidence}`,
    `source ${l.source}`,
    l.retro_pr !== null ? `PR #${l.retro_pr}` : null,
    `accessed ${l.access_count}×`,
  ].filter((f): f is string => f !== null);
  return `\n${archiveMarker(l.id)}\n### ${l.key}\n\n${l.insight.trim()}\n\n${facts.join(' · ')}\n`;
}
