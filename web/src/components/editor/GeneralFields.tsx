// The connection as a whole: Enabled, Name, Description, Critical and (creating only) Project.
import type { Draft } from './draft.ts';
import { descriptionMaxLength } from './draft.ts';
import { FieldError, useFieldProps } from './Field.tsx';
import { NameField, type NameCheck } from './NameField.tsx';
import { useProjects } from './catalog.ts';

export function GeneralFields({
  draft,
  change,
  nameCheck,
  creating,
  readOnly,
}: {
  draft: Draft;
  change(patch: Partial<Draft>): void;
  nameCheck: NameCheck;
  creating: boolean;
  readOnly: boolean;
}) {
  const projects = useProjects(creating);
  const description = useFieldProps('description', 'description-count');
  const enabled = useFieldProps('enabled', 'enabled-hint');
  const critical = useFieldProps('critical', 'critical-hint');
  const project = useFieldProps('project', 'project-hint');
  const left = descriptionMaxLength - draft.description.length;
  const projectIds = projects.data?.items.map((p) => p.id) ?? [draft.project];
  if (!projectIds.includes(draft.project)) projectIds.unshift(draft.project);

  return (
    <section className="card ed-card ed-general" aria-labelledby="general-title">
      <h2 id="general-title" className="visually-hidden">
        General
      </h2>
      <div className="ed-general-main">
        <NameField
          value={draft.name}
          onChange={(name) => change({ name })}
          check={nameCheck}
          disabled={readOnly}
        />
        <div className="field">
          <label htmlFor={description.id}>Description</label>
          <textarea
            {...description}
            rows={2}
            value={draft.description}
            disabled={readOnly}
            placeholder="e.g. Prod log forwarding webhook"
            onChange={(event) => change({ description: event.target.value })}
          />
          <p
            id="description-count"
            className={`hint ed-counter${left < 0 ? ' over' : left < 100 ? ' near' : ''}`}
          >
            {draft.description.length} / {descriptionMaxLength}
            {left < 0 && ` — ${-left} too many`}
          </p>
          <FieldError path="description" />
        </div>
      </div>
      <div className="ed-general-side">
        <div className="ed-check">
          <input
            {...enabled}
            type="checkbox"
            role="switch"
            className="ed-switch"
            checked={draft.enabled}
            disabled={readOnly}
            onChange={(event) => change({ enabled: event.target.checked })}
          />
          <label htmlFor={enabled.id}>Enabled</label>
          <p className="hint" id="enabled-hint">
            {draft.enabled
              ? 'Active: the API, the CLI and the console can call it.'
              : 'Passive: the configuration is kept, every call fails with CONNECTION_DISABLED.'}
          </p>
        </div>
        <div className="ed-check">
          <input
            {...critical}
            type="checkbox"
            checked={draft.critical}
            disabled={readOnly}
            onChange={(event) => change({ critical: event.target.checked })}
          />
          <label htmlFor={critical.id}>Critical</label>
          <p className="hint" id="critical-hint">
            Deploys to production then wait for a second admin&apos;s approval.
          </p>
        </div>
        {creating ? (
          <div className="field">
            <label htmlFor={project.id}>Project</label>
            <select
              {...project}
              value={draft.project}
              disabled={readOnly}
              onChange={(event) => change({ project: event.target.value })}
            >
              {projectIds.map((id) => (
                <option key={id} value={id}>
                  {projects.data?.items.find((p) => p.id === id)?.name ?? id}
                </option>
              ))}
            </select>
            <p className="hint" id="project-hint">
              Where it lives; Move to Global (in the list) shares it with every project.
            </p>
            <FieldError path="project" />
          </div>
        ) : (
          <p className="ed-where">
            <span className="muted">Project</span>{' '}
            {draft.global ? (
              <span className="badge">Global</span>
            ) : (
              <strong>{draft.project}</strong>
            )}
          </p>
        )}
      </div>
    </section>
  );
}
