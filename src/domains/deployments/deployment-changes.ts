/** Hears the id of a connection whose resolved deployment may have changed. */
export type DeploymentChangeListener = (connectionId: string) => void;

/**
 * Listeners told after a change commits that can change what `getDeployed` answers for a
 * connection: deploy, undeploy, enable, disable, delete, and a rename, move or create (what a
 * name resolves to). The dispatch engine drops what it resolved and drains the pools of
 * revisions no longer deployed. In-process only: other processes of a PostgreSQL cluster need
 * LISTEN/NOTIFY on top of this. A listener that throws cannot turn a committed change into an
 * error answer.
 */
export function createDeploymentChanges() {
  const listeners = new Set<DeploymentChangeListener>();
  return {
    /** Calls `listener` after every such change; answers the function that stops it. */
    onChange(listener: DeploymentChangeListener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(connectionId: string): void {
      for (const listener of listeners) {
        try {
          listener(connectionId);
        } catch (error) {
          process.emitWarning(
            `a deployment change listener failed: ${(error as Error).message}`,
            'HooklineChangeListener',
          );
        }
      }
    },
  };
}

export type DeploymentChanges = ReturnType<typeof createDeploymentChanges>;
