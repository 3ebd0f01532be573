/** Variables: a named value per environment, referenced as `{{var.NAME}}`. */
export {
  /**
   * Creates the variable service: list, get, create, replace (PUT), patch, setValue,
   * removeValue, remove, explainRefusal; for the dispatch engine variableValue, onChange,
   * changeVersion and invalidate. Every change is one transaction with its audit record.
   */
  createVariableService,
  type VariableService,
  type VariableServiceDeps,
} from './variable.service.ts';
