import type { Report } from '../api/types.ts';
import { AccessibilityPanel } from './AccessibilityReport.tsx';
import { PrivacyPanel, type ScreenshotHref } from './PrivacyReport.tsx';
import { ReportBody } from './Report.tsx';
import { Tabs, type Tab } from './Tabs.tsx';
import '../styles/report-tabs.css';

/** The report below its summary: Security alone, or Security, Privacy and Accessibility as tabs when the browser stage ran. */
export function ReportTabs({ report, screenshotHref }: { report: Report; screenshotHref?: ScreenshotHref }) {
  const security = <ReportBody report={report} />;
  if (!report.privacy && !report.accessibility) return security;
  const tabs: Tab[] = [{ id: 'security', label: 'Security', panel: security }];
  if (report.privacy)
    tabs.push({
      id: 'privacy',
      label: 'Privacy',
      panel: <PrivacyPanel report={report.privacy} screenshotHref={screenshotHref} />,
    });
  if (report.accessibility)
    tabs.push({
      id: 'accessibility',
      label: 'Accessibility',
      panel: <AccessibilityPanel summary={report.accessibility} />,
    });
  return <Tabs label="Report sections" idPrefix="report" tabs={tabs} />;
}
