/**
 * Valid connection bodies for API tests: a rule test starts from one of these and changes the
 * one thing the rule is about, so the answer can only be about that thing.
 */

type Body = Record<string, unknown>;

let sequence = 0;

/** A connection name no other call in this process has made: `Hook_7`, `Shared_8`. */
export function uniqueName(prefix = 'Hook'): string {
  sequence += 1;
  return `${prefix}_${sequence}`;
}

/**
 * Valid parameters for one environment: POST over https, everything else defaulted.
 * A key set to `undefined` is left out of the JSON body (to test a missing field).
 */
export function validEnvironment(overrides: Body = {}): Body {
  return { method: 'POST', url: 'https://hooks.example.com/events', ...overrides };
}

/**
 * A valid ConnectionIn body: a unique name in the default project with parameters for
 * `production`. `overrides` replace top-level fields (`name`, `project`, `environments`, …);
 * `undefined` leaves a field out.
 */
export function validConnection(overrides: Body = {}): Body {
  return {
    name: uniqueName(),
    description: 'connection rule test',
    environments: { production: validEnvironment() },
    ...overrides,
  };
}

/** A valid body whose production parameters are `validEnvironment(params)`. */
export function withProduction(params: Body, overrides: Body = {}): Body {
  return validConnection({ environments: { production: validEnvironment(params) }, ...overrides });
}
