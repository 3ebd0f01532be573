import type { OutcomeCode } from '../../contracts/outcomes.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** failures in a row (of the kinds that mean a sick target) that open the circuit */
  failureThreshold: number;
  /** how long it stays open before one probe is let through */
  openMs: number;
  /** the open time doubles after each failed probe, up to this */
  maxOpenMs: number;
}

export const defaultCircuitBreakerOptions: CircuitBreakerOptions = {
  failureThreshold: 5,
  openMs: 30_000,
  maxOpenMs: 10 * 60_000,
};

/**
 * Outcomes that say the target (or the way to it) is unwell: these count towards opening.
 * A 4xx, a refused credential or our own refusal (egress, templates) says nothing about its
 * health, and resets nothing either.
 */
const sickOutcomes = [
  'HTTP_5XX',
  'HTTP_429',
  'DNS_FAILED',
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'REQUEST_TIMEOUT',
  'TLS_FAILED',
  'CONNECTION_RESET',
] as const satisfies readonly OutcomeCode[];
type SickOutcome = (typeof sickOutcomes)[number];
const sickSet: ReadonlySet<OutcomeCode> = new Set(sickOutcomes);
const isSick = (outcome: OutcomeCode): outcome is SickOutcome => sickSet.has(outcome);

export type CircuitDecision =
  | { send: true; probe: boolean }
  /** not now: due again at `retryAtMs`, the attempt not spent */
  | { send: false; retryAtMs: number };

export type CircuitChange =
  /** opened by `outcome` (a sick one, never OK) for `openForMs` */
  | { key: string; state: 'open'; outcome: SickOutcome; openForMs: number }
  | { key: string; state: 'closed' };

interface Circuit {
  state: CircuitState;
  failures: number;
  openUntilMs: number;
  openForMs: number;
  probeInFlight: boolean;
  /** when it last opened, and by what (0 and null: never) */
  openedAtMs: number;
  openedBy: SickOutcome | null;
}

/** A circuit as the console explains it: its state, why it opened, when it tries again. */
export interface CircuitDescription {
  state: CircuitState;
  consecutiveFailures: number;
  failureThreshold: number;
  /** null: never opened */
  openedAtMs: number | null;
  /** the outcome that opened it; null while closed */
  openedBy: OutcomeCode | null;
  /** open: when one probe is let through; else null */
  retryAtMs: number | null;
  openForMs: number;
}

/**
 * One circuit per (connection, environment), in this process: after `failureThreshold` sick
 * outcomes in a row it opens and deliveries are deferred (their attempts not spent) until
 * `openMs` has passed; then one probe goes through (half-open). The probe's success closes
 * it; its failure opens it again for twice as long. `onChange` hears every open and close.
 */
export function createCircuitBreaker(
  options: Partial<CircuitBreakerOptions> = {},
  onChange?: (change: CircuitChange) => void,
) {
  const settings = { ...defaultCircuitBreakerOptions, ...options };
  const circuits = new Map<string, Circuit>();

  function circuitOf(key: string): Circuit {
    let circuit = circuits.get(key);
    if (!circuit) {
      circuit = {
        state: 'closed',
        failures: 0,
        openUntilMs: 0,
        openForMs: settings.openMs,
        probeInFlight: false,
        openedAtMs: 0,
        openedBy: null,
      };
      circuits.set(key, circuit);
    }
    return circuit;
  }

  function open(key: string, circuit: Circuit, nowMs: number, outcome: SickOutcome): void {
    circuit.state = 'open';
    circuit.openUntilMs = nowMs + circuit.openForMs;
    circuit.probeInFlight = false;
    circuit.openedAtMs = nowMs;
    circuit.openedBy = outcome;
    onChange?.({ key, state: 'open', outcome, openForMs: circuit.openForMs });
  }

  return {
    /** May a delivery of `key` be sent now? At most one probe while half-open. */
    decide(key: string, nowMs: number): CircuitDecision {
      const circuit = circuits.get(key);
      if (!circuit || circuit.state === 'closed') return { send: true, probe: false };
      if (circuit.state === 'open') {
        if (nowMs < circuit.openUntilMs) return { send: false, retryAtMs: circuit.openUntilMs };
        circuit.state = 'half_open';
      }
      if (circuit.probeInFlight) {
        // the probe decides; until then the rest wait a little and ask again
        return { send: false, retryAtMs: nowMs + Math.min(1000, settings.openMs) };
      }
      circuit.probeInFlight = true;
      return { send: true, probe: true };
    },

    /** What an attempt sent under `decide`'s yes ended with. */
    record(key: string, outcome: OutcomeCode, probe: boolean, nowMs: number): void {
      const circuit = circuitOf(key);
      if (probe || circuit.state === 'half_open') {
        if (isSick(outcome)) {
          circuit.openForMs = Math.min(circuit.openForMs * 2, settings.maxOpenMs);
          open(key, circuit, nowMs, outcome);
          return;
        }
        circuit.state = 'closed';
        circuit.failures = 0;
        circuit.openForMs = settings.openMs;
        circuit.probeInFlight = false;
        onChange?.({ key, state: 'closed' });
        return;
      }
      if (circuit.state !== 'closed') return;
      if (!isSick(outcome)) {
        if (outcome === 'OK') circuit.failures = 0;
        return;
      }
      circuit.failures += 1;
      if (circuit.failures >= settings.failureThreshold) open(key, circuit, nowMs, outcome);
    },

    /** A probe that ended without an outcome (the worker stopped, the target vanished). */
    abandonProbe(key: string): void {
      const circuit = circuits.get(key);
      if (circuit) circuit.probeInFlight = false;
    },

    state(key: string): CircuitState {
      return circuits.get(key)?.state ?? 'closed';
    },

    /** The circuit of `key` explained (a closed one for a key never seen). */
    describe(key: string): CircuitDescription {
      const circuit = circuits.get(key);
      const state = circuit?.state ?? 'closed';
      return {
        state,
        consecutiveFailures: circuit?.failures ?? 0,
        failureThreshold: settings.failureThreshold,
        openedAtMs: circuit && circuit.openedAtMs > 0 ? circuit.openedAtMs : null,
        openedBy: state === 'closed' ? null : (circuit?.openedBy ?? null),
        retryAtMs: state === 'open' && circuit ? circuit.openUntilMs : null,
        openForMs: circuit?.openForMs ?? settings.openMs,
      };
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
