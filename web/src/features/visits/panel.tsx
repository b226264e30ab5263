import type { CSSProperties, ReactNode } from 'react';

/**
 * A bordered white box with an optional title: what antd's Card looks like, without the Tabs that
 * Card brings along (13 kB gzip that the phone visit form does not need).
 */
export function Panel({
  title,
  extra,
  children,
  style,
  bodyStyle,
  testId,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  bodyStyle?: CSSProperties;
  testId?: string;
}) {
  return (
    <section className="visit-panel" style={style} data-testid={testId}>
      {title && (
        <header className="visit-panel-head">
          <h2 className="visit-panel-title">{title}</h2>
          {extra}
        </header>
      )}
      <div className="visit-panel-body" style={bodyStyle}>
        {children}
      </div>
    </section>
  );
}
