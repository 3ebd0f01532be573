/**
 * "Redeploy to apply": the values of `{{var.*}}` are pinned when a revision is deployed, so a
 * variable changed since then reaches the environment only with its next deploy (which is
 * gated as usual). Renders nothing when no variable changed.
 */
export function RedeployNote({
  variables,
}: {
  /** undefined: a server from before the field (the page must not break on it) */
  variables: readonly string[] | undefined;
}) {
  if (!variables || variables.length === 0) return null;
  const names = variables.join(', ');
  return (
    <span
      className="redeploy-note"
      data-redeploy={variables.join(' ')}
      title={`changed since this deploy: ${names}; the environment still uses the values it was deployed with`}
    >
      Redeploy to apply: {names}
    </span>
  );
}
