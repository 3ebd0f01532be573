// The connection editor's form: the connection as a whole, its parameters per environment, and
// Test Connection, Save, Save and Deploy. `?test=1` and `?deploy=1` (from the list's ⋮ menu)
// put the focus on Test Connection or Save and Deploy; `?env=<id>` opens that environment.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { Warning } from '../../../../src/contracts/common.ts';
import type { Connection, ConnectionInput } from '../../../../src/contracts/connections.ts';
import type { Environment, EnvironmentKind } from '../../../../src/contracts/environments.ts';
import { useCan } from '../../session.tsx';
import { draftProblems } from './checks.ts';
import {
  bodyOf,
  draftOf,
  newDraft,
  valueAt,
  type Draft,
  type EnvironmentDraft,
  type Problem,
} from './draft.ts';
import { EditorHead, type Busy } from './EditorHead.tsx';
import { EnvironmentsCard } from './EnvironmentsCard.tsx';
import { ProblemsContext } from './Field.tsx';
import { fieldId, placeOf, type EnvironmentSection } from './field-paths.ts';
import { GeneralFields } from './GeneralFields.tsx';
import { useNameCheck } from './NameField.tsx';
import type { Notice } from './outcomes.tsx';
import { ProblemSummary } from './ProblemSummary.tsx';
import { createConnection, replaceConnection, type SaveOutcome } from './requests.ts';
import { RevisionConflict, type Conflict } from './RevisionConflict.tsx';
import { SampleBody } from './SampleBody.tsx';
import { SaveStatus } from './SaveStatus.tsx';
import { RouterBlocker, useLeaveGuard } from './useLeaveGuard.tsx';
import { useSaveShortcut } from './useSaveShortcut.ts';
import { useServerChanges } from './useServerChanges.ts';
import { useShownProblems } from './useShownProblems.ts';
import { useTestRun } from './useTestRun.tsx';

/** What the create step hands to the edit URL (history state). */
interface ArrivalState {
  notice?: Notice;
  warnings?: Warning[];
  environment?: string;
}

export function EditorForm({
  environments: known,
  connection,
  reload,
}: {
  environments: Environment[];
  /** the saved connection as the server has it now (read again while the page is open) */
  connection: Connection | undefined;
  /** reads the connection again and starts a fresh form (after a conflict) */
  reload(): Promise<void>;
}) {
  const readOnly = !useCan('editor');
  const isAdmin = useCan('admin');
  const navigate = useNavigate();
  const location = useLocation();
  const [search] = useSearchParams();
  const queryClient = useQueryClient();
  const arrival = useRef((location.state ?? {}) as ArrivalState).current;

  // every known environment, and any the connection names that is gone since (to remove it)
  const environments = useMemo(() => {
    const list = [...known];
    for (const id of Object.keys(connection?.environments ?? {})) {
      if (!list.some((e) => e.id === id)) list.push({ ...known[0], id, name: id } as Environment);
    }
    return list;
  }, [known, connection]);
  const kinds = useMemo(
    () => Object.fromEntries(known.map((e) => [e.id, e.kind])) as Record<string, EnvironmentKind>,
    [known],
  );
  const nameOf = (id: string) => environments.find((e) => e.id === id)?.name ?? id;

  const [draft, setDraft] = useState<Draft>(() =>
    connection ? draftOf(connection) : newDraft(known[0]?.id),
  );
  const [current, setCurrent] = useState(connection);
  // the body last saved (or loaded): the form is dirty when its body differs
  const [baseline, setBaseline] = useState(() => JSON.stringify(bodyOf(draft)));
  const [selected, setSelected] = useState<string>(() => {
    const wanted = arrival.environment ?? search.get('env') ?? '';
    if (environments.some((e) => e.id === wanted)) return wanted;
    return environments.find((e) => draft.environments[e.id])?.id ?? environments[0]?.id ?? '';
  });
  const [section, setSection] = useState<EnvironmentSection>('headers');
  const [attempted, setAttempted] = useState<'save' | 'test' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(arrival.notice ?? null);
  const [warnings, setWarnings] = useState<Warning[]>(arrival.warnings ?? []);
  const [busy, setBusy] = useState<Busy>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ path: string; n: number } | null>(null);
  const testButton = useRef<HTMLButtonElement>(null);
  const deployButton = useRef<HTMLButtonElement>(null);

  const body = useMemo(() => bodyOf(draft), [draft]);
  const dirty = JSON.stringify(body) !== baseline;
  useLeaveGuard(dirty && !readOnly);
  useSaveShortcut(() => void save(false));
  const shown = useShownProblems({ draft, body, kinds, environmentName: nameOf, reveal });

  /** Fills the form with a revision of the server's (clean again). */
  function load(c: Connection) {
    const next = draftOf(c);
    setDraft(next);
    setCurrent(c);
    setBaseline(JSON.stringify(bodyOf(next)));
    setConflict(null);
    setAttempted(null);
    shown.reset();
  }

  useServerChanges({
    server: connection,
    current,
    dirty,
    onRefill(server) {
      load(server);
      setNotice({
        tone: 'info',
        text: `${server.updatedBy} saved revision ${server.revision} meanwhile: the form shows it now.`,
      });
    },
    onNewerUnderChanges(server) {
      if (!current) return;
      setConflict(
        (was) =>
          was ?? { mine: current, theirs: server, theirsRevision: server.revision, refused: false },
      );
    },
    onSameRevision: setCurrent,
  });

  const nameCheck = useNameCheck({
    name: draft.name,
    project: draft.project,
    global: draft.global,
    exclude: current?.id,
    savedName: current?.name,
  });

  useEffect(() => {
    // the history state of the create step is read once: a reload should not say "saved" again
    if (location.state) void navigate(location.pathname + location.search, { replace: true });
    // ?test=1 / ?deploy=1: the focus goes where the ⋮ menu pointed
    if (search.get('test') === '1') testButton.current?.focus();
    else if (search.get('deploy') === '1') deployButton.current?.focus();
  }, []);

  useEffect(() => {
    if (!focusRequest) return;
    const element =
      document.getElementById(fieldId(focusRequest.path)) ??
      document.getElementById(focusRequest.path);
    element?.focus();
  }, [focusRequest]);

  const focusField = (path: string) => setFocusRequest((was) => ({ path, n: (was?.n ?? 0) + 1 }));

  /** Opens the tab a field is in and puts the focus on it. */
  function reveal(path: string) {
    const place = placeOf(path, (env) => draft.environments[env]?.headers.length);
    if (!place) return;
    if (place.environment) setSelected(place.environment);
    if (place.section) setSection(place.section);
    focusField(place.path);
  }

  const problems = shown.problems;

  function setEnvironment(env: string, next: EnvironmentDraft | undefined) {
    setDraft((was) => {
      const rest = Object.fromEntries(
        Object.entries(was.environments).filter(([id]) => id !== env),
      );
      return { ...was, environments: next ? { ...rest, [env]: next } : rest };
    });
  }

  function startAttempt(kind: 'save' | 'test') {
    setAttempted(kind);
    setNotice(null);
    setConflict(null);
    shown.reset();
  }

  const testRun = useTestRun({
    idle: !readOnly && !busy,
    setBusy,
    environment: selected,
    environmentName: nameOf,
    kinds,
    draft,
    body,
    baseline,
    current,
    start: () => startAttempt('test'),
    done: () => setAttempted(null),
    refuse: shown.refuse,
    adoptRefusal: shown.adoptRefusal,
    setNotice,
  });

  /** `over`: the connection as it is now, to save over someone else's revision */
  async function save(deploy: boolean, over?: Connection) {
    if (readOnly || busy) return;
    const env = selected;
    startAttempt('save');
    setWarnings([]);
    // what the draft's own checks cannot know: the name check's answer, the deploy target
    const extra: Problem[] = [];
    if (nameCheck.state === 'taken') {
      extra.push({ path: 'name', message: `taken: ${nameCheck.where}` });
    }
    if (deploy && !draft.environments[env]) {
      extra.push({
        path: 'environment',
        message: `${nameOf(env)} has no parameters to deploy: add them, or choose another environment`,
      });
    }
    shown.report(extra.map((p) => ({ ...p, at: valueAt(body, p.path) })));
    if (shown.refuse([...extra, ...draftProblems(draft, kinds)])) return;
    const sent = body;
    const target = deploy ? { id: env, name: nameOf(env) } : undefined;
    const base = over ?? current;
    setBusy(deploy ? 'deploy' : 'save');
    let outcome: SaveOutcome;
    try {
      outcome = base
        ? await replaceConnection(base, sent, target)
        : await createConnection(sent, target);
    } finally {
      setBusy(null);
    }
    switch (outcome.kind) {
      case 'created': {
        setBaseline(JSON.stringify(sent));
        const made = outcome.connection;
        queryClient.setQueryData(['connection', made.id], made);
        void queryClient.invalidateQueries({ queryKey: ['connections'] });
        const state: ArrivalState & { afterSave: true } = {
          notice: outcome.notice,
          warnings: made.warnings ?? [],
          environment: env,
          afterSave: true,
        };
        void navigate(`/connections/${made.id}/edit`, { replace: true, state });
        break;
      }
      case 'saved':
        adopt(outcome.connection, sent);
        setWarnings(outcome.connection.warnings ?? []);
        setNotice(outcome.notice);
        break;
      case 'conflict':
        if (base) {
          setConflict({
            mine: base,
            theirs: outcome.theirs,
            theirsRevision: outcome.revision,
            refused: true,
          });
        }
        break;
      case 'invalid':
        shown.adoptRefusal(outcome.error, sent);
        break;
      case 'refused':
        if (outcome.connection) adopt(outcome.connection, sent);
        setNotice(outcome.notice);
        break;
    }
  }

  function adopt(saved: Connection, sent: ConnectionInput) {
    setCurrent(saved);
    setBaseline(JSON.stringify(sent));
    setAttempted(null);
    shown.reset();
    queryClient.setQueryData(['connection', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['connections'] });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(false);
  }

  const production = kinds[selected] === 'production';
  return (
    <ProblemsContext value={(path) => problems.byField.get(path)}>
      <RouterBlocker dirty={dirty && !readOnly} />
      <form
        className="page editor"
        noValidate
        onSubmit={submit}
        aria-labelledby="editor-title"
        {...shown.formHandlers}
      >
        <EditorHead
          current={current}
          busy={busy}
          readOnly={readOnly}
          dirty={dirty}
          environmentName={nameOf(selected)}
          running={current?.deployments?.[selected]?.revision}
          needsAdmin={production && !isAdmin}
          needsApproval={production && draft.critical}
          onTest={() => void testRun.run()}
          onDeploy={() => void save(true)}
          testButtonRef={testButton}
          deployButtonRef={deployButton}
        />
        {!readOnly && <SampleBody value={testRun.sample} onChange={testRun.setSample} />}
        {readOnly && (
          <p className="banner info">
            You can look but not change: your role is viewer. An editor or an admin changes
            connections.
          </p>
        )}
        <ProblemSummary
          title={`Not ${attempted === 'test' ? 'tested' : 'saved'}: fix what is marked.`}
          items={attempted ? shown.summary : []}
          onReveal={reveal}
        />
        {conflict && (
          <RevisionConflict
            conflict={conflict}
            onLoadTheirs={() => {
              if (conflict.theirs) load(conflict.theirs);
              else void reload();
            }}
            onKeepEditing={() => setConflict(null)}
            onSaveOver={() => {
              const over = conflict.theirs ?? {
                ...conflict.mine,
                revision: conflict.theirsRevision,
              };
              void save(false, over);
            }}
          />
        )}
        <SaveStatus notice={notice} warnings={warnings} spokenTest={testRun.spoken} />
        {testRun.view}
        <GeneralFields
          draft={draft}
          change={(patch) => setDraft((was) => ({ ...was, ...patch }))}
          nameCheck={nameCheck}
          creating={current === undefined}
          readOnly={readOnly}
        />
        <EnvironmentsCard
          environments={environments}
          params={draft.environments}
          deployments={current?.deployments}
          selected={selected}
          onSelect={setSelected}
          problemCount={problems.countIn}
          onChange={setEnvironment}
          section={section}
          onSection={setSection}
          focusField={focusField}
          readOnly={readOnly}
        />
      </form>
    </ProblemsContext>
  );
}
