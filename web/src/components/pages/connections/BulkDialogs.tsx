// The bulk bar's dialogs (Deploy: which environment; Delete: are you sure), loaded when one
// is first opened.
import { useState } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { Dialog } from '../../Dialog.tsx';
import { countOf } from './bulk.ts';

export interface BulkDialogsProps {
  kind: 'deploy' | 'delete';
  connections: Connection[];
  environments: Environment[];
  onClose(): void;
  onDeploy(environment: Environment): void;
  onDelete(): void;
}

export default function BulkDialogs(props: BulkDialogsProps) {
  return props.kind === 'deploy' ? <DeployDialog {...props} /> : <DeleteDialog {...props} />;
}

function Names({ connections, label }: { connections: Connection[]; label: string }) {
  return (
    <ul className="bulk-names" aria-label={label}>
      {connections.map((connection) => (
        <li key={connection.id}>{connection.name}</li>
      ))}
    </ul>
  );
}

/**
 * Deploys each chosen connection's latest revision. Where one has no parameters for the
 * environment it is refused, and where the two-person rule applies it waits for approval:
 * the report says which.
 */
function DeployDialog({ connections, environments, onClose, onDeploy }: BulkDialogsProps) {
  const [chosen, setChosen] = useState(environments[0]?.id ?? '');
  const environment = environments.find((e) => e.id === chosen);
  const lacking = connections.filter((c) => !(chosen in c.environments));
  const production = environment?.kind === 'production';
  return (
    <Dialog title={`Deploy ${countOf(connections.length)}`} onClose={onClose}>
      <Names connections={connections} label="Connections to deploy" />
      <div className="field">
        <label htmlFor="bulk-deploy-environment">Environment</label>
        <select
          id="bulk-deploy-environment"
          value={chosen}
          onChange={(event) => setChosen(event.target.value)}
        >
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
              {e.kind === 'production' ? ' (production)' : ''}
            </option>
          ))}
        </select>
      </div>
      <p>Each connection&apos;s latest revision is deployed and runs from then on.</p>
      {lacking.length > 0 && (
        <p className="banner warning">
          {lacking.map((c) => c.name).join(', ')} {lacking.length === 1 ? 'has' : 'have'} no
          parameters for {environment?.name ?? chosen}: {lacking.length === 1 ? 'it' : 'they'} will
          be refused.
        </p>
      )}
      {production && (
        <p className="banner warning">
          {environment.name} is a production environment: live traffic uses what you deploy.
          Critical connections wait for a second admin&apos;s approval.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={production ? 'button danger' : 'button primary'}
          disabled={!environment}
          onClick={() => environment && onDeploy(environment)}
        >
          Deploy to {environment?.name ?? '…'}
        </button>
      </div>
    </Dialog>
  );
}

function DeleteDialog({ connections, onClose, onDelete }: BulkDialogsProps) {
  const deployed = connections.filter((c) => Object.keys(c.deployments ?? {}).length > 0);
  return (
    <Dialog title={`Delete ${countOf(connections.length)}?`} onClose={onClose}>
      <Names connections={connections} label="Connections to delete" />
      {deployed.length > 0 && (
        <p className="banner warning">
          In use: {deployed.map((c) => c.name).join(', ')} {deployed.length === 1 ? 'is' : 'are'}{' '}
          deployed, and calls to {deployed.length === 1 ? 'it' : 'them'} would fail.
        </p>
      )}
      <p>
        Deleting removes their configuration, revisions and deployments. To stop them for now,
        Disable them instead; to keep a copy, Export them first. Any the server refuses (in use, or
        not yours to delete) are listed afterwards.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={onDelete}>
          Delete {countOf(connections.length)}
        </button>
      </div>
    </Dialog>
  );
}
