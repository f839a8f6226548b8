'use client';

import { useId } from 'react';

/**
 * A row of mutually exclusive buttons (a radio group styled as a segmented control) with a visible caption:
 * the producer's rate and the consumer's poll interval. `optionLabel` names each choice for screen readers.
 */
export function SegmentedChoice<T extends number | string>({
  caption,
  groupLabel,
  options,
  value,
  disabled,
  onChange,
  optionText,
  optionLabel,
}: {
  caption: string;
  groupLabel: string;
  options: readonly T[];
  value: T | null | undefined;
  disabled: boolean;
  onChange: (value: T) => void;
  optionText: (value: T) => string;
  optionLabel: (value: T) => string;
}) {
  const captionId = useId();
  const name = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <span id={captionId} className="stat-label">
        {caption}
      </span>
      <div role="radiogroup" aria-label={groupLabel} aria-describedby={captionId} className="segmented">
        {options.map((option) => (
          <label key={String(option)}>
            <input
              type="radio"
              name={name}
              value={String(option)}
              checked={value === option}
              disabled={disabled}
              onChange={() => onChange(option)}
              aria-label={optionLabel(option)}
            />
            {optionText(option)}
          </label>
        ))}
      </div>
    </div>
  );
}
