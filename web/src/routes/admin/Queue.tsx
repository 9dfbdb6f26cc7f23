import { useState, type ReactNode } from 'react';

/** A staff queue (disclosure reports, support threads): the item opened below the table and the last notice. */
export function useQueue() {
  const [openId, setOpenId] = useState<string>();
  const [notice, setNotice] = useState('');
  const open = (id: string) => {
    setOpenId(id);
    setNotice('');
  };
  return { openId, open, notice, setNotice };
}

/** A row's title as a button that opens the item. */
export function OpenButton({ onOpen, children }: { onOpen: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link-button" onClick={onOpen}>
      {children}
    </button>
  );
}

/** What the last action did, announced politely. */
export function QueueNotice({ notice }: { notice: string }) {
  return notice ? (
    <p role="status" className="admin-ok">
      {notice}
    </p>
  ) : null;
}
