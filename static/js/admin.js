// Django's admin, made to meet WCAG 2.2 AA where its own scripts fall short.

// The filter boxes of a two-list selector (filter_horizontal) are labelled by a magnifying-glass
// icon whose aria-label a plain span may not carry (axe: aria-prohibited-attr); as an image it
// may, and it still names the box. SelectFilter2.js draws them on load, before this runs
// (this script is deferred, so its handler is added after that one).
function nameSelectorFilterIcons() {
  for (const icon of document.querySelectorAll(".search-label-icon[aria-label]")) {
    icon.setAttribute("role", "img");
  }
}

window.addEventListener("load", nameSelectorFilterIcons);

// A tabular inline wider than its box scrolls inside it (Django's fieldset > .wrapper). Where
// its rows are read only, nothing in it takes focus and a keyboard could not scroll it (axe:
// scrollable-region-focusable, WCAG 2.1.1): while it scrolls, the box itself takes focus, as a
// region named by its fieldset's heading.
function letTheKeyboardScrollWideInlines() {
  for (const box of document.querySelectorAll("fieldset > .wrapper")) {
    const heading = box.parentElement.getAttribute("aria-labelledby");
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (heading) box.setAttribute("aria-labelledby", heading);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
    }
  }
}

window.addEventListener("load", letTheKeyboardScrollWideInlines);
window.addEventListener("resize", letTheKeyboardScrollWideInlines);
