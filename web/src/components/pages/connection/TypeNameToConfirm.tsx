/**
 * "Type <name> to confirm": the modelled product's guard before a step that cannot be taken
 * back lightly (delete, rollback). The caller keeps the typed text and compares it with the name.
 */
export function TypeNameToConfirm({
  id,
  name,
  typed,
  onTyped,
}: {
  id: string;
  name: string;
  typed: string;
  onTyped(text: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        Type <strong>{name}</strong> to confirm
      </label>
      <input
        id={id}
        value={typed}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onTyped(event.target.value)}
      />
    </div>
  );
}
