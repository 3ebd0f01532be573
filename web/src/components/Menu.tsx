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
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // the button's box the list was placed under: what a scroll is measured against
  const placedAt = useRef<DOMRect | null>(null);
  const id = useId();
  const placeUnder = (rect: DOMRect) => {
    placedAt.current = rect;
    setPlace({ top: rect.bottom + 4, right: window.innerWidth - rect.right });
  };
  const setOpen = (next: boolean | ((was: boolean) => boolean)) => {
    const want = typeof next === 'function' ? next(open) : next;
    const rect = buttonRef.current?.getBoundingClientRect();
    if (want && rect) placeUnder(rect);
    else setPlace(null);
  };

  useEffect(() => {
    if (!open) return;
    const first = listRef.current?.querySelector<HTMLButtonElement>('button:not([disabled])');
    first?.focus({ preventScroll: true });
    const close = (event: MouseEvent) => {
      if (!listRef.current?.contains(event.target as Node) && event.target !== buttonRef.current) {
        setOpen(false);
      }
    };
    // The list is position:fixed, so it must never float away from its button. A scroll event
    // alone says little: the one that brought the button into view before the click (a table
    // scrolled sideways on a phone) may arrive after the list opened, and a scroll elsewhere
    // (a text area, the list itself) does not move the button. So a scroll is judged by where
    // the button is now: not moved, nothing to do; moved by the table (or other box) it sits in
    // and still visible there, the list follows it; moved by the page, or out of sight, the
    // list closes (as menus do when the page scrolls). A resize closes it too: the list's
    // right edge is measured from the window's.
    const follow = (event: Event) => {
      const button = buttonRef.current;
      const was = placedAt.current;
      if (!button || !was) return;
      const rect = button.getBoundingClientRect();
      if (Math.abs(rect.top - was.top) < 1 && Math.abs(rect.left - was.left) < 1) return;
      const box = event.target;
      const inBox =
        box instanceof Element &&
        box !== document.documentElement &&
        box !== document.body &&
        box.contains(button);
      if (inBox && isVisibleIn(rect, box.getBoundingClientRect())) placeUnder(rect);
      else setPlace(null);
    };
    const dismiss = () => setPlace(null);
    document.addEventListener('mousedown', close);
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', dismiss);
    return () => {
      document.removeEventListener('mousedown', close);
      window.removeEventListener('scroll', follow, true);
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

/** Whether the button's box lies inside the box that scrolled it and inside the window. */
function isVisibleIn(rect: DOMRect, box: DOMRect): boolean {
  return (
    rect.left >= box.left - 1 &&
    rect.right <= box.right + 1 &&
    rect.top >= box.top - 1 &&
    rect.bottom <= box.bottom + 1 &&
    rect.bottom <= window.innerHeight &&
    rect.right <= window.innerWidth
  );
}
