import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  onSelect(): void;
  disabled?: boolean;
  danger?: boolean;
}

/**
 * A ⋮ menu (WAI-ARIA menu button): Enter/Space/↓ opens it on the first item, ↑/↓ move,
 * Escape closes it and gives the focus back to the button.
 */
export function Menu({ label, items }: { label: string; items: MenuItem[] }) {
  // where the list opens: fixed to the viewport under the button, so no scrolling table clips it
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const open = place !== null;
  const setOpen = (next: boolean | ((was: boolean) => boolean)) => {
    const want = typeof next === 'function' ? next(open) : next;
    const rect = buttonRef.current?.getBoundingClientRect();
    setPlace(want && rect ? { top: rect.bottom + 4, right: window.innerWidth - rect.right } : null);
  };
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const first = listRef.current?.querySelector<HTMLButtonElement>('button:not([disabled])');
    first?.focus({ preventScroll: true });
    const close = (event: MouseEvent) => {
      if (!listRef.current?.contains(event.target as Node) && event.target !== buttonRef.current) {
        setOpen(false);
      }
    };
    // the list stays where it opened: a scroll or a resize would leave it behind, so it closes
    const dismiss = () => setPlace(null);
    document.addEventListener('mousedown', close);
    window.addEventListener('scroll', dismiss, true);
    window.addEventListener('resize', dismiss);
    return () => {
      document.removeEventListener('mousedown', close);
      window.removeEventListener('scroll', dismiss, true);
      window.removeEventListener('resize', dismiss);
    };
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const buttons = [
      ...(listRef.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? []),
    ];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape' || event.key === 'Tab') {
      setOpen(false);
      if (event.key === 'Escape') buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      buttons[(at + 1) % buttons.length]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    }
  }

  return (
    <div className="menu">
      <button
        ref={buttonRef}
        type="button"
        className="button icon"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        onClick={() => setOpen((was) => !was)}
      >
        ⋮
      </button>
      {open && (
        <ul
          id={id}
          role="menu"
          ref={listRef}
          className="menu-list"
          style={{ top: place.top, right: place.right }}
          onKeyDown={onKeyDown}
        >
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                className={item.danger ? 'danger' : undefined}
                disabled={item.disabled}
                onClick={() => {
                  setOpen(false);
                  buttonRef.current?.focus();
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
