import type { ResolvedConfig } from '../../config/load.ts';
import { orgRoles } from '../auth/permissions.ts';
import type { Fact, FactStatus, Section } from './schema.ts';

export const fact = (label: string, value: string, status: FactStatus = 'live'): Fact => ({
  label,
  value,
  status,
});

export function accessSection(config: ResolvedConfig): Section {
  return {
    id: 'access',
    title: 'Access management',
    facts: [
      fact(
        'Sign-in',
        'Passwordless: a single-use code or link mailed to you, bound to the browser that asked for it.',
      ),
      fact(
        'MFA',
        'Authenticator apps (TOTP) with recovery codes, and passkeys. Staff permissions require a recent second-factor verification.',
      ),
      fact(
        'Least privilege',
        `Role-based access from one permission matrix; organisation roles: ${orgRoles.join(', ')}. Deny by default.`,
      ),
      fact(
        'Staff sessions',
        `End after ${config.staffSessionIdleMinutes} minutes idle or ${config.staffSessionAbsoluteHours} hours in total.`,
      ),
      fact(
        'Access reviews and offboarding',
        '`vioscan admin access-review` lists every staff grant for review; `vioscan admin offboard` revokes roles, sessions and tokens at once.',
      ),
    ],
  };
}

export function operationsSection(config: ResolvedConfig): Section {
  return {
    id: 'operations',
    title: 'Security operations',
    facts: [
      fact(
        'Request validation',
        'Every API route declares a schema; unknown fields, wrong types and non-JSON bodies are refused.',
      ),
      fact(
        'Sessions',
        'Server-side sessions in __Host- cookies; CSRF tokens and Fetch Metadata checks on every change.',
      ),
      fact(
        'Rate limiting',
        `${config.rateLimitMax} requests per ${config.rateLimitWindowS} s per client by default, stricter on sign-in and scans; counted in the database across processes.`,
      ),
      fact(
        'Output encoding',
        'A strict Content-Security-Policy without unsafe-inline or unsafe-eval; all scan evidence is escaped wherever it is shown.',
      ),
      fact(
        'Outbound requests',
        config.allowPrivateTargets
          ? 'Private and loopback scan targets are ALLOWED on this instance (ALLOW_PRIVATE_TARGETS).'
          : 'Scans refuse private, loopback and cloud-metadata addresses, re-checked on every redirect.',
        config.allowPrivateTargets ? 'warning' : 'live',
      ),
    ],
  };
}

export function monitoringSection(config: ResolvedConfig): Section {
  return {
    id: 'monitoring',
    title: 'Monitoring and observability',
    facts: [
      fact(
        'Application logging',
        `Structured JSON logs at level "${config.logLevel}", with request ids; cookies, tokens and emails redacted.`,
      ),
      fact(
        'Security events',
        'Sign-in attempts, session changes and refused cross-site requests are recorded as security events.',
      ),
      fact(
        'Service health',
        'Every minute the monitor probes the web tier over HTTP, the database, job queue, workers, backups and storage; the status page shows each with 90 days of uptime ("no data" where nothing was probed).',
      ),
      fact(
        'Outside-in monitoring',
        config.heartbeatUrl
          ? 'Each monitor run pings an outside heartbeat check, which alerts when the pings stop (the whole deployment down).'
          : 'No outside heartbeat check is configured (HEARTBEAT_URL).',
        config.heartbeatUrl ? 'live' : 'off',
      ),
      fact(
        'Alerting',
        config.alertWebhookUrl
          ? 'Alerts are sent to the configured webhook.'
          : 'No alert webhook is configured.',
        config.alertWebhookUrl ? 'live' : 'off',
      ),
      fact(
        'Metrics',
        config.metricsToken
          ? 'Prometheus metrics are exposed to holders of the metrics token.'
          : 'Prometheus metrics are not exposed on this instance.',
        config.metricsToken ? 'live' : 'off',
      ),
    ],
  };
}

export function complianceSection(): Section {
  return {
    id: 'compliance',
    title: 'Compliance framework',
    facts: [
      fact(
        'Consent',
        'The terms and privacy notice are accepted at first sign-in and that acceptance is recorded; optional consents (product email) are given and withdrawn under Account settings → Privacy, each change kept with its time and version.',
      ),
      fact(
        'Audit log',
        'Security-relevant actions are written to a hash-chained, tamper-evident audit log; `vioscan audit verify` checks the chain.',
      ),
      fact(
        'Data export and deletion',
        'Self-service from account settings: a data export by expiring link, and account deletion.',
      ),
    ],
  };
}
