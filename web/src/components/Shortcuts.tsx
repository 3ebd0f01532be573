import { useEffect, useState } from 'react';
import { Dialog } from './Dialog.tsx';

/**
 * The console's keyboard shortcuts, as the `?` dialog lists them. `Ctrl+S` is the editor's own
 * (it saves the form it belongs to); the others are handled here, once, for every page.
 */
export const shortcuts: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ['/'], does: "Go to the page's search field" },
  { keys: ['Ctrl', 'S'], does: 'Save, in the connection editor (⌘ S on a Mac)' },
  { keys: ['?'], does: 'Show these shortcuts' },
  { keys: ['Esc'], does: 'Close a dialog or menu' },
];

/**
 * The search field `/` goes to: the one a page marks with `data-shortcut="search"`, else the
 * first search input of the page (so a page with one opts in without doing anything).
 */
function searchField(): HTMLInputElement | null {
  const candidates = [
    ...document.querySelectorAll<HTMLInputElement>('[data-shortcut="search"]'),
    ...document.querySelectorAll<HTMLInputElement>('main input[type="search"]'),
  ];
  return candidates.find((input) => !input.disabled && input.getClientRects().length > 0) ?? null;
}

/** Typing in a field (or a menu/dialog that has the keyboard) must never trigger a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}

/** Listens for `/` and `?` on the whole page; renders the `?` dialog while it is open. */
export function Shortcuts() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      // a modal dialog has the keyboard: its own keys (Esc) only
      if (document.querySelector('dialog[open]')) return;
      if (event.key === '/') {
        const field = searchField();
        if (!field) return;
        event.preventDefault();
        field.focus();
        field.select();
      } else if (event.key === '?') {
        event.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        className="button subtle icon shortcuts-button"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        aria-keyshortcuts="?"
        onClick={() => setOpen(true)}
      >
        ?
      </button>
      {open && (
        <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)}>
          <table className="table shortcuts-table">
            <thead>
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Does</th>
              </tr>
            </thead>
            <tbody>
              {shortcuts.map((shortcut) => (
                <tr key={shortcut.does}>
                  <th scope="row">
                    {shortcut.keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 && ' + '}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </th>
                  <td>{shortcut.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">Shortcuts wait while you type in a field.</p>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
