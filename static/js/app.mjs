// Starts the design system's components (header menu, error summary focus, buttons ...).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
