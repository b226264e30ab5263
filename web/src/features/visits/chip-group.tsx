import { Button, Flex } from 'antd';

interface Option<V extends string> {
  value: V;
  label: string;
}

interface ChipBaseProps<V extends string> {
  options: readonly Option<V>[];
  /** The group's name for screen readers (the visible label is the Form.Item's). */
  'aria-label'?: string;
  id?: string;
  size?: 'middle' | 'large';
  /** Lay the chips out as equal cells, `columns` per row (the contact mode buttons). */
  columns?: number;
}

function Chip({
  label,
  pressed,
  onClick,
  size,
  block,
}: {
  label: string;
  pressed: boolean;
  onClick: () => void;
  size: 'middle' | 'large';
  block: boolean;
}) {
  return (
    <Button
      type={pressed ? 'primary' : 'default'}
      aria-pressed={pressed}
      autoInsertSpace={false}
      size={size}
      block={block}
      onClick={onClick}
      // A tick as well as the colour, so the choice does not rest on colour alone.
      style={block && size === 'large' ? { height: 52, fontSize: 17 } : undefined}
    >
      {pressed ? `✓ ${label}` : label}
    </Button>
  );
}

function Chips<V extends string>({
  options,
  isPressed,
  toggle,
  id,
  size = 'middle',
  columns,
  ...rest
}: ChipBaseProps<V> & { isPressed: (v: V) => boolean; toggle: (v: V) => void }) {
  const chips = options.map((option) => (
    <Chip
      key={option.value}
      label={option.label}
      pressed={isPressed(option.value)}
      onClick={() => toggle(option.value)}
      size={size}
      block={!!columns}
    />
  ));
  if (columns) {
    return (
      <div
        id={id}
        role="group"
        aria-label={rest['aria-label']}
        style={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: 8 }}
      >
        {chips}
      </div>
    );
  }
  return (
    <Flex id={id} role="group" aria-label={rest['aria-label']} wrap gap={8}>
      {chips}
    </Flex>
  );
}

/** One choice of a few, as tappable chips; tapping the chosen one again clears it unless `required`. */
export function ChipSelect<V extends string>({
  value,
  onChange,
  required,
  ...props
}: ChipBaseProps<V> & { value?: V | null; onChange?: (value: V | null) => void; required?: boolean }) {
  return (
    <Chips {...props} isPressed={(v) => v === value} toggle={(v) => onChange?.(v === value && !required ? null : v)} />
  );
}

/** Any number of choices, as tappable chips. */
export function ChipMulti<V extends string>({
  value,
  onChange,
  ...props
}: ChipBaseProps<V> & { value?: V[] | null; onChange?: (value: V[]) => void }) {
  const chosen = value ?? [];
  return (
    <Chips
      {...props}
      isPressed={(v) => chosen.includes(v)}
      toggle={(v) =>
        onChange?.(
          chosen.includes(v)
            ? chosen.filter((c) => c !== v)
            : props.options.map((o) => o.value).filter((o) => o === v || chosen.includes(o)),
        )
      }
    />
  );
}
