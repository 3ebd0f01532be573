import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import { secretMarker } from '../../contracts/curl-command.ts';
import { compileRequest, type TemplateValues } from '../render/index.ts';
import type { DeployedTarget } from './prepare-target.ts';
import { maskedValue } from './secret-masker.ts';

/** A credential header's value that shows nothing: only references, maybe after a scheme. */
const onlyMarkers = /^(?:[A-Za-z][A-Za-z0-9-]* +)?(?:\{\{(?:secret|param)\.[^{}]+\}\})+$/;

/** What a deployed revision sends, with its references left for the caller to fill. */
export interface DeployedRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
}

// a param's stand-in while the URL renders: letters and digits only, so URL-encoding the
// value leaves it as it is and it can be swapped for the marker afterwards
const paramToken = (index: number) => `hooklineparam${index}token`;

/**
 * The request a deployed revision would send (Copy as curl on the connection page): its
 * pinned variables substituted, each `{{secret.NAME}}` and `{{param.NAME}}` left as that
 * marker (Copy as curl reads them from the environment), a credential header that is not
 * made of secret markers masked (`****`: never a literal credential in a command), and the
 * User-Agent the engine adds when none is configured. Rendered without the store or the
 * secrets: nothing here ever holds a secret's value. Signing and trace headers are made per
 * call and are not part of it.
 */
export function describeDeployedRequest(
  target: Pick<DeployedTarget, 'params' | 'pinnedVariables'>,
  options: { userAgent: string },
): DeployedRequest {
  const { params } = target;
  const compiled = compileRequest(params, { secretsInBody: false });
  const tokens = new Map<string, string>();
  const values: TemplateValues = {
    variable: (name) => {
      const pinned = target.pinnedVariables;
      const value = pinned && Object.hasOwn(pinned, name) ? pinned[name] : undefined;
      // not pinned (deployed before the variable existed): shown as the reference
      return value ?? `{{var.${name}}}`;
    },
    secret: (name) => secretMarker(name),
    param: (name) => {
      const token = paramToken(tokens.size);
      tokens.set(token, `{{param.${name}}}`);
      return token;
    },
  };
  const rendered = compiled.render(values, undefined);
  const unToken = (text: string) => {
    let out = text;
    for (const [token, marker] of tokens) out = out.split(token).join(marker);
    return out;
  };
  const headers: Array<[string, string]> = rendered.headers.map(([name, value]) => {
    const shown = unToken(value);
    return [name, isSensitiveHeaderName(name) && !onlyMarkers.test(shown) ? maskedValue : shown];
  });
  if (!headers.some(([name]) => name.toLowerCase() === 'user-agent')) {
    headers.push(['User-Agent', options.userAgent]);
  }
  return { method: params.method, url: unToken(rendered.url), headers };
}
