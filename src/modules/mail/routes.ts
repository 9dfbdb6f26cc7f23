import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { escapeHtml, htmlPage } from '../auth/pages.ts';
import { readOutbox } from './mailer.ts';

/** Dev-only page listing the local outbox; not registered at all when NODE_ENV=production. */
const mailRoutes: RouteModule = async (app, { config }) => {
  if (config.nodeEnv === 'production') return;
  app.get(
    '/dev/outbox',
    {
      config: { access: 'public' },
      schema: {
        tags: ['dev'],
        summary: 'Local outbox (development only)',
        produces: ['text/html'],
        response: { 200: Type.String() },
        hide: true,
      },
    },
    async (_request, reply) => {
      const mails = readOutbox(config);
      const items = mails.map(
        (m) =>
          `<h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to)} · ${escapeHtml(m.at)}</p><pre>${escapeHtml(m.text)}</pre>`,
      );
      const body = `<h1>Outbox (development only)</h1>${config.smtpUrl ? '<p>SMTP_URL is set: mail goes there, not here.</p>' : ''}${items.join('\n') || '<p>No mail yet.</p>'}`;
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(htmlPage('Outbox · VIOscan', body, reply.cspNonce.style));
    },
  );
};

export default mailRoutes;
