// A WAI-ARIA tab list: one tab stop, ←/→ (and Home/End) move and select, the panel follows.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  className?: string;
}

export function Tabs({
  label,
  idPrefix,
  panelId,
  items,
  selected,
  onSelect,
  className,
}: {
  label: string;
  idPrefix: string;
  panelId: string;
  items: TabItem[];
  selected: string;
  onSelect(id: string): void;
  className?: string;
}) {
  const listRef = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const at = items.findIndex((item) => item.id === selected);
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % items.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + items.length) % items.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? items.length - 1
              : -1;
    const next = items[to];
    if (!next) return;
    event.preventDefault();
    onSelect(next.id);
    listRef.current
      ?.querySelector<HTMLButtonElement>(`[data-tab="${CSS.escape(next.id)}"]`)
      ?.focus();
  }

  return (
    <div
      ref={listRef}
      role="tablist"
      aria-label={label}
      className={`ed-tabs ${className ?? ''}`}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => {
        const isSelected = item.id === selected;
        return (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`${idPrefix}-${item.id}`}
            data-tab={item.id}
            aria-selected={isSelected}
            aria-controls={panelId}
            tabIndex={isSelected ? 0 : -1}
            className={`ed-tab ${item.className ?? ''}`}
            onClick={() => onSelect(item.id)}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
