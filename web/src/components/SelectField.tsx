/** An option: a value shown as itself, or a value and its label. */
export type SelectOption<T extends string> = T | readonly [value: T, label: string];

/**
 * A labelled `<select>` (label then select, for the caller to place). `none` adds a first option
 * with the empty value ("All", "Not set", …): include `''` in `T` when it is given.
 */
export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  none,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly SelectOption<NoInfer<T>>[];
  none?: string;
  onChange(value: NoInfer<T>): void;
  disabled?: boolean;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
        {...(disabled !== undefined && { disabled })}
      >
        {none !== undefined && <option value="">{none}</option>}
        {options.map((option) => {
          const [optionValue, optionLabel] = typeof option === 'string' ? [option, option] : option;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </>
  );
}
