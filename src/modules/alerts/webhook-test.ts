import { randomUUID } from 'node:crypto';
import { postWebhook, sign } from './webhook.ts';

/**
 * One signed `test` event, sent now and not retried or logged as a delivery: the receiver's
 * answer goes straight back to whoever pressed "Send test", so they can fix their endpoint.
 */
export async function sendTestEvent(
  hook: { id: string; url: string; secret: string },
  orgId: string,
  allowPrivate: boolean,
): Promise<{ delivered: boolean; responseStatus: number | null; message: string }> {
  const id = randomUUID();
  const body = JSON.stringify({
    id,
    type: 'test',
    orgId,
    createdAt: new Date().toISOString(),
    data: { message: 'A test event from VIOscan: your webhook is reachable and the signature verifies.' },
  });
  const t = Math.floor(Date.now() / 1000);
  const result = await postWebhook(
    hook.url,
    body,
    {
      'x-vioscan-event': 'test',
      'x-vioscan-delivery': id,
      'x-vioscan-signature': `t=${t},v1=${sign(hook.secret, t, body)}`,
    },
    { allowPrivate },
  );
  if ('error' in result)
    return {
      delivered: false,
      responseStatus: null,
      message:
        result.error === 'target_not_allowed'
          ? 'The address now resolves to a private or internal address, which VIOscan does not call.'
          : `The receiver could not be reached (${result.error}).`,
    };
  const delivered = result.status >= 200 && result.status < 300;
  return {
    delivered,
    responseStatus: result.status,
    message: delivered
      ? `Delivered: the receiver answered HTTP ${result.status}.`
      : `Not delivered: the receiver answered HTTP ${result.status}; a 2xx answer is expected.`,
  };
}
