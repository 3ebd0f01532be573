// The connection editor's form: the connection as a whole, its parameters per environment, and
// Test Connection, Save, Save and Deploy. `?test=1` and `?deploy=1` (from the list's ⋮ menu)
// put the focus on Test Connection or Save and Deploy; `?env=<id>` opens that environment.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { Warning } from '../../../../src/contracts/common.ts';
import type { Connection, ConnectionInput } from '../../../../src/contracts/connections.ts';
import type { Environment, EnvironmentKind } from '../../../../src/contracts/environments.ts';
import type { TestResult } from '../../../../src/contracts/invoke.ts';
import { ApiError } from '../../api/client.ts';
import { useCan } from '../../session.tsx';
import { errorText } from '../ErrorNote.tsx';
import { draftProblems, environmentProblems, nameProblem } from './checks.ts';
import {
  bodyOf,
  draftOf,
  newDraft,
  paramNamesOf,
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
import { reportedProblems, showProblems, type ReportedProblem } from './problems.ts';
import {
  createConnection,
  draftForTest,
  replaceConnection,
  testConnection,
  type SaveOutcome,
} from './requests.ts';
import { ConflictAlert, SaveStatus, type Conflict } from './SaveStatus.tsx';
import { TestParamsDialog } from './TestParamsDialog.tsx';
import { TestResultPanel } from './TestResult.tsx';
import { RouterBlocker, useLeaveGuard } from './useLeaveGuard.tsx';

/** What the create step hands to the edit URL (history state). */
interface ArrivalState {
  notice?: Notice;
  warnings?: Warning[];
  environment?: string;
}

interface ShownTest {
  result: TestResult;
  environment: string;
  /** the unsaved form was tested, not the saved connection */
  draft: boolean;
}

export function EditorForm({
  environments: known,
  connection,
  reload,
}: {
  environments: Environment[];
  /** the saved connection; undefined when creating */
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
  const [reported, setReported] = useState<ReportedProblem[]>([]);
  const [notice, setNotice] = useState<Notice | null>(arrival.notice ?? null);
  const [warnings, setWarnings] = useState<Warning[]>(arrival.warnings ?? []);
  const [test, setTest] = useState<ShownTest | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  // {{param.NAME}} values for Test Connection: asked for when the parameters use some
  const [askParams, setAskParams] = useState<string[] | null>(null);
  const [testParams, setTestParams] = useState<Record<string, string>>({});
  const [focusRequest, setFocusRequest] = useState<{ path: string; n: number } | null>(null);
  const testButton = useRef<HTMLButtonElement>(null);
  const deployButton = useRef<HTMLButtonElement>(null);

  const body = useMemo(() => bodyOf(draft), [draft]);
  const dirty = JSON.stringify(body) !== baseline;
  useLeaveGuard(dirty && !readOnly);

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
  const headerCount = (env: string) => draft.environments[env]?.headers.length;

  /** Opens the tab a field is in and puts the focus on it. */
  function reveal(path: string) {
    const place = placeOf(path, headerCount);
    if (!place) return;
    if (place.environment) setSelected(place.environment);
    if (place.section) setSection(place.section);
    focusField(place.path);
  }

  const own = useMemo(() => {
    if (attempted === 'save') return draftProblems(draft, kinds);
    const params = draft.environments[selected];
    if (attempted === 'test' && params)
      return environmentProblems(selected, params, kinds[selected]);
    return [];
  }, [attempted, draft, kinds, selected]);
  const problems = showProblems(own, reported, body, headerCount, nameOf);

  function setEnvironment(env: string, next: EnvironmentDraft | undefined) {
    setDraft((was) => {
      const rest = Object.fromEntries(
        Object.entries(was.environments).filter(([id]) => id !== env),
      );
      return { ...was, environments: next ? { ...rest, [env]: next } : rest };
    });
  }

  /** Whether there are problems; reveals the first one that has a field. */
  function refuse(found: Problem[]): boolean {
    const first = found.find((p) => placeOf(p.path, headerCount));
    if (first) reveal(first.path);
    return found.length > 0;
  }

  /** VALIDATION_FAILED (or CONNECTION_NAME_TAKEN): the problems go next to their fields. */
  function adoptRefusal(error: unknown, sent: unknown, prefix = ''): boolean {
    if (!(error instanceof ApiError)) return false;
    let found: ReportedProblem[];
    if (error.code === 'VALIDATION_FAILED') found = reportedProblems(error.problems, sent, prefix);
    else if (error.code === 'CONNECTION_NAME_TAKEN') {
      found = [{ path: 'name', message: error.message, at: valueAt(sent, 'name') }];
    } else return false;
    setReported(found);
    refuse(found);
    return true;
  }

  function startAttempt(kind: 'save' | 'test') {
    setAttempted(kind);
    setNotice(null);
    setReported([]);
    setConflict(null);
  }

  async function runTest(given?: Record<string, string>) {
    if (readOnly || busy) return;
    const env = selected;
    const params = draft.environments[env];
    startAttempt('test');
    if (!params) {
      setNotice({ tone: 'error', text: `${nameOf(env)} has no parameters to test: add them.` });
      return;
    }
    if (refuse(environmentProblems(env, params, kinds[env]))) return;
    const paramNames = paramNamesOf(params);
    if (paramNames.length > 0 && !given) {
      setAskParams(paramNames);
      return;
    }
    const callParams = Object.fromEntries(paramNames.map((n) => [n, given?.[n] ?? '']));
    // unchanged since the last save: the saved connection is tested, else the form as a draft
    const saved = (JSON.parse(baseline) as ConnectionInput).environments?.[env];
    const savedId =
      current && JSON.stringify(saved) === JSON.stringify(body.environments?.[env])
        ? current.id
        : undefined;
    const nameIsValid = !nameProblem(draft.name);
    setBusy('test');
    try {
      const result = await testConnection({
        environment: env,
        savedId,
        body,
        nameIsValid,
        params: callParams,
      });
      setTest({ result, environment: env, draft: !savedId });
      setAttempted(null);
    } catch (error) {
      if (!adoptRefusal(error, draftForTest(body, env, nameIsValid), 'connection.')) {
        setNotice({ tone: 'error', text: `Test Connection failed: ${errorText(error)}` });
      }
    } finally {
      setBusy(null);
    }
  }

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
    setReported(extra.map((p) => ({ ...p, at: valueAt(body, p.path) })));
    if (refuse([...extra, ...draftProblems(draft, kinds)])) return;
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
        setConflict(outcome.conflict);
        break;
      case 'invalid':
        adoptRefusal(outcome.error, sent);
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
      <form className="page editor" noValidate onSubmit={submit} aria-labelledby="editor-title">
        <EditorHead
          current={current}
          busy={busy}
          readOnly={readOnly}
          dirty={dirty}
          environmentName={nameOf(selected)}
          running={current?.deployments?.[selected]?.revision}
          needsAdmin={production && !isAdmin}
          needsApproval={production && draft.critical}
          onTest={() => void runTest()}
          onDeploy={() => void save(true)}
          testButtonRef={testButton}
          deployButtonRef={deployButton}
        />
        {readOnly && (
          <p className="banner info">
            You can look but not change: your role is viewer. An editor or an admin changes
            connections.
          </p>
        )}
        <ProblemSummary
          title={`Not ${attempted === 'test' ? 'tested' : 'saved'}: fix what is marked.`}
          items={problems.summary}
          onReveal={reveal}
        />
        {conflict && (
          <ConflictAlert
            conflict={conflict}
            onLoadTheirs={() => void reload()}
            onSaveOver={() => {
              if (current) void save(false, { ...current, revision: conflict.theirs });
            }}
          />
        )}
        <SaveStatus
          notice={notice}
          warnings={warnings}
          spokenTest={
            test &&
            `Test Connection in ${nameOf(test.environment)}: ${
              test.result.outcome === 'OK' ? 'works' : `failed, ${test.result.outcome}`
            }`
          }
        />
        {askParams && (
          <TestParamsDialog
            names={askParams}
            values={testParams}
            environmentName={nameOf(selected)}
            onClose={() => setAskParams(null)}
            onRun={(values) => {
              setTestParams({ ...testParams, ...values });
              setAskParams(null);
              void runTest(values);
            }}
          />
        )}
        {test && (
          <TestResultPanel
            result={test.result}
            environmentName={nameOf(test.environment)}
            draft={test.draft}
          />
        )}
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
