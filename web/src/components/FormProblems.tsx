import { useId, useState } from 'react';

export interface Problems {
  /** The problems found at the last submit, by field id. */
  list: [field: string, message: string][];
  /** Checks `[fieldId, message | undefined]` pairs; shows the problems and focuses the first field. True when any. */
  check(rules: [field: string, message: string | undefined][]): boolean;
  /** aria-invalid and aria-describedby for a field, so a screen reader reads its problem. */
  field(id: string): { 'aria-invalid'?: true; 'aria-describedby'?: string };
  id: string;
}

/**
 * A form explains on submit instead of keeping its button disabled: each problem names the field
 * and the fix, and focus goes to the first field to correct (WCAG 3.3.1, 3.3.3).
 */
export function useFormProblems(): Problems {
  const id = useId();
  const [list, setList] = useState<[string, string][]>([]);
  const check = (rules: [string, string | undefined][]) => {
    const found = rules.filter((rule): rule is [string, string] => rule[1] !== undefined);
    setList(found);
    if (found.length > 0) document.getElementById(found[0]![0])?.focus();
    return found.length > 0;
  };
  const field = (fieldId: string) =>
    list.some(([f]) => f === fieldId)
      ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problems` }
      : {};
  return { list, check, field, id };
}

export function FormProblems({ problems }: { problems: Problems }) {
  if (problems.list.length === 0) return null;
  return (
    <div className="state state-error" id={`${problems.id}-problems`} role="alert">
      <ul className="form-problems">
        {problems.list.map(([field, message]) => (
          <li key={field}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
