import { Fragment, type ReactNode } from 'react';
import { Typography } from 'antd';

/**
 * The small Markdown of a notice — headings, paragraphs, **bold**, lists, [links](https://…) — rendered
 * as React elements, never as HTML: nothing a drafter types can become markup or script. The same subset
 * the WeCom robot shows (server/modules/notices/wecom-robot.ts).
 */
export function Markdown({ source }: { source: string }) {
  return <div className="notice-markdown">{blocks(source)}</div>;
}

const SAFE_LINK = /^(https?:\/\/|\/)[^\s]*$/;

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  // **bold** and [label](url), left to right.
  const pattern = /\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<strong key={`${key}-${n++}`}>{m[1]}</strong>);
    else if (SAFE_LINK.test(m[3]))
      out.push(
        <a key={`${key}-${n++}`} href={m[3]} target="_blank" rel="noopener noreferrer">
          {m[2]}
        </a>,
      );
    else out.push(`${m[2]}（${m[3]}）`);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function lines(parts: string[], key: string): ReactNode[] {
  return parts.map((line, i) => (
    <Fragment key={`${key}-${i}`}>
      {i > 0 && <br />}
      {inline(line, `${key}-${i}`)}
    </Fragment>
  ));
}

function blocks(source: string): ReactNode[] {
  const out: ReactNode[] = [];
  const all = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < all.length) {
    const line = all[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const key = `b${i}`;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(5, heading[1].length + 2) as 3 | 4 | 5;
      out.push(
        <Typography.Title key={key} level={level}>
          {inline(heading[2], key)}
        </Typography.Title>,
      );
      i++;
      continue;
    }
    const bullet = /^\s*[-*]\s+/;
    const numbered = /^\s*\d+[.、]\s+/;
    if (bullet.test(line) || numbered.test(line)) {
      const ordered = numbered.test(line);
      const marker = ordered ? numbered : bullet;
      const items: string[] = [];
      while (i < all.length && marker.test(all[i])) items.push(all[i++].replace(marker, ''));
      const children = items.map((item, n) => <li key={`${key}-${n}`}>{inline(item, `${key}-${n}`)}</li>);
      out.push(ordered ? <ol key={key}>{children}</ol> : <ul key={key}>{children}</ul>);
      continue;
    }
    if (/^>\s?/.test(line)) {
      const quoted: string[] = [];
      while (i < all.length && /^>\s?/.test(all[i])) quoted.push(all[i++].replace(/^>\s?/, ''));
      out.push(<blockquote key={key}>{lines(quoted, key)}</blockquote>);
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < all.length &&
      all[i].trim() &&
      !/^#{1,6}\s/.test(all[i]) &&
      !bullet.test(all[i]) &&
      !numbered.test(all[i]) &&
      !/^>\s?/.test(all[i])
    )
      paragraph.push(all[i++]);
    out.push(<Typography.Paragraph key={key}>{lines(paragraph, key)}</Typography.Paragraph>);
  }
  return out;
}
