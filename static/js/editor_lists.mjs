// Typing "1. " at the start of a paragraph starts a numbered list, as Word does ("- " and "* "
// already start a bulleted one). django-prose-editor's numbered list leaves out the rule that
// would do it. Only the space typed after "1." counts: pasted text is left as it is, and Undo
// takes the list back with the "1. " typed for it without starting it again.

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
