import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { inventoryView, retentionTable } from './inventory.ts';
import { lastPurge } from './purge.ts';
import { Inventory, RetentionTable } from './schema.ts';

/** The data inventory: public retention table and the staff view with storage and the last purge. */
const privacyRoutes: RouteModule = async (app, { config, db }) => {
  app.get(
    '/api/v1/privacy/retention',
    {
      config: { access: 'public' },
      schema: {
        tags: ['privacy'],
        summary: 'What we keep, why and for how long',
        response: { 200: RetentionTable, ...errorResponses },
      },
    },
    async () => ({ classes: retentionTable(config) }),
  );

  app.get(
    '/api/v1/admin/privacy/inventory',
    {
      config: { access: requirePermission('staff:read') },
      schema: {
        tags: ['admin'],
        summary: 'Data inventory with tables, columns, purge rules and the last purge run',
        response: { 200: Inventory, ...errorResponses },
      },
    },
    async () => ({ classes: inventoryView(config), lastPurge: await lastPurge(db) }),
  );
};

export default privacyRoutes;
