// CSP Tracker's only script. Everything works without it; it starts GOV.UK Frontend's
// components, also in content that htmx swaps in (so an error summary there takes focus and
// is announced, as on a full page).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

document.addEventListener("htmx:after:swap", (event) => {
  const target = event.target;
  const scope = target instanceof Element && target.isConnected ? target : document.body;
  initAll({ scope });
  const summary = document.querySelector(".govuk-error-summary:not([data-app-focused])");
  if (summary) {
    summary.setAttribute("data-app-focused", "");
    summary.focus();
  }
});
