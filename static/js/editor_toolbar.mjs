// The rich-text editor's toolbar (django-prose-editor's menu bar) as one WAI-ARIA toolbar: one
// Tab stop, on the button last used (or the first); Left and Right move between the buttons,
// wrapping, Home and End go to the first and last; the format buttons say whether the format
// is on where the cursor is; Tab goes on to the editing area. The library draws the toolbar
// with JavaScript only: without it the answer is a plain textarea and there is no toolbar.

const BUTTON = ".prose-menubar__button";
const PICKER = ".prose-menubar__picker";
const STYLE = ".prose-menubar__selected"; // the text style (heading or paragraph) menu's button

// The buttons that switch a format on and off, by the editor's names for the formats.
const TOGGLES = ["bold", "italic", "underline", "bulletList", "orderedList", "blockquote"];
// The library names its buttons in lower-case technical words.
const LABELS = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  bulletList: "Bulleted list",
  orderedList: "Numbered list",
  blockquote: "Quotation",
  link: "Insert link",
  unlink: "Remove link",
  "history:undo": "Undo",
  "history:redo": "Redo",
};

const shown = (element) => !element.classList.contains("hidden");
// The style menu's button is redrawn whenever the style changes: it is known by its place.
const keyOf = (button) => (button.closest(STYLE) ? STYLE : button.dataset.name);

// Where a key moves to in a list that wraps round: back, forward, Home or End; null for others.
function moveTo(list, from, key, [back, forward]) {
  const at = list.indexOf(from);
  const to = { [back]: at - 1, [forward]: at + 1, Home: 0, End: list.length - 1 }[key];
  return at < 0 || to === undefined ? null : list[(to + list.length) % list.length];
}

export function makeToolbar({ bar, area, editor, name }) {
  const picker = bar.querySelector(PICKER);
  const options = () => (picker ? [...picker.querySelectorAll("button")].filter(shown) : []);
  const buttons = () =>
    [...bar.querySelectorAll(BUTTON)].filter((button) => !button.closest(PICKER) && shown(button));
  let current = null; // the key of the button that holds the toolbar's Tab stop

  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", name);
  bar.setAttribute("aria-controls", area.id);

  // The menu's option for the style in use: the library names its button as the option reads.
  function styleInUse() {
    const button = bar.querySelector(`${STYLE} ${BUTTON}`);
    if (!button) return null;
    button.dataset.style ??= (button.getAttribute("aria-label") || "").toLowerCase();
    const said = button.dataset.style;
    return options().find((option) => option.textContent.trim().toLowerCase() === said);
  }

  function nameStyleButton(button) {
    const style = styleInUse();
    const label = style ? `Text style: ${style.textContent.trim()}` : "Text style";
    button.setAttribute("aria-label", label);
    button.title = label;
    button.setAttribute("aria-haspopup", "true");
    button.setAttribute("aria-expanded", String(Boolean(picker?.matches(":popover-open"))));
  }

  function sync() {
    const all = buttons();
    const stop = all.find((button) => keyOf(button) === current) || all[0];
    for (const button of bar.querySelectorAll(BUTTON)) {
      if (button.closest(PICKER)) continue;
      button.tabIndex = button === stop ? 0 : -1;
      const key = keyOf(button);
      if (key === STYLE) {
        nameStyleButton(button);
        continue;
      }
      if (LABELS[key]) {
        button.setAttribute("aria-label", LABELS[key]);
        button.title = LABELS[key];
      }
      if (TOGGLES.includes(key)) button.setAttribute("aria-pressed", String(editor.isActive(key)));
      if (button.classList.contains("disabled")) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  }

  function remember(button) {
    if (!button || !bar.contains(button) || button.closest(PICKER)) return;
    current = keyOf(button);
    sync();
  }

  bar.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest(PICKER)) {
      const option = moveTo(options(), event.target, event.key, ["ArrowUp", "ArrowDown"]);
      if (!option) return;
      event.preventDefault();
      option.focus();
      return;
    }
    if (event.key === "ArrowDown" && event.target.closest(STYLE)) {
      event.preventDefault();
      event.target.click();
      return;
    }
    const button = moveTo(buttons(), event.target, event.key, ["ArrowLeft", "ArrowRight"]);
    if (!button) return;
    event.preventDefault();
    remember(button);
    button.focus();
  });
  bar.addEventListener("focusin", (event) => remember(event.target.closest(BUTTON)));
  // A press on the style menu lands on its frame, not on its button.
  bar.addEventListener("click", (event) =>
    remember(event.target.closest(STYLE)?.querySelector(BUTTON)),
  );

  if (picker) {
    // The menu opens on the style in use and closes back to its button, unless a style was
    // chosen (the editor then has focus).
    picker.addEventListener("toggle", (event) => {
      sync();
      const lost = document.activeElement === document.body;
      if (event.newState === "open") (styleInUse() || options()[0])?.focus();
      else if (lost || picker.contains(document.activeElement)) {
        bar.querySelector(`${STYLE} ${BUTTON}`)?.focus();
      }
    });
    picker.addEventListener("focusout", (event) => {
      const to = event.relatedTarget;
      if (to && !picker.contains(to) && !to.closest(STYLE) && picker.matches(":popover-open")) {
        picker.hidePopover();
      }
    });
  }

  editor.on("transaction", sync);
  sync();
}
