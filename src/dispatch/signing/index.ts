/** Request signing of the outbound runtime (DESIGN.md §1 Connection `signing`, §2 step 2). */
export {
  /** The signer of an environment's signing settings (null for `none`); key decoded once. */
  createSigner,
  /** A new standard-webhooks message id (`msg_…`), one per call, kept across attempts. */
  createMessageId,
  type SignInput,
  type Signer,
  type SigningSettings,
} from './create-signer.ts';
export {
  /** Decodes `whsec_…` into its key (throws TEMPLATE_UNRESOLVED naming the secret). */
  decodeStandardWebhooksSecret,
  minStandardWebhooksKeyBytes,
} from './standard-webhooks.ts';
