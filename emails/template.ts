import type { EmailContent, RenderOptions } from "./layout.ts";

/**
 * A notification template. `essential` messages (sign-in, decisions, requests that need
 * action) always go at once; others may be batched into a daily digest by user choice.
 */
export interface EmailTemplate<Data> {
  name: string;
  description: string;
  essential: boolean;
  sample: Data;
  /** Non-essential templates must pass `options` on to layout() (the unsubscribe link). */
  render(data: Data, options?: RenderOptions): EmailContent;
}

export function defineTemplate<Data>(template: EmailTemplate<Data>): EmailTemplate<Data> {
  return template;
}
