import { mfaApi } from '../../api/mfa.ts';
import { Empty, ErrorState, Loading, PageTitle } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { href, Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { PasskeysSection } from './Passkeys.tsx';
import { ReauthPrompt, useReauth } from './reauth.tsx';
import { TotpSection } from './Totp.tsx';
import '../../styles/account-security.css';

function Factors({ totpEnabled }: { totpEnabled: boolean }) {
  const { refresh } = useSession();
  const reauth = useReauth();
  const passkeys = useAsync(() => mfaApi.passkeys());
  const hasPasskeys = passkeys.status === 'done' && passkeys.data.passkeys.length > 0;
  return (
    <div className="settings">
      <ReauthPrompt reauth={reauth} totp={totpEnabled} passkeys={hasPasskeys} />
      <TotpSection enabled={totpEnabled} guarded={reauth.guarded} onChanged={refresh} />
      <PasskeysSection state={passkeys} guarded={reauth.guarded} onChanged={passkeys.reload} />
    </div>
  );
}

/** /account/security: the second factors of the signed-in account. */
export function MfaPage() {
  const { state } = useSession();
  return (
    <>
      <PageTitle lead="A second factor keeps your account safe even if someone gets into your mailbox.">
        Two-factor authentication
      </PageTitle>
      <p>
        <Link to={href('account')}>← Account settings</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} />}
      {state.status === 'signed-out' && (
        <Empty>
          <Link to={href('signIn')}>Sign in</Link> to manage two-factor authentication.
        </Empty>
      )}
      {state.status === 'signed-in' && <Factors totpEnabled={state.current.user.totpEnabled} />}
    </>
  );
}
