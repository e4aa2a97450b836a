// Autosave, explicit save and edit-conflict handling for answer forms.
// Each form saves through the same endpoint as without JavaScript; the server refuses a save
// made from an older version (HTTP 409) and this script then shows both texts, keeping the
// editor's own text in place until they choose.

const AUTOSAVE_DELAY_MS = 3000;
const forms = [...document.querySelectorAll("form.app-answer-form")];

// The editor replaces the textarea with its own editing area, which has no name of its own:
// give it the question's label as soon as it appears.
function labelEditor(form) {
  const label = form.querySelector("label[id$='-label']");
  if (!label) return;
  const apply = () => {
    const area = form.querySelector('.ProseMirror[contenteditable="true"]');
    if (!area) return false;
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", label.id);
    return true;
  };
  if (apply()) return;
  const observer = new MutationObserver(() => {
    if (apply()) observer.disconnect();
  });
  observer.observe(form, { childList: true, subtree: true });
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
  form.dataset.dirty = "false";

  const say = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle("nhsuk-error-message", isError);
  };
  const markDirty = (value) => {
    dirty = value;
    form.dataset.dirty = String(value);
  };

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
    say("Saving…");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (response.ok) {
        versionInput.value = data.version;
        if (form.dataset.changeCount === changedBefore) markDirty(false);
        say(`Saved at ${data.saved_at}`);
      } else if (response.status === 409) {
        showConflict(data.conflict);
      } else if (response.status === 403) {
        say(`Not saved: ${data.refused}`, true);
      } else if (data.errors) {
        const messages = Object.values(data.errors).flat().map((e) => e.message);
        say(`Not saved: ${messages.join(" ")}`, true);
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

  function showConflict(theirs) {
    inConflict = true;
    clearTimeout(timer);
    say("Not saved: someone else saved this answer while you were editing.", true);
    conflictBox.innerHTML = "";
    const heading = document.createElement("h3");
    heading.className = "nhsuk-heading-s";
    heading.id = `${form.dataset.question}-conflict-heading`;
    heading.textContent = `${theirs.updated_by || "Someone"} saved a newer version at ${theirs.saved_at}`;
    const intro = document.createElement("p");
    intro.textContent = "Your text is still in the box above and has not been saved. Their saved version is below. Keep yours, or copy what you need from theirs into yours first.";
    const their = document.createElement("div");
    their.className = "nhsuk-inset-text app-their-version";
    // The server sanitised this HTML against the same allowlist as every answer.
    their.innerHTML = theirs.text || "<p>(empty)</p>";
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "nhsuk-button";
    keep.textContent = "Save my version";
    keep.addEventListener("click", () => {
      versionInput.value = theirs.version;
      inConflict = false;
      conflictBox.hidden = true;
      save({ autosave: false });
    });
    const reload = document.createElement("a");
    reload.className = "nhsuk-link";
    reload.href = `${window.location.pathname}#${form.closest("section").id}`;
    reload.textContent = "Discard my text and show their version";
    reload.addEventListener("click", (event) => {
      event.preventDefault();
      markDirty(false);
      window.location.reload();
    });
    conflictBox.className = "app-conflict nhsuk-warning-callout";
    conflictBox.setAttribute("role", "alert");
    conflictBox.setAttribute("aria-labelledby", heading.id);
    conflictBox.append(heading, intro, their, keep, reload);
    conflictBox.hidden = false;
    conflictBox.focus();
  }

  form.addEventListener("input", () => {
    markDirty(true);
    form.dataset.changeCount = String(Number(form.dataset.changeCount || 0) + 1);
    clearTimeout(timer);
    timer = setTimeout(() => save({ autosave: true }), AUTOSAVE_DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    // Row buttons (add, remove, move) go to the server as ordinary form posts.
    if (event.submitter && event.submitter.name === "row-action") return;
    event.preventDefault();
    clearTimeout(timer);
    save({ autosave: false });
  });
  labelEditor(form);
}

forms.forEach(setup);

window.addEventListener("beforeunload", (event) => {
  if (forms.some((form) => form.dataset.dirty === "true")) {
    event.preventDefault();
  }
});
