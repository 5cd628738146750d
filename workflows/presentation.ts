// How a state looks to people: its label, the GOV.UK tag colour, and the phrase that
// completes "This bid …" in refusal sentences. Kept beside each machine so a new state
// cannot ship without words.

/** GOV.UK Frontend tag modifiers: `govuk-tag govuk-tag--<colour>`. */
export const tagColours = ["grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"] as const;
export type TagColour = (typeof tagColours)[number];

export interface StatePresentation {
  label: string;
  tag: TagColour;
  /** Completes "This bid …" / "This assessment …" / "This project …". */
  phrase: string;
  /** What bidders see instead of `label` while a decision is held. */
  applicantLabel?: string;
}

export function tagClass(colour: TagColour): string {
  return `govuk-tag govuk-tag--${colour}`;
}
