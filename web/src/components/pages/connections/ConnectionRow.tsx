import { Link } from 'react-router';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { Menu, type MenuItem } from '../../Menu.tsx';
import { RedeployNote } from '../RedeployNote.tsx';
import type { Health } from './listParams.ts';

export interface HealthRow {
  connectionId: string;
  environment: string;
  health: Health;
  lastOutcome: string;
  lastAt: string;
  recentTries: number;
  recentFailures: number;
}

const healthText: Record<Health, string> = {
  ok: 'healthy',
  degraded: 'some calls failed',
  failing: 'failing',
};

/**
 * One connection: a checkbox for the bulk bar, its name linking to its overview, each
 * environment's deployed revision with a health dot, its state and its ⋮ menu. On a phone the
 * row is drawn as a card (connections.css): every cell carries its column's name.
 */
export function ConnectionRow({
  connection,
  environments,
  healthOf,
  selected,
  onSelect,
  menu,
}: {
  connection: Connection;
  environments: Environment[];
  healthOf: Map<string, HealthRow>;
  selected: boolean;
  onSelect(selected: boolean): void;
  menu: MenuItem[];
}) {
  return (
    <tr data-connection={connection.name} className={selected ? 'selected' : undefined}>
      <td className="pick">
        <input
          type="checkbox"
          checked={selected}
          aria-label={`Select ${connection.name}`}
          onChange={(event) => onSelect(event.target.checked)}
        />
      </td>
      <th scope="row" className="name-cell">
        <Link to={`/connections/${connection.id}`}>{connection.name}</Link>
        {connection.critical && <span className="badge critical">critical</span>}
        {connection.description && <span className="row-note">{connection.description}</span>}
      </th>
      <td data-label="Project">
        {connection.global ? <span className="badge">Global</span> : connection.project}
      </td>
      {environments.map(({ id, name }) => {
        const deployed = connection.deployments?.[id];
        const configured = id in connection.environments;
        const state = healthOf.get(`${connection.id} ${id}`);
        const said = state
          ? `${healthText[state.health]}: ${state.recentFailures} of the last ${state.recentTries} calls failed, the last ${state.lastOutcome}`
          : 'not called since the server started';
        return (
          <td key={id} className="env-col" data-label={name}>
            {deployed ? (
              <>
                <span
                  className="deployed"
                  title={`revision ${deployed.revision} deployed by ${deployed.deployedBy}; ${said}`}
                >
                  <span
                    className={`dot ${state ? state.health : 'idle'}`}
                    role="img"
                    aria-label={said}
                    data-health={state?.health ?? 'idle'}
                  />
                  r{deployed.revision}
                </span>
                <RedeployNote variables={deployed.variablesChanged} />
              </>
            ) : configured ? (
              <span className="muted" title="configured, not deployed">
                not deployed
              </span>
            ) : (
              <span className="muted" aria-label="no parameters">
                —
              </span>
            )}
          </td>
        );
      })}
      <td data-label="State">
        {connection.enabled ? (
          <span className="state on">Enabled</span>
        ) : (
          <span className="state off">Disabled</span>
        )}
      </td>
      <td className="actions">
        <Menu label={`Actions for ${connection.name}`} items={menu} />
      </td>
    </tr>
  );
}
