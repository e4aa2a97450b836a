// Lists in the rich-text editor answer the keys as they do in Word.

// Typing "1. " at the start of a paragraph starts a numbered list ("- " and "* " already start a
// bulleted one). django-prose-editor's numbered list leaves out the rule that would do it. Only
// the space typed after "1." counts: pasted text is left as it is, and Undo takes the list back
// with the "1. " typed for it without starting it again.

const TYPED = "1. ";

function typedASpace(transaction) {
  if (transaction.steps.length !== 1) return false;
  const inserted = transaction.steps[0].slice?.content;
  return inserted?.childCount === 1 && inserted.firstChild.text === " ";
}

export function numberedListFromTyping(editor) {
  editor.on("transaction", ({ transaction }) => {
    if (!transaction.docChanged || !typedASpace(transaction)) return;
    const { $from, empty } = editor.state.selection;
    if (!empty || $from.parent.type.name !== "paragraph") return;
    if ($from.parent.textContent !== TYPED || $from.parentOffset !== TYPED.length) return;
    if (editor.isActive("orderedList") || editor.isActive("bulletList")) return;
    const start = $from.start();
    // Changed once this transaction has been applied, not from inside it.
    queueMicrotask(() =>
      editor
        .chain()
        .deleteRange({ from: start, to: start + TYPED.length })
        .toggleOrderedList()
        .run(),
    );
  });
}

// Shift+Tab moves a list item back out a level, as in Word; but the editor also lifts an item of
// the outer level out of its list altogether, into a paragraph, so someone going back through
// the page with Shift+Tab would change their list without knowing. There, Shift+Tab moves on to
// the control before, as it does from a paragraph.
export function shiftTabKeepsOuterListItems(editor) {
  const isOuterListItem = () => {
    const { $from } = editor.state.selection;
    for (let depth = $from.depth; depth > 0; depth -= 1) {
      if ($from.node(depth).type.name === "listItem") {
        return depth < 2 || $from.node(depth - 2).type.name !== "listItem";
      }
    }
    return false;
  };
  // On the editing area's parent, in the capture phase, so the editor never sees the key.
  editor.view.dom.parentElement.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Tab" || !event.shiftKey || event.target !== editor.view.dom) return;
      if (isOuterListItem()) event.stopPropagation();
    },
    { capture: true },
  );
}
