// Keeps the closed list of audit actions in step with the code: every action a service writes
// (a literal, or a template such as `connection.${action}` expanded from its parameter's union
// type) is in the list, and every listed action is written somewhere.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { auditActions, auditTargetTypes } from './audit-actions.ts';

const srcDir = join(import.meta.dirname, '..');
/** The calls that write an audit record, directly or through a service's helper. */
const writers = /\b(?:audit\.record|recordAudit|recordChange|insertAuditRecord)\(/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The text of a call's arguments, from its `(` to the matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 0;
  for (let at = open; at < text.length; at++) {
    if (text[at] === '(') depth++;
    else if (text[at] === ')' && --depth === 0) return text.slice(open + 1, at);
  }
  return text.slice(open + 1);
}

/** `name: 'a' | 'b'` in the file: the values a template's `${name}` can take. */
function unionOf(text: string, name: string): string[] {
  const values = new Set<string>();
  const annotation = new RegExp(`\\b${name}\\??:\\s*((?:'[^']+'\\s*\\|\\s*)+'[^']+')`, 'g');
  for (const match of text.matchAll(annotation)) {
    for (const value of (match[1] as string).matchAll(/'([^']+)'/g)) values.add(value[1] as string);
  }
  return [...values];
}

/** Every action the code writes, each with where. */
function writtenActions(): Map<string, string> {
  const written = new Map<string, string>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(writers)) {
      // a helper's own definition passes its `action` parameter on: its callers are scanned
      if (text.slice(Math.max(0, (call.index as number) - 9), call.index) === 'function ') continue;
      const where = `${relative(srcDir, file)}:${text.slice(0, call.index).split('\n').length}`;
      const args = callArguments(text, (call.index as number) + call[0].length - 1);
      // the action is the call's own argument or its `action:` key, not a nested object's
      const actionKey = args.match(/^\s*[\w.]+,\s*\{\s*(?:[^{}]*?,\s*)?action:\s*([^,\n]+)/s);
      const scope = actionKey ? (actionKey[1] as string) : args;
      for (const literal of scope.matchAll(/'([a-z]+\.[a-z_-]+)'/g)) {
        written.set(literal[1] as string, where);
      }
      for (const template of scope.matchAll(/`([a-z]+)\.\$\{(\w+)\}`/g)) {
        const values = unionOf(text, template[2] as string);
        assert.ok(values.length > 0, `${where}: cannot tell what \`${template[0]}\` can be`);
        for (const value of values) written.set(`${template[1]}.${value}`, where);
      }
    }
  }
  return written;
}

test('every audit action the code writes is in the closed list, and every listed one is written', () => {
  const written = writtenActions();
  assert.ok(written.size >= 30, `only ${written.size} found: the scan no longer sees the writers`);
  const listed = new Set<string>(auditActions);
  for (const [action, where] of written) {
    assert.ok(listed.has(action), `${where} writes '${action}': add it to auditActions`);
  }
  // an action passed on as a helper's parameter (recordAudit(tx, actor, action, …)) is found at
  // the helper's callers; anything listed but never written has rotted
  for (const action of auditActions) {
    assert.ok(written.has(action), `'${action}' is listed but no code writes it`);
  }
});

test('every audit action names one of the target types', () => {
  const types = new Set<string>([...auditTargetTypes, 'session']);
  for (const action of auditActions) {
    assert.ok(types.has(action.split('.')[0] as string), action);
  }
});
