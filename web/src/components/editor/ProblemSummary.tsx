// The problems of the last Save or Test at the top of the page: each one with a link to its
// field (which opens the right environment and tab), or as text when the page has no field
// for it (an unknown environment, a rule about the whole connection).
import type { Problem } from './draft.ts';

export interface SummaryItem extends Problem {
  /** the field path to reveal, when the page shows this problem next to a field */
  target?: string;
  /** how the summary names the field */
  label: string;
}

export function ProblemSummary({
  title,
  items,
  onReveal,
}: {
  /** e.g. "Not saved: fix what is marked." */
  title: string;
  items: SummaryItem[];
  onReveal(path: string): void;
}) {
  if (items.length === 0) return null;
  return (
    <div className="banner error ed-summary" role="alert" aria-labelledby="problem-summary-title">
      <p id="problem-summary-title">
        <strong>{title}</strong>
      </p>
      <ul>
        {items.map((item) => (
          <li key={`${item.path}:${item.message}`} data-path={item.path}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(event) => {
                  event.preventDefault();
                  if (item.target) onReveal(item.target);
                }}
              >
                {item.label}
              </a>
            ) : (
              <strong>{item.label}</strong>
            )}
            : {item.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
