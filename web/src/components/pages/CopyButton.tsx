import { useState } from 'react';

/** Copies `text` to the clipboard and says whether it worked (the clipboard may be refused). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [said, setSaid] = useState('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied.');
    } catch {
      setSaid('The browser refused the clipboard: select the text and copy it.');
    }
  }
  return (
    <>
      <button type="button" className="button small" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy-said" role="status" aria-live="polite">
        {said}
      </span>
    </>
  );
}
