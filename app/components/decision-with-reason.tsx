import { Form } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";
import { VERSIONS_FIELD, versionEntry } from "~/forms/versions.ts";
import { CsrfInput } from "./forms.tsx";
import { Radios } from "./radios.tsx";
import { Textarea } from "./textarea.tsx";

/**
 * A form that asks for one choice and the reason for it: a sign-off, a vote at a gate, moving
 * the funding line, returning or unassigning an assessment. The reason follows the radios,
 * always shown, so it can be written with or without JavaScript and whichever choice needs
 * it; the action says which choices must have one.
 */
export function DecisionWithReason(props: {
  /** Hidden fields the action needs (the record's version, the form's intent). */
  hidden?: ReactNode;
  /** Above the radios, inside the form: a heading, say. */
  before?: ReactNode;
  choice: ComponentProps<typeof Radios>;
  reason: { name: string; label: string; hint?: string; value?: string; error?: string; rows?: number };
  /** Further fields after the reason (a gate vote's conditions). */
  children?: ReactNode;
  submit: { text: string; warning?: boolean; intent?: string };
}) {
  const { reason, submit } = props;
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      {props.hidden}
      {props.before}
      <Radios {...props.choice} />
      <Textarea name={reason.name} label={reason.label} hint={reason.hint} defaultValue={reason.value} error={reason.error} rows={reason.rows} />
      {props.children}
      <button
        type="submit"
        name={submit.intent ? "intent" : undefined}
        value={submit.intent}
        className={`govuk-button${submit.warning ? " govuk-button--warning" : ""}`}
        data-module="govuk-button"
        data-prevent-double-click="true"
      >
        {submit.text}
      </button>
    </Form>
  );
}

/**
 * One of a bid's assessments chosen, with the reason: returning one for rework, unassigning
 * an assessor. Every assessment offered carries its version (app/forms/versions.ts), so
 * the one chosen is changed only as it was shown.
 */
export function AssessmentWithReason(props: {
  intent: string;
  legend: string;
  assessments: { id: string; version: number; text: string }[];
  value?: string;
  error?: string;
  reason: ComponentProps<typeof DecisionWithReason>["reason"];
  submit: string;
}) {
  return (
    <DecisionWithReason
      hidden={
        <>
          <input type="hidden" name="intent" value={props.intent} />
          {props.assessments.map((a) => (
            <input type="hidden" name={VERSIONS_FIELD} value={versionEntry(a.id, a.version)} key={a.id} />
          ))}
        </>
      }
      choice={{
        name: "assessmentId",
        legend: props.legend,
        error: props.error,
        items: props.assessments.map((a) => ({ value: a.id, text: a.text })),
        value: props.value,
        small: true,
      }}
      reason={{ rows: 3, ...props.reason }}
      submit={{ text: props.submit, warning: true }}
    />
  );
}
