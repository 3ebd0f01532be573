import { buildFinder, createMasker, maskedValue, type SecretMasker } from './secret-masker.ts';

/**
 * A masker whose replacement names the secret: each occurrence of a value (in any of the forms
 * createSecretMasker finds) becomes `markerOf(name)`, e.g. `{{secret.NAME}}`, so a stored
 * request shows which secret stood there and Copy as curl can put a placeholder in its place.
 * One capture group per secret tells which one matched; built once per prepared target and
 * used only for the request an attempt records, not for answers (the groups cost a little).
 */
export function createSecretMarker(
  secrets: ReadonlyMap<string, string>,
  markerOf: (name: string) => string,
): SecretMasker | null {
  const finder = buildFinder(
    [...secrets].map(([name, value]) => ({ name, value })),
    true,
  );
  if (!finder) return null;
  const markers = finder.names.map(markerOf);
  return createMasker(finder, (match) => {
    for (let group = 1; group < match.length; group++) {
      if (match[group] !== undefined) return markers[group - 1] as string;
    }
    return maskedValue;
  });
}
