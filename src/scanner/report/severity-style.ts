/**
 * One visual language for severities: the same names and colours in the web app (web/src/styles/app.css,
 * `--sev-*`, kept equal by test/scanner/report/severity-style.test.ts), the HTML report and the terminal.
 */
import type { Severity } from '../types.ts';

export interface SeverityStyle {
  label: string;
  /** Text and border colour on a light background, and on a dark one (both WCAG AA on the app's cards). */
  light: string;
  dark: string;
  /** SGR parameters for the terminal (256-colour palette, nearest to `light`). */
  ansi: string;
}

export const SEVERITY_STYLE: Record<Severity, SeverityStyle> = {
  critical: { label: 'Critical', light: '#991b1b', dark: '#fca5a5', ansi: '1;38;5;124' },
  high: { label: 'High', light: '#c2410c', dark: '#fdba74', ansi: '38;5;166' },
  medium: { label: 'Medium', light: '#a16207', dark: '#fde047', ansi: '38;5;136' },
  low: { label: 'Low', light: '#1d4ed8', dark: '#93c5fd', ansi: '38;5;26' },
  info: { label: 'Info', light: '#4b5563', dark: '#cbd5e1', ansi: '90' },
};

export const EFFORT_LABEL = { minutes: 'minutes', hours: 'hours', days: 'days' } as const;
