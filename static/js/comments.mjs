// Comment on a passage: select words in an answer (or in the part's guidance) and a button
// "Comment on the selected text" appears; it copies the words into that comment form's
// "Quote the passage you mean" field and moves to the comment box. Without JavaScript the
// same field is there to fill in by hand. Quoted passages still in the text are highlighted,
// inside the rich-text editor too (painted over its text, never written into it).
// The page a refused comment comes back on shows the passage (.app-comment-passage) before
// its form, as the part page shows the guidance: both ways of quoting work there too.

// The editor's own editing area: its toolbar's dropdown menus carry the ProseMirror class too.
const EDITING_AREA = ".ProseMirror[contenteditable]";
const BEFORE_THE_FORM = ".app-guidance, .app-comment-passage";
const SOURCES = `.app-answer-readonly, ${EDITING_AREA}, ${BEFORE_THE_FORM}`;
const MAX_QUOTE = 10000;

// The comment block a source region belongs to: its question's, or the guidance's.
function blockFor(source) {
  if (source.matches(BEFORE_THE_FORM)) {
    let next = source.nextElementSibling;
    while (next && next.matches(".app-quote-button")) next = next.nextElementSibling;
    return next && next.matches("[data-comment-block]") ? next : null;
  }
  const section = source.closest("section.app-question");
  return section ? section.querySelector("[data-comment-block]") : null;
}

const buttons = new Map(); // comment block -> its button

function buttonFor(block) {
  if (buttons.has(block)) return buttons.get(block);
  const form = block.querySelector("form[data-comment-form]");
  if (!form) return null;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-quote-button";
  button.textContent = "Comment on the selected text";
  button.hidden = true;
  // Keep the selection: a press on the button must not clear it before the click.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", () => {
    const quote = form.querySelector("textarea[name$='-quote']");
    const body = form.querySelector("textarea[name$='-body']");
    quote.value = button.dataset.quote || "";
    const details = form.closest("details");
    if (details) details.open = true;
    button.hidden = true;
    body.focus();
    body.scrollIntoView({ block: "center" });
  });
  block.before(button);
  buttons.set(block, button);
  return button;
}

function hideAll(except) {
  for (const button of buttons.values()) {
    if (button !== except) button.hidden = true;
  }
}

function onSelection() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
    if (!(document.activeElement && document.activeElement.matches(".app-quote-button"))) {
      hideAll(null);
    }
    return;
  }
  let node = selection.getRangeAt(0).commonAncestorContainer;
  if (node.nodeType !== Node.ELEMENT_NODE) node = node.parentElement;
  const source = node && node.closest(SOURCES);
  const block = source && blockFor(source);
  const button = block && buttonFor(block);
  const text = selection.toString().replace(/\s+/g, " ").trim();
  if (!button || !text || text.length > MAX_QUOTE) {
    hideAll(null);
    return;
  }
  hideAll(button);
  button.dataset.quote = text;
  button.hidden = false;
}

// --- Quote a passage from the keyboard -------------------------------------------------------
// Text that cannot be edited cannot be selected from the keyboard, so each comment block also
// gets a "Quote a passage" button: it puts the whole text into the quote field, where the
// keyboard can select and delete what the comment is not about.

function regionFor(block) {
  let before = block.previousElementSibling;
  while (before && before.matches(".app-quote-button")) before = before.previousElementSibling;
  if (before && before.matches(BEFORE_THE_FORM)) return before;
  const section = block.closest("section.app-question");
  return (
    section &&
    section.querySelector(`.app-answer-readonly, ${EDITING_AREA}, table.app-table-editor`)
  );
}

// An editable table's text is what its fields hold, row by row (as the answer stores it).
function fieldsText(table) {
  const fields = table.querySelectorAll(
    "tbody input:not([type=hidden]):not([type=checkbox]):not([type=radio]), tbody textarea, tbody select",
  );
  return [...fields].map((field) => field.value.trim()).filter(Boolean).join(" ");
}

function plainText(region) {
  if (region.matches("table.app-table-editor")) {
    return fieldsText(region).replace(/\s+/g, " ").trim().slice(0, MAX_QUOTE);
  }
  // Only the answer's own words, as the quote check reads them: not the column headings, nor
  // the lines about the answer ("Last changed by …", "Not answered yet."), nor a structured
  // answer's figures (savings, projects…), which the check does not read (docs/decisions/0491).
  const copy = region.cloneNode(true);
  copy
    .querySelectorAll(".nhsuk-u-visually-hidden, thead, [data-not-answer], .app-structured")
    .forEach((hidden) => hidden.remove());
  copy.querySelectorAll("p, li, h2, h3, h4, td, th, tr, blockquote").forEach((part) => part.append(" "));
  return copy.textContent.replace(/\s+/g, " ").trim().slice(0, MAX_QUOTE);
}

function addQuotePassage(block) {
  const form = block.querySelector("form[data-comment-form]");
  // An editable answer's editing area may appear after this runs: look for it on the press.
  if (!form || !(regionFor(block) || block.closest("section.app-question"))) return;
  const section = block.closest("section.app-question");
  const heading = section ? section.querySelector("h2") : null;
  const what = heading ? heading.textContent.trim() : block.dataset.quoteFrom || "the guidance";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-quote-passage";
  button.textContent = "Quote a passage";
  const hidden = document.createElement("span");
  hidden.className = "nhsuk-u-visually-hidden";
  hidden.textContent = ` from ${what}`;
  button.append(hidden);
  button.addEventListener("click", () => {
    const quote = form.querySelector("textarea[name$='-quote']");
    const region = regionFor(block);
    if (region) quote.value = plainText(region);
    const details = form.closest("details");
    if (details) details.open = true;
    quote.focus();
    quote.setSelectionRange(0, 0);
  });
  (block.querySelector(".app-comment-new") || form).before(button);
}

document.querySelectorAll("[data-comment-block]").forEach(addQuotePassage);

let pending = null;
document.addEventListener("selectionchange", () => {
  clearTimeout(pending);
  pending = setTimeout(onSelection, 120);
});

// --- Highlight the passages open comments quote, where they still read the same --------------

const QUOTES = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"' };
const normalChar = (c) => (/\s/.test(c) ? " " : QUOTES[c] || c);

// The region's text as one normalised string, with each character's text node and offset.
function textMap(region) {
  const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
  const chars = [];
  const where = [];
  let lastSpace = true;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = node.parentElement.closest("p, li, h2, h3, h4, td, th, blockquote");
    if (where.length && block !== where[where.length - 1].block && !lastSpace) {
      chars.push(" ");
      where.push({ node: null, offset: 0, block });
      lastSpace = true;
    }
    for (let i = 0; i < node.data.length; i += 1) {
      const c = normalChar(node.data[i]);
      if (c === " " && lastSpace) continue;
      chars.push(c);
      where.push({ node, offset: i, block });
      lastSpace = c === " ";
    }
  }
  return { text: chars.join(""), where };
}

// The ranges of the region's text the quote reads as (one a text node), or none.
function passageRanges(region, quote) {
  const needle = quote.replace(/\s+/g, " ").trim().replace(/./g, normalChar);
  if (!needle) return [];
  const { text, where } = textMap(region);
  const start = text.indexOf(needle);
  if (start < 0) return [];
  const pieces = new Map();
  for (let i = start; i < start + needle.length; i += 1) {
    const { node, offset } = where[i];
    if (!node) continue;
    const piece = pieces.get(node) || { from: offset, to: offset };
    piece.to = offset + 1;
    pieces.set(node, piece);
  }
  return [...pieces.entries()].map(([node, { from, to }]) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    return range;
  });
}

function highlight(region, quote) {
  // Wrap each text node's share of the passage in its own <mark>, last first.
  passageRanges(region, quote).reverse().forEach((range) => {
    const mark = document.createElement("mark");
    mark.className = "app-comment-mark";
    range.surroundContents(mark);
  });
}

const openQuotes = (block, only) =>
  [
    ...block.querySelectorAll(
      `.app-comment-thread:not(.app-comment-thread--resolved) blockquote${only} .app-comment-quote__text`,
    ),
  ].map((quote) => quote.textContent);

for (const block of document.querySelectorAll("[data-comment-block]")) {
  const guidance = block.previousElementSibling;
  const region = guidance && guidance.matches(".app-guidance")
    ? guidance
    : block.closest("section.app-question")?.querySelector(".app-answer-readonly");
  if (!region) continue;
  for (const quote of openQuotes(block, "[data-current]")) highlight(region, quote);
}

// --- The same passages inside the rich-text editor ----------------------------------------------
// The editing area is the answer being written: a <mark> there would become part of it. The CSS
// Custom Highlight API paints ranges of its text without touching it, worked out again as the
// text changes. A highlight is not announced, so a line under the editor (and named by the
// editing area's description) says how many passages are quoted, linked to the comments.

const HIGHLIGHT = "app-quoted";
// The answer's text box, which django-prose-editor turns into its editor.
const RICH_TEXT =
  "textarea[data-django-prose-editor-default], textarea[data-django-prose-editor-configurable]";
const painted = "highlights" in CSS && typeof Highlight === "function";
const editorRanges = new Map(); // editing area -> the ranges of its quoted passages

function paint() {
  if (!painted) return;
  CSS.highlights.set(HIGHLIGHT, new Highlight(...[...editorRanges.values()].flat()));
}

function quotedNote(area, block) {
  const note = document.createElement("p");
  note.className = "nhsuk-body-s app-quoted-note";
  note.id = `${area.id || block.id}-quoted`;
  note.hidden = true;
  const group = area.closest(".nhsuk-form-group") || area.parentElement;
  group.after(note);
  const described = area.getAttribute("aria-describedby");
  area.setAttribute("aria-describedby", described ? `${described} ${note.id}` : note.id);
  return note;
}

function sayQuoted(note, count, block) {
  note.hidden = count === 0;
  const passages =
    count === 1 ? "1 passage of this answer is" : `${count} passages of this answer are`;
  note.replaceChildren(
    `${passages} quoted in open comments${painted ? ", highlighted in the editor" : ""}: `,
  );
  // Several threads may quote one passage: "the comments", whatever the count.
  const link = document.createElement("a");
  link.href = `#${block.id}`;
  link.textContent = "see the comments";
  note.append(link, ".");
}

function watchEditor(form, block, quotes) {
  const start = () => {
    const area = form.querySelector('.ProseMirror[contenteditable="true"]');
    if (!area) return false;
    const note = quotedNote(area, block);
    let queued = false;
    const recompute = () => {
      queued = false;
      const found = quotes.map((quote) => passageRanges(area, quote)).filter((r) => r.length);
      editorRanges.set(area, found.flat());
      paint();
      sayQuoted(note, found.length, block);
    };
    recompute();
    new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(recompute);
    }).observe(area, { childList: true, characterData: true, subtree: true });
    return true;
  };
  if (start()) return;
  const observer = new MutationObserver(() => {
    if (start()) observer.disconnect();
  });
  observer.observe(form, { childList: true, subtree: true });
}

for (const block of document.querySelectorAll("[data-comment-block]")) {
  const form = block.closest("section.app-question")?.querySelector("form.app-answer-form");
  // Every open thread's quote: one that no longer reads in the saved answer may be typed back.
  const quotes = [...new Set(openQuotes(block, ""))];
  if (form && form.querySelector(RICH_TEXT) && quotes.length) watchEditor(form, block, quotes);
}
