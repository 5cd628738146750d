import type { EmailContent } from "./layout.ts";

/**
 * A notification template. `essential` messages (sign-in, decisions, requests that need
 * action) always go at once; others may be batched into a daily digest by user choice.
 */
export interface EmailTemplate<Data> {
  name: string;
  description: string;
  essential: boolean;
  sample: Data;
  render(data: Data): EmailContent;
}

export function defineTemplate<Data>(template: EmailTemplate<Data>): EmailTemplate<Data> {
  return template;
}
