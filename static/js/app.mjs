// Starts the design system's components (header menu, error summary focus, buttons ...).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// Where focus starts on a page: the input a row button left the person at (its id is the
// page's fragment, set by the server), else the confirmation at the top of the page, so it
// is read out, else the question the fragment names.
function landingFocus() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  const message = document.querySelector(".app-message");
  if (target && target.matches("input, select, textarea, button")) {
    target.focus();
  } else if (message && !document.querySelector(".nhsuk-error-summary")) {
    message.focus();
  } else if (target && target.matches("section.app-question")) {
    const heading = target.querySelector("h2");
    heading.tabIndex = -1;
    heading.focus();
  }
}

landingFocus();
