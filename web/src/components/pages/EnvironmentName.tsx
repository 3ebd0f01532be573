import { useEnvironmentNames } from './useEnvironments.ts';

/**
 * An environment's name where a page holds its id ("Development", not "development"); the id
 * stays in the tooltip, as it is what the API, the CLI and templates use.
 */
export function EnvironmentName({ id }: { id: string }) {
  const nameOf = useEnvironmentNames();
  const name = nameOf(id);
  return (
    <span
      className="environment-name"
      data-environment-id={id}
      title={name === id ? undefined : id}
    >
      {name}
    </span>
  );
}
