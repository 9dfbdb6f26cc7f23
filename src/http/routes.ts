import authRoutes from '../modules/auth/routes.ts';
import homeRoutes from '../modules/home/routes.ts';
import mailRoutes from '../modules/mail/routes.ts';
import systemRoutes from '../modules/system/routes.ts';
import type { RouteModule } from './module.ts';

/** Every capability's routes, registered by buildApp in this order. A new module adds one line. */
export const routeModules: RouteModule[] = [systemRoutes, homeRoutes, authRoutes, mailRoutes];
