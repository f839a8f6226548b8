'use client';

import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from 'react';
import { CopyButton } from '../ui/copy-button';
import { useHydrated } from '../ui/use-hydrated';

/*
 * The form pieces every lab uses, so each lab states only what it asks for. Each keeps a visible label tied
 * to its control (label/htmlFor, legend, wrapping label), which is what the labs' accessible names rest on.
 */

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'children'>;

/** A labelled input; `children` go after the input (a hint or an error the input points at). */
export function LabInputField({
  label,
  value,
  onValue,
  id,
  className = 'lab-input',
  children,
  ...input
}: InputProps & {
  label: ReactNode;
  value: string | number;
  onValue: (value: string) => void;
  children?: ReactNode;
}) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="lab-field">
      <label className="lab-label" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        className={className}
        value={value}
        onChange={(event) => onValue(event.target.value)}
        {...input}
      />
      {children}
    </div>
  );
}

/** A labelled number input bounded by min/max; the value stays a string so the field may be cleared. */
export function LabNumberField(
  props: Omit<Parameters<typeof LabInputField>[0], 'type' | 'min' | 'max'> & { min: number; max: number },
) {
  return <LabInputField type="number" {...props} />;
}

/** A labelled free-text input (names, keys): no autocomplete or spell-check on identifiers. */
export function LabTextField(props: Omit<Parameters<typeof LabInputField>[0], 'type'>) {
  return <LabInputField autoComplete="off" spellCheck={false} {...props} />;
}

/** A labelled select of whole numbers. */
export function LabNumberSelect({
  label,
  value,
  onValue,
  options,
  className = 'lab-input',
}: {
  label: ReactNode;
  value: number;
  onValue: (value: number) => void;
  options: readonly { value: number; label: ReactNode }[];
  className?: string;
}) {
  const id = useId();
  return (
    <div className="lab-field">
      <label className="lab-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className={className}
        value={value}
        onChange={(event) => onValue(Number(event.target.value))}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The "Partitions" picker of a topic set-up form: 1 to `max`. */
export function LabPartitionsSelect({
  value,
  onValue,
  max,
}: {
  value: number;
  onValue: (value: number) => void;
  max: number;
}) {
  const options = Array.from({ length: max }, (_, i) => ({ value: i + 1, label: i + 1 }));
  return (
    <LabNumberSelect
      label="Partitions"
      className="lab-input w-24"
      value={value}
      onValue={onValue}
      options={options}
    />
  );
}

/** A checkbox named by its own text. */
export function LabCheck({
  checked,
  onChecked,
  children,
}: {
  checked: boolean;
  onChecked: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="lab-check">
      <input type="checkbox" checked={checked} onChange={(event) => onChecked(event.target.checked)} />
      {children}
    </label>
  );
}

export interface LabChoiceOption<Value extends string> {
  value: Value;
  label: ReactNode;
  /** Shown on hover: what the choice means. */
  title?: string;
  disabled?: boolean;
}

/** One-of-several as a segmented radio group: a fieldset named by its legend, each radio by its text. */
export function LabChoice<Value extends string>({
  legend,
  value,
  onValue,
  options,
  className = '',
  optionClassName,
}: {
  legend: ReactNode;
  value: Value;
  onValue: (value: Value) => void;
  options: readonly LabChoiceOption<Value>[];
  /** Extra classes for the segmented row (layout). */
  className?: string;
  optionClassName?: string;
}) {
  const name = useId();
  return (
    <fieldset className="lab-field">
      <legend className="lab-label">{legend}</legend>
      <div className={`segmented mt-1 ${className}`.trim()}>
        {options.map((option) => (
          <label key={option.value} className={optionClassName} title={option.title}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              disabled={option.disabled}
              onChange={() => onValue(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * A lab action button: `busy` marks the one whose action is running (aria-busy), `disabled` is for any
 * running action or a state that forbids it. A plain button unless `type="submit"`.
 */
export function LabButton({
  primary = false,
  busy,
  type = 'button',
  className,
  disabled,
  ...button
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-busy'> & { primary?: boolean; busy?: boolean }) {
  const hydrated = useHydrated();
  return (
    <button
      type={type}
      className={className ?? (primary ? 'btn btn-primary' : 'btn')}
      aria-busy={busy}
      disabled={disabled || !hydrated}
      {...button}
    />
  );
}

/** The lab's drawing area: it keeps its height while the first state loads, so a doc page does not jump. */
export function LabSlot({
  loading,
  loadingText,
  children,
}: {
  loading: boolean;
  loadingText: string;
  children: ReactNode;
}) {
  return (
    <div className="lab-slot">
      {loading ? (
        <p className="lab-note" aria-live="polite">
          {loadingText}
        </p>
      ) : (
        children
      )}
    </div>
  );
}

/** A lab's form, named for the action it asks for; submitting runs `onSubmit` in place of a page load. */
export function LabForm({
  label,
  onSubmit,
  children,
}: {
  label: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="lab-controls"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A number field's text as the action sends it: an empty field is 0, which the lab's server refuses. */
export function fieldNumber(text: string): number {
  return text.trim() === '' ? 0 : Number(text);
}

/** Commands for the reader to run (the lab runs none of them), each copyable. */
export function CommandList({
  title,
  commands,
}: {
  title: string;
  commands: readonly { label: string; command: string }[];
}) {
  return (
    <div className="grid min-w-0 gap-1">
      <p className="lab-label">{title}</p>
      <ol className="grid gap-1" aria-label={title}>
        {commands.map((step) => (
          <li key={`${step.label}-${step.command}`} className="lab-cli">
            <code aria-label={step.label} tabIndex={0}>
              {step.command}
            </code>
            <CopyButton text={step.command} label={`Copy: ${step.label}`} />
          </li>
        ))}
      </ol>
    </div>
  );
}
