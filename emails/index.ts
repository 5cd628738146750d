import { bidConfirmation } from "./bid-confirmation.ts";
import { bidPartnerAnswered } from "./bid-partner-answered.ts";
import { bidPartnerInvited } from "./bid-partner-invited.ts";
import { adoptionRegistered } from "./adoption-registered.ts";
import { adoptionUpdated } from "./adoption-updated.ts";
import { caseStudyDraftedFromStop, caseStudyPublished, caseStudyReturned, caseStudySubmitted } from "./case-study.ts";
import { accessRequestTemplates } from "./access-requests.ts";
import { signInLink } from "./sign-in-link.ts";
import { similarWorkMessage } from "./similar-work-message.ts";
import type { EmailTemplate } from "./template.ts";
import { dailyDigest } from "./daily-digest.ts";
import { feedbackReceived } from "./feedback-received.ts";
import { roundDeadlineApproaching } from "./round-deadline-approaching.ts";
import { projectConditionDue } from "./project-condition-due.ts";
import { projectGateReviewDue } from "./project-gate-review-due.ts";
import { projectMilestoneOverdue } from "./project-milestone-overdue.ts";
import { userInvited } from "./user-invited.ts";
import { workflowTemplates } from "./workflow.ts";

// Every template the service can send, by name. The notification matrix refers to these names.
// Each template takes its own data, so the registry's is `any`: callers fill a template from
// its own sample or from an outbox row's stored JSON, which no one type describes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export const templates: Record<string, EmailTemplate<any>> = Object.fromEntries(
  [
    signInLink,
    userInvited,
    bidConfirmation,
    bidPartnerInvited,
    bidPartnerAnswered,
    adoptionRegistered,
    adoptionUpdated,
    caseStudySubmitted,
    caseStudyDraftedFromStop,
    caseStudyReturned,
    caseStudyPublished,
    dailyDigest,
    roundDeadlineApproaching,
    projectGateReviewDue,
    projectMilestoneOverdue,
    projectConditionDue,
    feedbackReceived,
    similarWorkMessage,
    ...accessRequestTemplates,
    ...workflowTemplates,
  ].map((t) => [t.name, t]),
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as for templates
export function getTemplate(name: string): EmailTemplate<any> {
  const template = templates[name];
  if (!template) throw new Error(`No email template named "${name}"`);
  return template;
}

export { dailyDigest, roundDeadlineApproaching, signInLink, userInvited };
export type { EmailTemplate };
