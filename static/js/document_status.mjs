// Keeps a PDF's progress page up to date: asks the server where the PDF has got to every two
// seconds and, when it is ready, shows the download link and moves focus to it. The status
// area is an aria-live region, so the change is announced. Without this script the page
// offers a "Refresh this page" link instead.

const POLL_MS = 2000;
const GIVE_UP_MS = 15 * 60 * 1000;

const root = document.querySelector("[data-document-status]");

function field(name) {
  return root.querySelector(`[data-document-field="${name}"]`);
}

const TAGS = {
  queued: "nhsuk-tag--grey",
  rendering: "nhsuk-tag--blue",
  ready: "nhsuk-tag--green",
  failed: "nhsuk-tag--red",
};

function show(status) {
  const tag = field("state_label");
  tag.textContent = status.state_label;
  tag.classList.remove(...Object.values(TAGS));
  tag.classList.add(TAGS[status.state]);
  // Only touch the live region when its words change, so nothing is announced twice.
  if (field("heading").textContent !== status.heading) {
    field("heading").textContent = status.heading;
  }
  if (field("message").textContent !== status.message) {
    field("message").textContent = status.message;
  }
  if (!status.done) return;
  const refresh = root.querySelector("[data-document-refresh]");
  if (refresh) refresh.hidden = true;
  if (status.download_url) {
    const holder = root.querySelector("[data-document-download]");
    const link = document.createElement("a");
    link.className = "nhsuk-button";
    link.href = status.download_url;
    link.download = status.filename;
    link.textContent = status.download_text;
    holder.replaceChildren(link);
    holder.hidden = false;
    link.focus();
  } else if (status.failed) {
    const retry = root.querySelector("[data-document-retry]");
    if (retry) retry.hidden = false;
  }
}

async function poll(startedAt) {
  let status = null;
  try {
    const response = await fetch(root.dataset.documentStatus, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.ok) status = await response.json();
  } catch {
    // The network blinked: ask again at the next tick.
  }
  if (status) show(status);
  if (status && status.done) return;
  if (Date.now() - startedAt > GIVE_UP_MS) {
    const refresh = root.querySelector("[data-document-refresh]");
    if (refresh) refresh.hidden = false;
    return;
  }
  window.setTimeout(() => poll(startedAt), POLL_MS);
}

if (root && root.dataset.done !== "true") {
  const refresh = root.querySelector("[data-document-refresh]");
  if (refresh) refresh.hidden = true;
  window.setTimeout(() => poll(Date.now()), POLL_MS);
}
