// Test Connection from the editor: the saved connection when the selected environment is
// unchanged since the last save, else the form as a draft; asks the `{{param.NAME}}` values
// the URL, headers and sample body use; sends the sample body (SampleBody.tsx) if there is one.
import { useState, type ReactNode } from 'react';
import type { Connection, ConnectionInput } from '../../../../src/contracts/connections.ts';
import type { EnvironmentKind } from '../../../../src/contracts/environments.ts';
import type { TestResult } from '../../../../src/contracts/invoke.ts';
import { errorText } from '../ErrorNote.tsx';
import { environmentProblems, nameProblem } from './checks.ts';
import { paramNamesIn, type Draft, type Problem } from './draft.ts';
import type { Busy } from './EditorHead.tsx';
import type { Notice } from './outcomes.tsx';
import { draftForTest, testConnection } from './requests.ts';
import { TestParamsDialog } from './TestParamsDialog.tsx';
import { TestResultPanel } from './TestResult.tsx';

interface ShownTest {
  result: TestResult;
  environment: string;
  /** the unsaved form was tested, not the saved connection */
  draft: boolean;
}

export function useTestRun(deps: {
  /** false when the user may not test (viewer) or something is running */
  idle: boolean;
  setBusy(busy: Busy): void;
  environment: string;
  environmentName(id: string): string;
  kinds: Record<string, EnvironmentKind | undefined>;
  draft: Draft;
  body: ConnectionInput;
  /** the body last saved, as JSON */
  baseline: string;
  current: Connection | undefined;
  /** clears what the last Save or Test said */
  start(): void;
  /** the test passed its checks and was answered */
  done(): void;
  refuse(found: Problem[]): boolean;
  adoptRefusal(error: unknown, sent: unknown, prefix: string): boolean;
  setNotice(notice: Notice): void;
}) {
  const [test, setTest] = useState<ShownTest | null>(null);
  // {{param.NAME}} values: asked for when the parameters or the sample body use some
  const [askParams, setAskParams] = useState<string[] | null>(null);
  const [testParams, setTestParams] = useState<Record<string, string>>({});
  const [sample, setSample] = useState('');
  const { environment: env, environmentName: nameOf, draft, body } = deps;

  async function run(given?: Record<string, string>) {
    if (!deps.idle) return;
    const params = draft.environments[env];
    deps.start();
    if (!params) {
      deps.setNotice({
        tone: 'error',
        text: `${nameOf(env)} has no parameters to test: add them.`,
      });
      return;
    }
    if (deps.refuse(environmentProblems(env, params, deps.kinds[env]))) return;
    const paramNames = paramNamesIn([params.url, ...params.headers.map((h) => h.value), sample]);
    if (paramNames.length > 0 && !given) {
      setAskParams(paramNames);
      return;
    }
    const callParams = Object.fromEntries(paramNames.map((n) => [n, given?.[n] ?? '']));
    // unchanged since the last save: the saved connection is tested, else the form as a draft
    const saved = (JSON.parse(deps.baseline) as ConnectionInput).environments?.[env];
    const savedId =
      deps.current && JSON.stringify(saved) === JSON.stringify(body.environments?.[env])
        ? deps.current.id
        : undefined;
    const nameIsValid = !nameProblem(draft.name);
    deps.setBusy('test');
    try {
      const result = await testConnection({
        environment: env,
        savedId,
        body,
        nameIsValid,
        params: callParams,
        sample,
      });
      setTest({ result, environment: env, draft: !savedId });
      deps.done();
    } catch (error) {
      if (!deps.adoptRefusal(error, draftForTest(body, env, nameIsValid), 'connection.')) {
        deps.setNotice({ tone: 'error', text: `Test Connection failed: ${errorText(error)}` });
      }
    } finally {
      deps.setBusy(null);
    }
  }

  const view: ReactNode = (
    <>
      {askParams && (
        <TestParamsDialog
          names={askParams}
          values={testParams}
          environmentName={nameOf(env)}
          onClose={() => setAskParams(null)}
          onRun={(values) => {
            setTestParams({ ...testParams, ...values });
            setAskParams(null);
            void run(values);
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
    </>
  );

  return {
    run,
    sample,
    setSample,
    /** the params dialog and the result panel */
    view,
    /** e.g. "Test Connection in Test: works" (the result panel itself is not a live region) */
    spoken:
      test &&
      `Test Connection in ${nameOf(test.environment)}: ${
        test.result.outcome === 'OK' ? 'works' : `failed, ${test.result.outcome}`
      }`,
  };
}
