/**
 * Template references in connection parameters: `{{var.NAME}}`, `{{secret.NAME}}` and
 * `{{param.NAME}}`. This file only reads the syntax; resolving values is dispatch's job.
 */
export const templateNamespaces = ['var', 'secret', 'param'] as const;
export type TemplateNamespace = (typeof templateNamespaces)[number];

export interface TemplateReference {
  namespace: TemplateNamespace;
  name: string;
  /** the whole `{{…}}` text */
  raw: string;
}

const referenceBody = /^\s*(var|secret|param)\.([A-Za-z_][A-Za-z0-9_.-]{0,99})\s*$/;

/** Splits a text into its references, or says what is wrong with its `{{…}}` syntax. */
export function parseTemplate(
  text: string,
): { references: TemplateReference[] } | { problem: string } {
  const references: TemplateReference[] = [];
  let index = 0;
  for (;;) {
    const open = text.indexOf('{{', index);
    const strayClose = text.indexOf('}}', index);
    if (open === -1) {
      if (strayClose !== -1) return { problem: `'}}' without a matching '{{'` };
      return { references };
    }
    if (strayClose !== -1 && strayClose < open) return { problem: `'}}' without a matching '{{'` };
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return { problem: `'{{' is not closed with '}}'` };
    const raw = text.slice(open, close + 2);
    const match = referenceBody.exec(text.slice(open + 2, close));
    if (!match) {
      return {
        problem: `${raw} is not a template reference; use {{var.NAME}}, {{secret.NAME}} or {{param.NAME}}`,
      };
    }
    references.push({ namespace: match[1] as TemplateNamespace, name: match[2] as string, raw });
    index = close + 2;
  }
}

/** The text with every reference replaced by `stand_in` (to check what remains). */
export function replaceReferences(text: string, standIn: string): string {
  return text.replace(/\{\{[^{}]*\}\}/g, standIn);
}
