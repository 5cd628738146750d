/** The choices for non-essential emails, shared by the settings page and the unsubscribe page. */
export const EMAIL_PREFERENCES = ["immediate", "digest", "off"] as const;
export type EmailPreferenceValue = (typeof EMAIL_PREFERENCES)[number];

export const preferenceLabels: Record<EmailPreferenceValue, { label: string; hint: string }> = {
  immediate: { label: "Send each email at once", hint: "You get every update as it happens." },
  digest: { label: "Send one summary a day", hint: "Updates that are not urgent come together in one email each morning." },
  off: { label: "Only send essential emails", hint: "You will not get updates that are not urgent. You can still see them in Springboard." },
};
