-- The portfolio counts the open milestones overdue on active projects, up to 1,001. Joined
-- through the index of every milestone by project, that read each active project's
-- milestones from the table to find the open, overdue ones: 1.5 ms of PostgreSQL's time a
-- view at 100,000 projects, a quarter of the page's. With the open ones' due dates in an index
-- by project, the count is a merge of two indexes, with no table read (0.5 ms;
-- docs/performance.md). Partial, so written here: prisma/schema.prisma cannot say so.
CREATE INDEX "Milestone_open_project_due_idx" ON "Milestone" ("projectId", "dueOn") WHERE status <> 'done';
