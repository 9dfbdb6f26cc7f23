import { useState } from 'react';
import { applyTheme, storedTheme, type ThemeChoice } from '../theme.ts';

const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const labels: Record<ThemeChoice, string> = {
  system: 'Theme: system',
  light: 'Theme: light',
  dark: 'Theme: dark',
};

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const change = () => {
    const value = next[choice];
    applyTheme(value);
    setChoice(value);
  };
  return (
    <button
      type="button"
      className="button ghost theme-toggle"
      onClick={change}
      aria-label={`${labels[choice]}. Change theme`}
    >
      <span aria-hidden="true">{choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'}</span>
      <span className="theme-label">{labels[choice]}</span>
    </button>
  );
}
