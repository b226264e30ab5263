/** `--name value`, `--name=value` and bare `--flag` arguments; nothing else is accepted. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'number' | 'boolean'>) {
  const values: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') continue;
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in known)) throw new Error(`Unknown argument ${arg} (known: ${Object.keys(known).join(', ')})`);
    const [, name, inline] = m;
    const kind = known[name];
    if (kind === 'boolean') {
      values[name] = inline === undefined ? true : !['0', 'false', 'no'].includes(inline);
      continue;
    }
    const raw = inline ?? argv[(i += 1)];
    if (raw === undefined) throw new Error(`--${name} needs a value`);
    if (kind === 'number') {
      const n = Number(raw.replaceAll('_', ''));
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
      values[name] = n;
    } else values[name] = raw;
  }
  return values;
}

export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} kB`;
}
