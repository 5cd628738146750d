import { useId, type ReactNode } from "react";
import { useShowsRefusal } from "./page-meta.tsx";

/**
 * The GOV.UK notification banner. A success banner reports the outcome of what the user just
 * did, so it is an alert (read out at once); an important one is a region, found when wanted.
 *
 * A success banner comes from the address (`?notice=` after a redirect), and a form on that
 * page posts back to the same address. When that form is refused, what the person just did
 * failed: the banner is left out, so that it neither says otherwise nor takes the focus
 * (GOV.UK Frontend focuses a success banner as it starts) from the error summary.
 */
export function NotificationBanner(props: { type?: "important" | "success"; title?: string; heading?: ReactNode; children?: ReactNode }) {
  const success = props.type === "success";
  // Its own title id, so two banners on one page do not share one.
  const titleId = `notification-banner-title${useId().replace(/:/g, "-")}`;
  const stale = useShowsRefusal();
  if (success && stale) return null;
  return (
    <div
      className={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
      role={success ? "alert" : "region"}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {props.title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        {props.heading ? <p className="govuk-notification-banner__heading">{props.heading}</p> : null}
        {props.children}
      </div>
    </div>
  );
}

/**
 * The outcome of what the person just did, as a page's loader read it from the address
 * (noticeFrom in app/utils/notices.ts), or nothing. Like every success banner, it is left
 * out when a form on the page was refused.
 */
export function SuccessNotice({ text, title }: { text: string | null | undefined; title?: string }) {
  return text ? <NotificationBanner type="success" title={title} heading={text} /> : null;
}
