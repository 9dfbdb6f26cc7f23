import { accessibilitySection } from '../../../src/scanner/report/privacy-sections.ts';
import type { AccessibilitySummary } from '../../../src/scanner/types.ts';
import { Reference } from './Report.tsx';
import { Empty } from './States.tsx';
import { TableScroll } from './TableScroll.tsx';

/** The report's Accessibility tab: axe-core's summary sentence, then each violated rule. */
export function AccessibilityPanel({ summary }: { summary: AccessibilitySummary }) {
  const { paragraphs } = accessibilitySection(summary);
  return (
    <section aria-labelledby="accessibility-heading">
      <h2 id="accessibility-heading">Accessibility</h2>
      {paragraphs.map((p) => (
        <p key={p} data-testid="accessibility-summary">
          {p}
        </p>
      ))}
      {summary.rules.length === 0 ? (
        <Empty>No rule was violated.</Empty>
      ) : (
        <TableScroll label="Accessibility rules violated">
          <table>
            <caption className="visually-hidden">Accessibility rules violated</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Impact</th>
                <th scope="col">WCAG</th>
                <th scope="col">Elements</th>
                <th scope="col">First element</th>
                <th scope="col">Help</th>
              </tr>
            </thead>
            <tbody>
              {summary.rules.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.id}</th>
                  <td>{r.impact}</td>
                  <td>{r.level}</td>
                  <td>{r.nodes}</td>
                  <td className="evidence-cell">{r.selector}</td>
                  <td>
                    <Reference url={r.helpUrl}>{r.help}</Reference>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
