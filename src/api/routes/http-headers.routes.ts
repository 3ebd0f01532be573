import { errorOut, listOf } from '../../contracts/common.ts';
import {
  headerNameParams,
  headerNameSuggestionOut,
  headerNameSuggestionQuery,
  headerValueSuggestionOut,
} from '../../contracts/http-headers.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['http-headers'];

export function registerHttpHeaderRoutes(app: ZodApp): void {
  const { httpHeaders } = app.services;

  app.get(
    '/api/v1/http-headers',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Suggest request header names starting with a prefix',
        querystring: headerNameSuggestionQuery,
        response: { 200: listOf(headerNameSuggestionOut), 400: errorOut },
      },
    },
    async (request) => ({ items: httpHeaders.suggestNames(request.query), next: null }),
  );

  app.get(
    '/api/v1/http-headers/:name/values',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Suggest typical values of a request header',
        params: headerNameParams,
        response: { 200: listOf(headerValueSuggestionOut), 400: errorOut },
      },
    },
    async (request) => ({ items: httpHeaders.suggestValues(request.params.name), next: null }),
  );
}
