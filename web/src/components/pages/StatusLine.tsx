import { useCallback, useState } from 'react';
import { errorText } from '../ErrorNote.tsx';

export interface Said {
  text: string;
  isError: boolean;
}

/** What the last action did: `say('Saved.')`, or `fail(error)` for a refusal. */
export function useStatus() {
  const [said, setSaid] = useState<Said | null>(null);
  const say = useCallback((text: string) => setSaid({ text, isError: false }), []);
  const fail = useCallback(
    (error: unknown) => setSaid({ text: errorText(error), isError: true }),
    [],
  );
  const clear = useCallback(() => setSaid(null), []);
  return { said, say, fail, clear };
}

/**
 * A polite live line for what went right, an alert for what the API refused (the live region
 * is always in the page, so a screen reader hears the first message too).
 */
export function StatusLine({ said }: { said: Said | null }) {
  return (
    <>
      <p className="status-line" role="status" aria-live="polite">
        {said && !said.isError ? said.text : ''}
      </p>
      {said?.isError && (
        <p className="banner error" role="alert">
          {said.text}
        </p>
      )}
    </>
  );
}
