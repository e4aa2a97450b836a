// Autosave, explicit save and edit-conflict handling for answer forms.
// Each form saves through the same endpoint as without JavaScript; the server refuses a save
// made from an older version (HTTP 409) and this script then shows theirs and what saving the
// editor's version would change in it, keeping the editor's own in place until they choose
// (theirs, their own, or both changes together where the server could put them together).

import { numberedListFromTyping, shiftTabKeepsOuterListItems } from "./editor_lists.mjs";
import { makeToolbar } from "./editor_toolbar.mjs";

const AUTOSAVE_DELAY_MS = 3000;
// How long after the last keystroke a table's totals are worked out again for the rows typed.
const TYPED_FIGURES_DELAY_MS = 400;
const forms = [...document.querySelectorAll("form.app-answer-form")];

// The editor replaces the textarea with its own editing area and toolbar, which have no names
// of their own: name them after the question as soon as they appear.
function nameEditor(form) {
  const label = form.querySelector("label[id$='-label']");
  if (!label) return;
  const heading = form.closest("section")?.querySelector("h2");
  const apply = () => {
    const area = form.querySelector('.ProseMirror[contenteditable="true"]');
    if (!area) return false;
    if (!area.id) {
      area.id = `${label.htmlFor}-editor`;
      area.setAttribute("role", "textbox");
      area.setAttribute("aria-multiline", "true");
      area.setAttribute("aria-labelledby", label.id);
    }
    // The editor draws its toolbar a moment after its editing area.
    const bar = form.querySelector(".prose-menubar");
    if (!bar || !area.editor) return false;
    const what = (heading || label).textContent.replace(/\s+/g, " ").trim();
    makeToolbar({ bar, area, editor: area.editor, name: `Formatting for ${what}` });
    numberedListFromTyping(area.editor);
    shiftTabKeepsOuterListItems(area.editor);
    return true;
  };
  if (apply()) return;
  const observer = new MutationObserver(() => {
    if (apply()) observer.disconnect();
  });
  observer.observe(form, { childList: true, subtree: true });
}

// The design system's error class of each kind of input.
const ERROR_CLASSES = {
  INPUT: "nhsuk-input--error",
  TEXTAREA: "nhsuk-textarea--error",
  SELECT: "nhsuk-select--error",
};

// A reply that is not JSON (a refusal the server gives as a page, such as a form too large to
// read) is read as no data: the status says what happened.
async function replyData(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("application/json")) return {};
  try {
    return await response.json();
  } catch {
    return {};
  }
}

const TOKEN_INPUTS = "input[name=csrfmiddlewaretoken]";
const SIGNED_IN_AS = 'meta[name="pbc-signed-in-as"]';

// The page's forms given the token of the sign-in the browser holds now, read from a fresh
// copy of the form's own page: a sign-in in another tab changes it, and a post carrying the
// old one is refused. "taken"; "someone else" when the browser is signed in as another person
// now (what this person typed is not saved as theirs); "none" when there is none to take.
async function takeFreshToken(form) {
  let page;
  try {
    const response = await fetch(form.action, { credentials: "same-origin", cache: "no-store" });
    page = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    return "none";
  }
  const person = page.querySelector(SIGNED_IN_AS)?.content;
  if (person && person !== document.querySelector(SIGNED_IN_AS)?.content) return "someone else";
  const token = page.querySelector(TOKEN_INPUTS)?.value;
  if (!token) return "none";
  document.querySelectorAll(TOKEN_INPUTS).forEach((input) => {
    input.value = token;
  });
  return "taken";
}

// The form posted to its answer's address for a JSON reply: the response and its data.
async function postForJson(form, body) {
  const response = await fetch(form.action, {
    method: "POST",
    body,
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  return { response, data: await replyData(response) };
}

// The regions of a question's block its kind works out (data-figure), outermost only, and not
// those of another person's version shown in a clash box.
function figuresIn(section) {
  return [...section.querySelectorAll("[data-figure]")].filter(
    (region) => !region.closest(".app-conflict") && !region.parentElement.closest("[data-figure]"),
  );
}

// The questions on this page that show worked-out figures: a save may change any of them.
function questionsWithFigures() {
  return [...document.querySelectorAll("section.app-question")]
    .filter((section) => figuresIn(section).length)
    .map((section) => section.id.replace(/^question-/, ""));
}

// Puts the server's markup, by region name, into each region whose markup differs, and gives back
// each region it replaced with what it held before. No region holds an input, so focus and what
// the person typed stay.
function replaceRegions(regions, nameOf, markupByName) {
  return regions.flatMap((region) => {
    const markup = markupByName[nameOf(region)];
    if (markup === undefined) return [];
    const fresh = document.createElement("template");
    fresh.innerHTML = markup;
    if (fresh.innerHTML === region.innerHTML) return [];
    const was = document.createElement("div");
    was.append(...region.childNodes);
    region.replaceChildren(fresh.content);
    return [{ region, was }];
  });
}

// The figures the server worked out again from the answers as saved (its own, and those other
// answers work out from it) replace the page's. Says whether any figure now reads differently.
function showFigures(figures) {
  const replaced = Object.entries(figures).flatMap(([key, shown]) => {
    const section = document.getElementById(`question-${key}`);
    if (!section) return [];
    return replaceRegions(figuresIn(section), (region) => region.dataset.figure, shown);
  });
  return replaced.some(({ region, was }) => region.textContent !== was.textContent);
}

// A table's worked-out cells and totals for the rows as typed (not saved), in place of the
// page's: a figure the rows cannot give (a cell refused) is emptied, never left showing the
// figures of rows no longer shown.
function showTypedFigures(section, shown) {
  const regions = figuresIn(section);
  replaceRegions(regions, (region) => region.dataset.figure, shown);
  regions
    .filter((region) => !(region.dataset.figure in shown))
    .forEach((region) => region.replaceChildren());
}

// The saved answer's state as its block shows it (its tag, its warnings callout), drawn again by
// the server from the answer as saved, replaces the page's. Returns the tag's new words when they
// changed, else "".
function showSavedState(section, state) {
  const regions = [...section.querySelectorAll("[data-saved-state]")].filter(
    (region) => !region.closest(".app-conflict"),
  );
  const tagOf = (element) => element.querySelector(".nhsuk-tag")?.textContent.trim() || "";
  const retagged = replaceRegions(regions, (region) => region.dataset.savedState, state).find(
    ({ region, was }) => region.dataset.savedState === "tag" && tagOf(region) !== tagOf(was),
  );
  return retagged ? tagOf(retagged.region) : "";
}

function setup(form) {
  const status = form.querySelector(".app-save-status");
  const conflictBox = form.querySelector(".app-conflict");
  const versionInput = form.querySelector("input[name$='base_version']");
  let dirty = false;
  let timer = null;
  let inFlight = false;
  let again = false;
  let inConflict = false;
  let marked = [];
  form.dataset.dirty = "false";
  // A table with worked-out cells or totals: they follow the rows as typed, asked of the
  // server (which works them out and formats them as every page does) a moment after typing.
  const typedTable = form.querySelector(".app-table-editor [data-figure]") !== null;
  let typedTimer = null;
  let typedAsked = 0;

  // ``link``: a page to open in a new tab, leaving this one and what is typed in it as they are.
  const say = (text, isError = false, link = null) => {
    status.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      Object.assign(anchor, { href: link.href, target: "_blank", rel: "noopener" });
      anchor.textContent = link.text;
      status.append(" ", anchor);
    }
    status.classList.toggle("nhsuk-error-message", isError);
  };
  const markDirty = (value) => {
    dirty = value;
    form.dataset.dirty = String(value);
  };

  // The input the server named (a figure's input, or the answer's text by its field name).
  function fieldNamed(name) {
    const byId = document.getElementById(name);
    if (byId && form.contains(byId)) return byId;
    return form.querySelector(`[name="${CSS.escape(name)}"]:not([type=hidden])`);
  }

  function clearErrors() {
    form.querySelectorAll(".app-script-error").forEach((message) => message.remove());
    marked.forEach(({ group, inputs, errorId }) => {
      group.classList.remove("nhsuk-form-group--error");
      inputs.forEach((input) => {
        if (ERROR_CLASSES[input.tagName]) input.classList.remove(ERROR_CLASSES[input.tagName]);
        input.removeAttribute("aria-invalid");
        const described = (input.getAttribute("aria-describedby") || "")
          .split(" ")
          .filter((id) => id && id !== errorId);
        if (described.length) input.setAttribute("aria-describedby", described.join(" "));
        else input.removeAttribute("aria-describedby");
      });
    });
    marked = [];
  }

  // As the page without JavaScript shows a refusal: the message above the input, the input
  // marked in its error colour and described by the message. Returns the input to focus.
  function markField(name, message) {
    const field = fieldNamed(name);
    const group = field && field.closest(".nhsuk-form-group");
    if (!group) return null;
    const errorId = `${field.id || name}-error`;
    document.getElementById(errorId)?.remove();
    const error = document.createElement("span");
    error.className = "nhsuk-error-message app-script-error";
    error.id = errorId;
    const prefix = document.createElement("span");
    prefix.className = "nhsuk-u-visually-hidden";
    prefix.textContent = "Error:";
    error.append(prefix, ` ${message}`);
    const before = [...group.querySelectorAll("label, legend, .nhsuk-hint")]
      .filter((element) => !element.closest(".nhsuk-date-input"))
      .pop();
    if (before) before.after(error);
    else group.prepend(error);
    group.classList.add("nhsuk-form-group--error");
    // The text's editor stands in for its hidden textarea; a date is three inputs.
    const editor = group.querySelector('.ProseMirror[contenteditable="true"]');
    let inputs = [...field.querySelectorAll("input, select, textarea")];
    if (editor) inputs = [editor];
    else if (field.matches("input, select, textarea")) inputs = [field];
    inputs.forEach((input) => {
      if (ERROR_CLASSES[input.tagName]) input.classList.add(ERROR_CLASSES[input.tagName]);
      input.setAttribute("aria-invalid", "true");
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      input.setAttribute("aria-describedby", [...described, errorId].join(" "));
    });
    marked.push({ group, inputs, errorId });
    return editor || inputs[0] || null;
  }

  function showErrors(errors, { autosave }) {
    clearErrors();
    const messages = [];
    let first = null;
    Object.entries(errors).forEach(([name, list]) => {
      list.forEach(({ message }) => {
        messages.push(message);
        const input = markField(name, message);
        first = first || input;
      });
    });
    say(`Not saved: ${messages.join(" ")}`, true);
    // An autosave's refusal never takes the person away from where they are typing.
    if (first && !autosave) first.focus();
  }

  async function showFiguresAsTyped() {
    const asked = ++typedAsked;
    const changedBefore = form.dataset.changeCount;
    const body = new FormData(form);
    body.set("figures-as-typed", "1");
    try {
      const { response, data } = await postForJson(form, body);
      // Only the reply for the rows the page still shows: a later one is on its way otherwise.
      const section = form.closest("section");
      const key = form.dataset.question;
      if (!response.ok || !data.figures || !data.figures[key]) return;
      if (asked !== typedAsked || form.dataset.changeCount !== changedBefore) return;
      showTypedFigures(section, data.figures[key]);
    } catch {
      // The figures shown stay as they were; the next save or keystroke asks again.
    }
  }

  function figuresAsTypedSoon() {
    if (!typedTable) return;
    clearTimeout(typedTimer);
    typedTimer = setTimeout(showFiguresAsTyped, TYPED_FIGURES_DELAY_MS);
  }

  async function save({ autosave }) {
    if (inConflict) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const changedBefore = form.dataset.changeCount;
    const body = new FormData(form);
    body.set("autosave", autosave ? "1" : "0");
    questionsWithFigures().forEach((key) => body.append("figures-of", key));
    say("Saving…");
    try {
      let { response, data } = await postForJson(form, body);
      let freshToken = "";
      if (response.status === 403 && data.stale_page) freshToken = await takeFreshToken(form);
      if (freshToken === "taken") {
        // Signed in again in another tab since this page was opened: once more, as signed in now.
        body.set("csrfmiddlewaretoken", form.querySelector(TOKEN_INPUTS).value);
        ({ response, data } = await postForJson(form, body));
      }
      // What an earlier attempt was refused for no longer stands once this one is answered.
      clearErrors();
      // A reply without the new version is not a save, whatever its status (a page that is
      // not JSON, such as one a proxy puts in the way).
      if (response.ok && data.version !== undefined) {
        versionInput.value = data.version;
        if (form.dataset.changeCount === changedBefore) markDirty(false);
        const warnings = data.warnings || [];
        // Said once with "Saved", not as each figure changes: typing is not interrupted.
        const saved = warnings.length
          ? `Saved at ${data.saved_at}, but fix this before the plan is submitted: ${warnings.join(" ")}`
          : `Saved at ${data.saved_at}`;
        const tag = showSavedState(form.closest("section"), data.state || {});
        const figures = { ...(data.figures || {}) };
        // Typed into since this save was sent: its own figures are of rows no longer shown.
        const typedSince = form.dataset.changeCount !== changedBefore;
        if (typedTable && typedSince) delete figures[form.dataset.question];
        const said = [
          tag && `It is now marked ${tag}.`,
          showFigures(figures) && "The figures worked out from it are updated.",
        ].filter(Boolean);
        if (typedTable && typedSince) figuresAsTypedSoon();
        say(said.length ? [saved.replace(/\.?$/, "."), ...said].join(" ") : saved);
      } else if (response.status === 409 && data.conflict) {
        showConflict(data.conflict);
      } else if (response.status === 403 && data.refused) {
        say(`Not saved: ${data.refused}`, true);
      } else if (response.status === 401 && data.signed_out) {
        say(`Not saved: ${data.signed_out}`, true, {
          href: data.sign_in,
          text: "Open the sign-in page in a new tab",
        });
      } else if (freshToken === "someone else") {
        say("Not saved: someone else has signed in on this browser since this page was opened. Your text is still here: copy it somewhere safe before you reload this page.", true);
      } else if (response.status === 403 && data.stale_page) {
        say(`Not saved: ${data.stale_page}`, true);
      } else if (data.errors) {
        showErrors(data.errors, { autosave });
      } else if (data.message) {
        say(`Not saved: ${data.message}`, true);
      } else if (response.status === 413) {
        say("Not saved: your answer is too large to send. Everything you typed is still here: shorten it, or move detail into an appendix, then save again.", true);
      } else if (response.status === 400) {
        say("Not saved: the server could not read what was sent. Everything you typed is still here: remove anything unusual pasted from another program, then save again.", true);
      } else {
        say("Not saved: something went wrong. Your text is still here; try again.", true);
      }
    } catch {
      say("Not saved: the connection was lost. Your text is still here and will be saved when you next save.", true);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        save({ autosave: true });
      }
    }
  }

  // Their newer answer, and what saving this person's version would change in it (drawn by
  // the server, as the page without JavaScript shows it), before they choose: theirs or theirs
  // replaced by their own.
  function showConflict(theirs) {
    inConflict = true;
    clearTimeout(timer);
    say(
      theirs.yours
        ? "Not saved: you saved this answer in another window or tab while you were editing here."
        : "Not saved: someone else saved this answer while you were editing.",
      true,
    );
    conflictBox.innerHTML = "";
    const heading = document.createElement("h3");
    heading.className = "nhsuk-heading-s";
    heading.id = `${form.dataset.question}-conflict-heading`;
    heading.textContent = theirs.yours
      ? `You saved a newer version of this answer in another window or tab at ${theirs.saved_at}`
      : `${theirs.updated_by || "Someone"} saved a newer version at ${theirs.saved_at}`;
    const intro = document.createElement("p");
    intro.textContent = theirs.yours
      ? "Nothing from this window has been saved yet: your answer here is still in the form above. Compare it with the version you saved, then choose which to keep."
      : "Nothing of yours has been saved yet: your answer is still in the form above. Compare it with theirs, then choose which to keep.";
    const their = document.createElement("div");
    // The server drew this from the saved answer, escaped, its text sanitised as every answer is.
    their.innerHTML = theirs.html;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "nhsuk-button";
    keep.textContent = "Save my version";
    keep.addEventListener("click", () => {
      versionInput.value = theirs.version;
      inConflict = false;
      conflictBox.hidden = true;
      // The box and its button are gone: focus goes to the message that says how saving went.
      status.tabIndex = -1;
      status.focus();
      save({ autosave: false });
    });
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "nhsuk-button nhsuk-button--secondary";
    discard.textContent = theirs.yours
      ? "Keep the version saved in your other window"
      : "Keep their version";
    discard.addEventListener("click", () => {
      markDirty(false);
      window.location.hash = form.closest("section").id;
      window.location.reload();
    });
    const choices = document.createElement("div");
    choices.className = "nhsuk-button-group";
    choices.append(keep, discard);
    conflictBox.className = "app-conflict nhsuk-warning-callout";
    conflictBox.setAttribute("role", "alert");
    conflictBox.setAttribute("aria-labelledby", heading.id);
    conflictBox.append(heading, intro, their, choices);
    conflictBox.hidden = false;
    conflictBox.focus();
  }

  form.addEventListener("input", () => {
    markDirty(true);
    form.dataset.changeCount = String(Number(form.dataset.changeCount || 0) + 1);
    clearTimeout(timer);
    timer = setTimeout(() => save({ autosave: true }), AUTOSAVE_DELAY_MS);
    figuresAsTypedSoon();
  });
  form.addEventListener("submit", (event) => {
    clearTimeout(timer);
    // Row buttons (add, remove, move) and a clash's "Use both changes" go to the server as
    // ordinary form posts, carrying what was typed: leaving the page for their answer loses
    // nothing, and "Use both changes" saves nothing either.
    if (event.submitter && ["row-action", "merge-from"].includes(event.submitter.name)) {
      markDirty(false);
      return;
    }
    event.preventDefault();
    save({ autosave: false });
  });
  nameEditor(form);
}

forms.forEach(setup);

window.addEventListener("beforeunload", (event) => {
  if (forms.some((form) => form.dataset.dirty === "true")) {
    event.preventDefault();
  }
});
