// GOV.UK Frontend's components enhance themselves only when this class is present,
// so pages without JavaScript keep working as plain HTML.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
const { initAll } = await import("/govuk/govuk-frontend.min.js");
initAll();
