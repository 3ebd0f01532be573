/**
 * A secret's value has at least this many characters: answers are masked for every secret
 * value a call uses, and a shorter one would mask ordinary text (`1234` in every date). The
 * engine refuses a shorter env, file or older stored value at call time.
 * No zod here: the console imports it (side-effect free).
 */
export const minSecretValueChars = 8;
