import { useRef, useState, type FormEvent } from 'react';
import type { Site } from '../../api/service-types.ts';
import { sitesApi } from '../../api/sites.ts';
import type { Org } from '../../api/types.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { errorMessage } from '../../components/errors.ts';
import { FormProblems, useFormProblems } from '../../components/FormProblems.tsx';
import { useAction } from '../../components/useAction.ts';
import { useFocusOnClose, useFocusReturn } from '../../components/useFocusReturn.ts';
import { href, useRouter } from '../../router.tsx';
import { siteErrorMessage } from '../Sites.tsx';

/** The inline form: name and address; focus moves in, Escape or Cancel closes it and returns focus. */
function EditForm({
  org,
  site,
  onSaved,
  onClose,
}: {
  org: Org;
  site: Site;
  onSaved: (site: Site) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(site.name);
  const [url, setUrl] = useState(site.url);
  const { busy, error, run } = useAction();
  const problems = useFormProblems();
  const form = useFocusReturn<HTMLFormElement>({ open: true, onClose });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (
      problems.check([
        ['site-edit-name', name.trim() === '' ? 'Name: enter a name for the site.' : undefined],
        [
          'site-edit-url',
          url.trim() === '' ? 'Address: enter the site’s address, such as example.com.' : undefined,
        ],
      ])
    )
      return;
    void run(async () => {
      const change = {
        ...(name.trim() !== site.name && { name: name.trim() }),
        ...(url.trim() !== site.url && { url: url.trim() }),
      };
      onSaved(Object.keys(change).length ? await sitesApi.update(org.id, site.id, change) : site);
    });
  };
  return (
    <form
      ref={form}
      className="card form edit-site"
      onSubmit={submit}
      noValidate
      aria-labelledby="edit-site-heading"
    >
      <h2 id="edit-site-heading">Edit site</h2>
      <label htmlFor="site-edit-name">Name</label>
      <input
        id="site-edit-name"
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        disabled={busy}
        {...problems.field('site-edit-name')}
      />
      <label htmlFor="site-edit-url">Address</label>
      <input
        id="site-edit-url"
        inputMode="url"
        maxLength={2048}
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        disabled={busy}
        aria-describedby="site-edit-url-hint"
        {...problems.field('site-edit-url')}
      />
      <p className="hint" id="site-edit-url-hint">
        A new host must be verified again: its verification and schedule end.
      </p>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="button ghost" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
      <FormProblems problems={problems} />
      {error !== undefined && (
        <p className="state state-error" role="alert">
          {siteErrorMessage(error) ?? errorMessage(error)}
        </p>
      )}
    </form>
  );
}

/** Edit (inline form) and delete (two-step confirmation) a site; deleting goes back to the list. */
export function SiteSettings({
  org,
  site,
  onChange,
}: {
  org: Org;
  site: Site;
  onChange: (site: Site) => void;
}) {
  const { navigate } = useRouter();
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState<string>();
  const editButton = useRef<HTMLButtonElement>(null);
  useFocusOnClose(editing, editButton);
  const { busy, error, run } = useAction();
  const remove = () =>
    void run(async () => {
      await sitesApi.remove(org.id, site.id);
      navigate(href('sites'));
    });
  return (
    <>
      <div className="site-settings" role="group" aria-label="Site settings">
        {!editing && (
          <button
            ref={editButton}
            type="button"
            className="button secondary"
            onClick={() => {
              setNotice(undefined);
              setEditing(true);
            }}
          >
            Edit site
          </button>
        )}
        <Confirmable
          asking={asking}
          ask="Delete site"
          onAsk={() => setAsking(true)}
          label={`Delete ${site.name}`}
          confirm={`Yes, delete ${site.name} with its scans and findings`}
          working="Deleting…"
          cancel="Keep it"
          busy={busy}
          onConfirm={remove}
          onCancel={() => setAsking(false)}
        />
      </div>
      {editing && (
        <EditForm
          org={org}
          site={site}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            onChange(saved);
            setNotice(saved.notice ?? 'Site saved.');
            setEditing(false);
          }}
        />
      )}
      <div aria-live="polite">{notice && <p className="state notice-ok">{notice}</p>}</div>
      {error !== undefined && (
        <p className="state state-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </>
  );
}
