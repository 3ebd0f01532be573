import { z } from 'zod';
import { outcomeCodes } from './outcome-codes.ts';

export { outcomeCodes, type FailureOutcomeCode, type OutcomeCode } from './outcome-codes.ts';

/** The outcome code as an API schema (an enum in the OpenAPI document). */
export const outcomeCode = z.enum(outcomeCodes).meta({ id: 'OutcomeCode' });
