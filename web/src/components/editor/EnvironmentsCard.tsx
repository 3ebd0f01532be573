// "Parameters per environment": a tab per environment (which have parameters, what each runs,
// how many problems), and the selected environment's panel.
import type { Connection } from '../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../src/contracts/environments.ts';
import type { EnvironmentDraft } from './draft.ts';
import { EnvironmentPanel } from './EnvironmentPanel.tsx';
import type { EnvironmentSection } from './field-paths.ts';
import { Tabs } from './Tabs.tsx';

export function EnvironmentsCard({
  environments,
  params,
  deployments,
  selected,
  onSelect,
  problemCount,
  onChange,
  section,
  onSection,
  focusField,
  readOnly,
}: {
  environments: Environment[];
  /** the draft's parameters by environment id */
  params: Record<string, EnvironmentDraft>;
  deployments: Connection['deployments'];
  selected: string;
  onSelect(id: string): void;
  problemCount(id: string): number;
  onChange(id: string, next: EnvironmentDraft | undefined): void;
  section: EnvironmentSection;
  onSection(section: EnvironmentSection): void;
  focusField(path: string): void;
  readOnly: boolean;
}) {
  const environment = environments.find((e) => e.id === selected);
  return (
    <section className="card ed-card ed-environments" aria-labelledby="environments-title">
      <div className="ed-card-head">
        <h2 id="environments-title">Parameters per environment</h2>
        <p className="hint">
          Each environment has its own method, URL, headers and settings; the runtime uses only what
          is deployed there.
        </p>
      </div>
      <Tabs
        label="Environments"
        idPrefix="env-tab"
        panelId="env-panel"
        className="ed-env-tabs"
        selected={selected}
        onSelect={onSelect}
        items={environments.map((e) => {
          const has = params[e.id] !== undefined;
          const deployed = deployments?.[e.id]?.revision;
          const count = problemCount(e.id);
          return {
            id: e.id,
            label: (
              <>
                <span className="ed-tab-name">
                  <span className={`dot${has ? ' ok' : ''}`} aria-hidden="true" />
                  {e.name}
                </span>
                <span className="ed-tab-state">
                  {!has
                    ? 'no parameters'
                    : deployed !== undefined
                      ? `runs r${deployed}`
                      : 'not deployed'}
                  {count > 0 && (
                    <span className="ed-tab-problems">
                      {' · '}
                      {count} problem{count === 1 ? '' : 's'}
                    </span>
                  )}
                </span>
              </>
            ),
          };
        })}
      />
      <div
        className="ed-env-panel"
        role="tabpanel"
        id="env-panel"
        tabIndex={-1}
        aria-labelledby={`env-tab-${selected}`}
      >
        {environment && (
          <EnvironmentPanel
            key={selected}
            environment={environment}
            environments={environments}
            params={params[selected]}
            all={params}
            onChange={(next) => onChange(selected, next)}
            section={section}
            onSection={onSection}
            focusField={focusField}
            readOnly={readOnly}
          />
        )}
      </div>
    </section>
  );
}
