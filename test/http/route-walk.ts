/**
 * The registered routes as the pen-test and header tests walk them: read from the app itself
 * (validation plugin's registeredRoutes, session plugin's routeAccess), so a new route is covered
 * the day it is added.
 */
import type { FastifyInstance } from 'fastify';
import type { Access } from '../../src/modules/auth/permissions.ts';

export interface WalkedRoute {
  method: string;
  /** The route pattern, `/api/v1/orgs/:orgId/sites/:siteId`. */
  url: string;
  access: Access;
  params: string[];
}

export function registeredRoutes(app: FastifyInstance): WalkedRoute[] {
  return app.registeredRoutes
    .map((entry) => {
      const [method, url] = entry.split(' ') as [string, string];
      const access = app.routeAccess.get(entry);
      return { method, url, access: access!, params: [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!) };
    })
    .filter((r) => r.access !== undefined && r.method !== 'HEAD' && !r.url.includes('*'));
}

export function isPublic(route: WalkedRoute): boolean {
  return route.access === 'public';
}

/** The route's URL with each parameter replaced by `values[name]` or `fallback`. */
export function fillParams(url: string, values: Record<string, string>, fallback: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? fallback));
}
