// What the list's actions do: one connection (enable, disable with Undo, move, delete) or the
// selected ones at once (progress, then a report per row), each said in the status line.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { api } from '../../../api/client.ts';
import { errorText } from '../../ErrorNote.tsx';
import type { BulkAction } from './BulkBar.tsx';
import { countOf, runEach, summaryOf } from './bulk.ts';
import type { ListSaid } from './ListStatus.tsx';

export const exportUrl = (connection: Connection) => `/api/v1/connections/${connection.id}/export`;

/** Downloads `url` (an attachment answer) without leaving the page. */
export function download(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

export function useListActions({
  selected,
  setSelected,
  askBulk,
}: {
  selected: Map<string, Connection>;
  setSelected(next: Map<string, Connection>): void;
  askBulk(kind: 'deploy' | 'delete'): void;
}) {
  const queryClient = useQueryClient();
  const [said, setSaid] = useState<ListSaid | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['connections'] });

  /** One request for one connection, reported in the status line. */
  async function act(path: string, done: string, undo?: ListSaid['undo']) {
    try {
      await api('POST', path, { body: {} });
      setSaid({ text: done, undo });
    } catch (error) {
      setSaid({ text: errorText(error), isError: true });
    } finally {
      await refresh();
    }
  }
  const enable = (connection: Connection, done = `Enabled ${connection.name}.`) =>
    act(`/connections/${connection.id}/enable`, done);
  const disable = (connection: Connection) =>
    act(`/connections/${connection.id}/disable`, `Disabled ${connection.name}.`, {
      label: `Undo (enable ${connection.name} again)`,
      run: () => void enable(connection, `Enabled ${connection.name} again.`),
    });

  async function confirmRow(kind: 'disable' | 'move' | 'delete', connection: Connection) {
    if (kind === 'disable') return disable(connection);
    if (kind === 'move') {
      return act(
        `/connections/${connection.id}/move-to-global`,
        `Moved ${connection.name} to Global.`,
      );
    }
    try {
      await api('DELETE', `/connections/${connection.id}`);
      setSaid({ text: `Deleted ${connection.name}.` });
    } catch (error) {
      setSaid({ text: errorText(error), isError: true });
    } finally {
      await refresh();
    }
  }

  /** A bulk action over the selection: progress, then a report per row; selection cleared. */
  async function runBulk(
    verb: { doing: string; done: string },
    request: (connection: Connection) => Promise<string>,
    undo?: (done: Connection[]) => ListSaid['undo'],
  ) {
    const chosen = [...selected.values()];
    setBusy(true);
    setSaid({ text: `${verb.doing}… 0 of ${countOf(chosen.length)} done.` });
    const outcomes = await runEach(chosen, request, (done) =>
      setSaid({ text: `${verb.doing}… ${done} of ${countOf(chosen.length)} done.` }),
    );
    const done = chosen.filter((_, i) => outcomes[i]?.state === 'done');
    setSaid({
      text: summaryOf(verb.done, outcomes),
      outcomes,
      undo: undo && done.length > 0 ? undo(done) : undefined,
    });
    setSelected(new Map());
    setBusy(false);
    await refresh();
  }

  function bulk(action: BulkAction) {
    const chosen = [...selected.values()];
    if (action === 'deploy' || action === 'delete') return askBulk(action);
    if (action === 'export') {
      // one archive (GET /exports: at most 200 connections each) or the usual single one
      if (chosen.length === 1 && chosen[0]) download(exportUrl(chosen[0]));
      for (let start = 0; chosen.length > 1 && start < chosen.length; start += 200) {
        const ids = chosen.slice(start, start + 200).map((c) => c.id);
        download(`/api/v1/exports?connections=${ids.join(',')}`);
      }
      setSaid({ text: `Exported ${countOf(chosen.length)}: the archive is downloading.` });
      return setSelected(new Map());
    }
    const enabling = action === 'enable';
    const path = enabling ? 'enable' : 'disable';
    void runBulk(
      enabling ? { doing: 'Enabling', done: 'Enabled' } : { doing: 'Disabling', done: 'Disabled' },
      async (c) => {
        await api('POST', `/connections/${c.id}/${path}`, { body: {} });
        return enabling ? 'enabled' : 'disabled';
      },
      enabling
        ? undefined
        : (done) => ({
            label: `Undo (enable ${countOf(done.length)} again)`,
            run: () =>
              void runEach(
                done,
                (c) => api('POST', `/connections/${c.id}/enable`, { body: {} }).then(() => ''),
                () => {},
              ).then(async (again) => {
                setSaid({ text: summaryOf('Enabled again', again), outcomes: again });
                await refresh();
              }),
          }),
    );
  }

  const deployAll = (environment: Environment) =>
    runBulk(
      { doing: `Deploying to ${environment.name}`, done: `Deployed to ${environment.name}` },
      async (c) => {
        await api('POST', `/connections/${c.id}/deploy`, {
          body: { environment: environment.id },
        });
        return 'deployed';
      },
    );
  const deleteAll = () =>
    runBulk({ doing: 'Deleting', done: 'Deleted' }, async (c) => {
      await api('DELETE', `/connections/${c.id}`);
      return 'deleted';
    });

  return { said, busy, refresh, enable, confirmRow, bulk, deployAll, deleteAll };
}
