import { billingApi, type BillingSummary, type PaidPlan } from '../../api/billing.ts';
import type { Org } from '../../api/types.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { can, Outcome, useSettingsAction } from './OrgSettingsLayout.tsx';
import '../../styles/billing.css';

const PLAN_NAMES = { free: 'Free', team: 'Team', business: 'Business' } as const;

function renewal(summary: BillingSummary): string | undefined {
  if (!summary.renewsAt) return undefined;
  const date = new Date(summary.renewsAt).toLocaleDateString();
  return summary.cancelAtPeriodEnd ? `Ends on ${date}` : `Renews on ${date}`;
}

/** Where Stripe Checkout sent the browser back to (`/org?billing=success|cancelled`). */
function returnNotice(): string | undefined {
  const back = new URLSearchParams(window.location.search).get('billing');
  if (back === 'success')
    return 'Thank you. The plan changes as soon as Stripe confirms the payment (usually within seconds); reload to see it.';
  if (back === 'cancelled') return 'Checkout was cancelled; nothing was charged.';
  return undefined;
}

function Details({ org, summary }: { org: Org; summary: BillingSummary }) {
  const { busy, error, notice, run } = useSettingsAction();
  const go = (key: string, task: () => Promise<{ url: string }>) =>
    void run(key, async () => {
      const { url } = await task();
      window.location.assign(url);
      return 'Opening Stripe…';
    });
  const upgrade = (plan: PaidPlan) => go(`checkout-${plan}`, () => billingApi.checkout(org.id, plan));
  const writable = can(org, 'billing:write');
  const subscribed =
    summary.status === 'active' || summary.status === 'trialing' || summary.status === 'past_due';
  const ends = renewal(summary);
  const back = returnNotice();
  return (
    <>
      <p>
        Plan: <strong className="billing-plan">{PLAN_NAMES[summary.plan]}</strong>
        {summary.status !== 'none' && (
          <span className="hint"> (subscription {summary.status.replace('_', ' ')})</span>
        )}
      </p>
      {ends && <p className="hint">{ends}.</p>}
      {summary.status === 'past_due' && (
        <p className="billing-warning">
          The last payment failed; Stripe retries it. Update the payment method.
        </p>
      )}
      {back && (
        <p className="billing-return" role="status">
          {back}
        </p>
      )}
      {writable ? (
        <div className="actions">
          {!subscribed &&
            summary.plansOffered.map((plan) => (
              <button
                key={plan}
                type="button"
                className="button primary"
                disabled={busy}
                onClick={() => upgrade(plan)}
              >
                Upgrade to {PLAN_NAMES[plan]}
              </button>
            ))}
          {summary.hasBillingAccount && (
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => go('portal', () => billingApi.portal(org.id))}
            >
              Manage billing
            </button>
          )}
        </div>
      ) : (
        <p className="hint">Owners change the plan and the payment method.</p>
      )}
      <p className="hint">Payments are handled by Stripe; card data never reaches this service.</p>
      <Outcome error={error} notice={notice} />
    </>
  );
}

/** The Billing card of /org: plan, Stripe Checkout and the customer portal (docs/billing.md). */
export function BillingCard({ org }: { org: Org }) {
  const summary = useAsync(() => billingApi.get(org.id), [org.id]);
  return (
    <section className="card" aria-labelledby="org-billing-heading" data-testid="billing-card">
      <h2 id="org-billing-heading">Billing</h2>
      {summary.status === 'loading' && <Loading label="Loading billing…" />}
      {summary.status === 'error' && <ErrorState error={summary.error} onRetry={summary.reload} />}
      {summary.status === 'done' &&
        (summary.data.enabled ? (
          <Details org={org} summary={summary.data} />
        ) : (
          <p className="hint">
            Billing is not enabled on this instance: every organisation uses the free plan and its limits.
          </p>
        ))}
    </section>
  );
}
