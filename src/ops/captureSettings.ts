import type { ActionInputs } from '../action/inputs.js';
import { defaultTrustPolicy } from '../capture/actors.js';
import type { CaptureSettings } from './capture.js';

/** The capture settings the action's inputs ask for. */
export function captureSettings(inputs: ActionInputs): CaptureSettings {
  return {
    maxLessons: inputs['max-lessons'],
    noLessonsLabel: inputs['no-lessons-label'],
    policy: defaultTrustPolicy({
      includeContributors: inputs['trust-contributors'],
      allowLogins: inputs['allow-users'],
      denyLogins: inputs['deny-users'],
      aiReviewers: inputs['ai-reviewers'],
      bots: inputs['bots'],
      agentLogins: inputs['agent-logins'],
    }),
  };
}
