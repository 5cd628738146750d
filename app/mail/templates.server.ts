import { templates, type EmailTemplate } from "../../emails/index.ts";

/**
 * The email template with this name, or null. The name comes from a URL or a query string,
 * and `templates` is a plain object: only its own keys are templates, so "constructor" or
 * "__proto__" is no template rather than something inherited from Object.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each template takes its own data (emails/index.ts)
export function findTemplate(name: string | null | undefined): EmailTemplate<any> | null {
  return name && Object.hasOwn(templates, name) ? templates[name]! : null;
}
