import { useEffect, type ReactNode } from 'react';
import { Shell } from './components/Shell.tsx';
import { OrgProvider } from './org.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { useRouter, type Match } from './router.tsx';
import { AccountPage } from './routes/Account.tsx';
import { AdminPage } from './routes/admin/AdminPage.tsx';
import { MfaPage } from './routes/account/Mfa.tsx';
import { TokensPage } from './routes/account/Tokens.tsx';
import { LandingPage } from './routes/Landing.tsx';
import { NotFoundPage } from './routes/NotFound.tsx';
import { PrivacyPage } from './routes/account/Privacy.tsx';
import { ReportPage } from './routes/Report.tsx';
import { SecurityPage } from './routes/Security.tsx';
import { SignInPage } from './routes/SignIn.tsx';
import { WelcomePage } from './routes/Welcome.tsx';
import { StartPage } from './routes/Start.tsx';
import { StatusPage } from './routes/Status.tsx';
import { FindingsPage } from './routes/Findings.tsx';
import { OrgScanPage } from './routes/OrgScan.tsx';
import { OrgAlertsPage } from './routes/org/OrgAlerts.tsx';
import { OrgGeneralPage } from './routes/org/OrgGeneral.tsx';
import { OrgMembersPage } from './routes/org/OrgMembers.tsx';
import { SitePage } from './routes/Site.tsx';
import { SitesPage } from './routes/Sites.tsx';
import { SupportPage } from './routes/Support.tsx';

/** One entry per client route (src/modules/web/paths.ts): the page and its document title. */
const pages: Record<Match['name'], { title: string; render: (route: Match) => ReactNode }> = {
  landing: { title: 'Website security & privacy scanner', render: () => <LandingPage /> },
  report: { title: 'Scan report', render: (route) => <ReportPage id={route.params.id ?? ''} /> },
  security: { title: 'Security & Privacy', render: () => <SecurityPage /> },
  status: { title: 'Status', render: () => <StatusPage /> },
  signIn: { title: 'Sign in', render: () => <SignInPage /> },
  welcome: { title: 'Welcome', render: () => <WelcomePage /> },
  start: { title: 'Get started', render: () => <StartPage /> },
  account: { title: 'Account settings', render: () => <AccountPage /> },
  admin: { title: 'Admin console', render: () => <AdminPage /> },
  adminSection: {
    title: 'Admin console',
    render: (route) => <AdminPage section={route.params.section ?? ''} />,
  },
  accountSecurity: { title: 'Two-factor authentication', render: () => <MfaPage /> },
  accountTokens: { title: 'API tokens', render: () => <TokensPage /> },
  sites: { title: 'Sites', render: () => <SitesPage /> },
  site: { title: 'Site', render: (route) => <SitePage siteId={route.params.siteId ?? ''} /> },
  orgScan: { title: 'Scan', render: (route) => <OrgScanPage scanId={route.params.scanId ?? ''} /> },
  findings: { title: 'Findings', render: () => <FindingsPage /> },
  org: { title: 'Organisation', render: () => <OrgGeneralPage /> },
  orgMembers: { title: 'Organisation members', render: () => <OrgMembersPage /> },
  orgAlerts: { title: 'Organisation alerts', render: () => <OrgAlertsPage /> },
  privacy: { title: 'Privacy and your data', render: () => <PrivacyPage /> },
  support: { title: 'Contact support', render: () => <SupportPage /> },
  notFound: { title: 'Page not found', render: () => <NotFoundPage /> },
};

export function App() {
  const { route } = useRouter();
  const page = pages[route.name];
  useEffect(() => {
    document.title = `${page.title} · VIOscan`;
    // Move focus to the new page's heading so keyboard and screen-reader users land on it.
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [page, route.path]);
  return (
    <SessionProvider>
      <OrgProvider>
        <Shell>
          <SecondFactorGate route={route}>{page.render(route)}</SecondFactorGate>
        </Shell>
      </OrgProvider>
    </SessionProvider>
  );
}

/** Pages anyone may read; every other page waits until a pending second factor is verified. */
const publicPages = new Set<Match['name']>(['landing', 'report', 'security', 'status', 'signIn', 'notFound']);

function SecondFactorGate({ route, children }: { route: Match; children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'second-factor' && !publicPages.has(route.name)) return <SignInPage />;
  return <>{children}</>;
}
