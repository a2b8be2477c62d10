/** Where pull requests come from and where the digest goes: the two GitHub-facing ports of the operations. */
import type { PrBundle } from '../capture/bundle.js';
import type { ProvenanceMap } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';

export interface PullRequestSource {
  /** One PR with its reviews, threads and comments, validated. `pull` is the event's copy of the PR, if any. */
  read(number: number, pull?: Record<string, unknown>): Promise<{ bundle: PrBundle; requests: number }>;
}

export type PublishAction = 'created' | 'existing' | 'skipped-empty' | 'dry-run';

export interface PublishResult {
  /** `dry-run` also when the digest was already posted: then `issueNumber` names that issue. */
  action: PublishAction;
  /** null when nothing was rendered (no candidates). */
  digestId: string | null;
  title: string | null;
  issueNumber: number | null;
  issueUrl: string | null;
  /** A dry run's rendered issue body: what a real run would have posted (shown in the job summary). */
  body?: string;
}

export interface PostedDigest {
  number: number;
  url: string;
}

export interface DigestPublisher {
  /** The issue already carrying this report's digest marker, or null (also null for a report without candidates). */
  findPosted(report: DigestReport): Promise<PostedDigest | null>;
  /** Posts the report once: an issue with its marker already there is not posted again. */
  publish(report: DigestReport, extras: { provenance: ProvenanceMap; reportUrl?: string }): Promise<PublishResult>;
}
