export interface Task {
  id: string;
  title: string;
  href: string | null;
  status: "Completed" | "In progress" | "Not yet started" | "Changes requested" | "Cannot start yet";
  hint?: string;
}

/** The GOV.UK task list: each section, a link to it, and its status. */
export function TaskList({ tasks }: { tasks: Task[] }) {
  return (
    <ul className="govuk-task-list">
      {tasks.map((task) => {
        const statusId = `${task.id}-status`;
        const hintId = task.hint ? `${task.id}-hint` : undefined;
        const tag =
          task.status === "Completed" ? (
            <>Completed</>
          ) : task.status === "Cannot start yet" ? (
            <span className="govuk-task-list__status--cannot-start-yet">Cannot start yet</span>
          ) : (
            <strong
              className={`govuk-tag govuk-tag--${task.status === "Changes requested" ? "orange" : task.status === "In progress" ? "light-blue" : "blue"}`}
            >
              {task.status}
            </strong>
          );
        return (
          <li className={`govuk-task-list__item${task.href ? " govuk-task-list__item--with-link" : ""}`} key={task.id}>
            <div className="govuk-task-list__name-and-hint">
              {task.href ? (
                <a className="govuk-link govuk-task-list__link" href={task.href} aria-describedby={[hintId, statusId].filter(Boolean).join(" ")}>
                  {task.title}
                </a>
              ) : (
                <div>{task.title}</div>
              )}
              {task.hint ? (
                <div id={hintId} className="govuk-task-list__hint">
                  {task.hint}
                </div>
              ) : null}
            </div>
            <div className="govuk-task-list__status" id={statusId}>
              {tag}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
