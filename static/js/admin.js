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
