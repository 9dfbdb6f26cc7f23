import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin.ts';
import type { SupportMessage } from '../../api/admin-types.ts';
import { Empty, Loading } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { OpenButton, QueueNotice, useQueue } from './Queue.tsx';
import { ActionError, LoadError, formatTime } from './StepUp.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

/** The account by its current email; a deleted account has none. */
const sender = (m: SupportMessage) => m.userEmail ?? 'deleted account';

function Thread({
  messages,
  latest,
  onReplied,
}: {
  messages: SupportMessage[];
  latest: SupportMessage;
  onReplied: () => void;
}) {
  const [body, setBody] = useState('');
  const { busy, error, setError, run } = useAction();
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    void run(async () => {
      await adminApi.supportReply(latest.id, body);
      setBody('');
      onReplied();
    });
  };
  return (
    <section className="card admin-detail" aria-labelledby="thread-title">
      <h3 id="thread-title">{messages[0]?.subject ?? latest.subject}</h3>
      <ol className="admin-thread">
        {messages.map((m) => (
          <li
            key={m.id}
            className={`admin-message admin-message-${m.direction}`}
            data-testid="support-message"
          >
            <p className="hint">
              {m.direction === 'in' ? `From ${sender(m)}` : 'Reply from support'} · {formatTime(m.createdAt)}
              {m.site ? ` · site ${m.site.name} (${m.site.url})` : m.siteId && ` · site ${m.siteId}`}
              {m.scan
                ? ` · scan of ${m.scan.target}, ${formatTime(m.scan.createdAt)} (${m.scan.status})`
                : m.scanId && ` · scan ${m.scanId}`}
            </p>
            <p className="admin-message-body">{m.body}</p>
          </li>
        ))}
      </ol>
      {latest.userId ? (
        <form className="form" onSubmit={send}>
          <label htmlFor="support-reply">Reply (sent by email)</label>
          <textarea
            id="support-reply"
            rows={5}
            required
            maxLength={20_000}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            disabled={busy}
          />
          <div className="admin-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Sending…' : 'Send reply by email'}
            </button>
          </div>
          {error !== undefined && <ActionError error={error} onVerified={() => setError(undefined)} />}
        </form>
      ) : (
        <p className="hint">The account that wrote this was deleted: there is nobody to reply to.</p>
      )}
    </section>
  );
}

/** The support role's inbox: messages decrypted by the server, newest first; read a thread, reply by email. */
export function SupportSection() {
  const state = useAsync(() => adminApi.supportInbox());
  const { openId: threadId, open, notice, setNotice } = useQueue();
  if (state.status === 'loading') return <Loading label="Loading the support inbox…" />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={state.reload} />;
  const { messages } = state.data;
  const incoming = messages.filter((m) => m.direction === 'in');
  const thread = messages
    .filter((m) => m.threadId === threadId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const latestIn = [...thread].reverse().find((m) => m.direction === 'in');
  return (
    <section aria-labelledby="support-title">
      <h2 id="support-title">Support inbox</h2>
      {incoming.length === 0 ? (
        <Empty>No support messages.</Empty>
      ) : (
        <TableScroll label="Support messages, newest first">
          <table className="admin-table">
            <caption className="visually-hidden">Support messages, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">From</th>
                <th scope="col">Received</th>
                <th scope="col">Replies</th>
              </tr>
            </thead>
            <tbody>
              {incoming.map((m) => (
                <tr key={m.id} aria-current={m.threadId === threadId ? 'true' : undefined}>
                  <td>
                    <OpenButton onOpen={() => open(m.threadId)}>{m.subject}</OpenButton>
                  </td>
                  <td>{sender(m)}</td>
                  <td>{formatTime(m.createdAt)}</td>
                  <td>{messages.filter((o) => o.threadId === m.threadId && o.direction === 'out').length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <QueueNotice notice={notice} />
      {latestIn && (
        <Thread
          key={threadId}
          messages={thread}
          latest={latestIn}
          onReplied={() => {
            setNotice('Reply sent by email and stored encrypted in the thread.');
            state.reload();
          }}
        />
      )}
    </section>
  );
}
