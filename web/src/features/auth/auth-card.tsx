import type { ReactNode } from 'react';
import { Flex, theme } from 'antd';
import { DemoBanner } from '../../components/demo-banner';
import { PRODUCT_NAME } from '../../components/use-page-title';
import logoUrl from '../../app/logo.svg';

/**
 * The centred panel of the login and password pages. Plain elements rather than antd Card and
 * Typography keep the login page's first download small.
 */
export function AuthCard({ subtitle, children }: { subtitle: ReactNode; children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f3f6fa' }}>
      <DemoBanner />
      <Flex flex={1} align="center" justify="center" style={{ padding: '32px 12px' }}>
        <main
          style={{
            width: '100%',
            maxWidth: 400,
            boxSizing: 'border-box',
            padding: '32px 24px 24px',
            background: token.colorBgContainer,
            borderRadius: token.borderRadiusLG,
            boxShadow: token.boxShadowTertiary,
          }}
        >
          <Flex vertical align="center" gap={4} style={{ marginBottom: 24, textAlign: 'center' }}>
            <img src={logoUrl} alt="" width={40} height={40} />
            <h1 style={{ margin: 0, fontSize: token.fontSizeHeading3, fontWeight: 600, color: token.colorTextHeading }}>
              {PRODUCT_NAME}
            </h1>
            <div style={{ color: token.colorTextSecondary }}>{subtitle}</div>
          </Flex>
          {children}
        </main>
      </Flex>
    </Flex>
  );
}
