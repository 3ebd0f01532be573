/** HTTP headers: the predefined header names and values behind the editor's auto-completion. */
export {
  /** Creates the suggestion service (`suggestNames`, `suggestValues`) over the built-in catalog. */
  createHttpHeaderService,
  type HttpHeaderService,
} from './http-header.service.ts';
/** The built-in catalog: request headers with a description and their typical values. */
export { headerCatalog, type HeaderCatalogEntry } from './header-catalog.ts';
