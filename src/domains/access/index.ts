/** Access: who may call the API. For now one admin token; users and roles come later. */
export {
  /** Creates the service that authenticates bearer tokens and seeds the admin token. */
  createAccessService,
  /** SHA-256 of a token, as the tokens table stores it. */
  hashToken,
  /** A fresh random API token (`hl_…`). */
  generateToken,
  bootstrapTokenName,
  type AccessService,
  type BootstrapResult,
} from './access.service.ts';
