// Leaving with unsaved changes asks first: closing or reloading the tab or going to another site
// (beforeunload), and — through <RouterBlocker>, as the console runs on a data router
// (createBrowserRouter in main.tsx) — a link inside the console, Back and navigate().
import { useContext, useEffect, useRef } from 'react';
import { UNSAFE_DataRouterContext, useBlocker } from 'react-router';

export const leaveQuestion = 'Leave without saving? Your changes to this connection are lost.';

export function useLeaveGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // older browsers show the dialog only when returnValue is set
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [dirty]);
}

/**
 * Back, Forward and navigate() under a data router; renders nothing without one. A navigation
 * whose state says `afterSave: true` passes: it is the form moving to what it just saved (the
 * render that knows the form is clean has not happened yet when it navigates).
 */
export function RouterBlocker({ dirty }: { dirty: boolean }) {
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  return dataRouter ? <DataRouterBlocker dirty={dirty} /> : null;
}

function DataRouterBlocker({ dirty }: { dirty: boolean }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty &&
      currentLocation.pathname !== nextLocation.pathname &&
      !(nextLocation.state as { afterSave?: boolean } | null)?.afterSave,
  );
  // one question per blocked navigation: a render while the dialog is open (a query refetched
  // when the window regains focus) must not ask again before reset() has landed
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (blocker.state !== 'blocked') {
      asked.current = null;
      return;
    }
    if (asked.current === blocker.location.key) return;
    asked.current = blocker.location.key;
    if (window.confirm(leaveQuestion)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  return null;
}
