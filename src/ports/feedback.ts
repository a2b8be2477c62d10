/** What mode `feedback` (src/ops/feedback.ts) needs: the decisions file, the digest issue's thread, the conventions PR. */

/** `decisions.json` beside the watermark (state branch, or a local folder). */
export interface DecisionsFile {
  readonly describe: string;
  read(): Promise<string | null>;
  /** Sets the file to `change(current)`; on a concurrent write, re-reads and re-applies `change`. */
  update(change: (current: string | null) => string): Promise<void>;
}

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface DigestThread {
  /** The commenter's permission on the repository, from the API (not the comment's author_association). */
  permission(login: string): Promise<RepoPermission>;
  /** Bodies of the comments on `issue` (to find a reply already posted). */
  commentBodies(issue: number): Promise<string[]>;
  /** Posts a comment; its URL. */
  reply(issue: number, body: string): Promise<string | null>;
}

export interface ConventionsProposal {
  action: 'created' | 'updated' | 'unchanged' | 'dry-run';
  number: number | null;
  url: string | null;
}

export interface ConventionsChange {
  path: string;
  text: string;
  title: string;
  body: string;
  message: string;
}

export interface ConventionsRepo {
  /** The fixed branch the one conventions PR comes from. */
  readonly branch: string;
  /** The file as the open conventions PR has it, else as the default branch has it (null: no such file). */
  read(path: string): Promise<string | null>;
  /** Commits the file to the branch and opens the PR, or updates the open one; never a second PR. */
  propose(change: ConventionsChange): Promise<ConventionsProposal>;
}

export interface FeedbackPorts {
  /** The run's event (an `issue_comment` for mode feedback) and the web root for links. */
  event: { name: string; payload: unknown };
  serverUrl: string;
  /** The target input `conventions-file` names. */
  conventionsFile: string;
  decisions: DecisionsFile;
  thread: DigestThread;
  conventions: ConventionsRepo;
}
