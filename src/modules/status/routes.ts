import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { listIncidents } from './incidents-repo.ts';
import {
  Incident,
  IncidentList,
  NewIncident,
  NewIncidentUpdate,
  StatusDocument,
  type StatusDocumentJson,
} from './schema.ts';
import { createIncident, statusDocument, updateIncident } from './service.ts';

/** /status.json is read by every visitor of /status; the probe history changes once a minute. */
const CACHE_MS = 15_000;

/**
 * The public status data and the staff incident API. Incidents are posted by staff holding
 * `staff:security` (admin and security roles, src/modules/auth/permissions.ts) after MFA step-up;
 * every change is in the audit chain.
 */
const statusRoutes: RouteModule = async (app, { db, config }) => {
  let cached: { at: number; doc: StatusDocumentJson } | undefined;
  const invalidate = () => {
    cached = undefined;
  };

  app.get(
    '/status.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['status'],
        summary: 'Components with their state and 90-day uptime, incidents, backup facts',
        response: { 200: StatusDocument, ...errorResponses },
      },
    },
    async (_request, reply) => {
      if (!cached || Date.now() - cached.at > CACHE_MS)
        cached = { at: Date.now(), doc: await statusDocument(db, config) };
      reply.header('cache-control', 'public, max-age=15');
      return cached.doc;
    },
  );

  const staff = { access: requirePermission('staff:security') };
  const actorOf = (request: Parameters<typeof currentSession>[0]) => {
    const { user } = currentSession(request);
    return { id: user.id, email: user.email, ip: request.ip };
  };

  app.get(
    '/api/v1/admin/incidents',
    {
      config: staff,
      schema: {
        tags: ['admin'],
        summary: 'Every incident, open ones first',
        response: { 200: IncidentList, ...errorResponses },
      },
    },
    async () => ({ incidents: await listIncidents(db) }),
  );

  app.post(
    '/api/v1/admin/incidents',
    {
      config: staff,
      schema: {
        tags: ['admin'],
        summary: 'Post an incident on the status page, with its first update',
        body: NewIncident,
        response: { 201: Incident, ...errorResponses },
      },
    },
    async (request, reply) => {
      const incident = await createIncident(db, actorOf(request), request.body);
      invalidate();
      return reply.status(201).send(incident);
    },
  );

  app.post(
    '/api/v1/admin/incidents/:incidentId/updates',
    {
      config: staff,
      schema: {
        tags: ['admin'],
        summary: 'Add an update to an incident; its status becomes the incident status',
        params: Type.Object({ incidentId: Type.String({ format: 'uuid' }) }),
        body: NewIncidentUpdate,
        response: { 201: Incident, ...errorResponses },
      },
    },
    async (request, reply) => {
      const incident = await updateIncident(db, actorOf(request), request.params.incidentId, request.body);
      invalidate();
      return reply.status(201).send(incident);
    },
  );
};

export default statusRoutes;
