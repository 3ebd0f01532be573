/** Variables: a named value per environment, referenced as `{{var.NAME}}`. */
export {
  /**
   * Creates the variable service: list, get, create, replace (PUT), patch, setValue,
   * removeValue, usages, remove (refused with VARIABLE_IN_USE while used), explainRefusal;
   * for the dispatch engine variableValue, onChange, changeVersion and invalidate. Every
   * change is one transaction with its audit record.
   */
  createVariableService,
  type VariableService,
  type VariableServiceDeps,
} from './variable.service.ts';
export {
  /**
   * The values of several variables by name, in one query (name key → environment id →
   * value): what a deploy pins, and what the connection answer compares the pin with.
   */
  readValuesByName,
} from './variable.repo.ts';
