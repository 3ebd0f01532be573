// STUB: replaced by the http-headers work.
import type { ZodApp } from '../create-app.ts';

export function registerHttpHeaderRoutes(_app: ZodApp): void {}
