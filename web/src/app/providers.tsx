import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ApiError } from '../api/client';
import { AuthProvider } from './auth-context';

dayjs.locale('zh-cn');

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx answer will not change by asking again; a dropped connection might.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
        refetchOnWindowFocus: false,
        staleTime: 30 * 1000,
        // Run even when the browser says it is offline: the reads fall back on the phone's copy (issue #17).
        networkMode: 'always',
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={zhCN}
        theme={{
          // WCAG AA (issue 11 item 11): antd's secondary and tertiary text (0.45 black, 3.3:1 on white) is darkened
          // to ≥ 4.5:1 on white and on the #fafafa of table headers; the primary colour is 6.3:1.
          token: {
            colorPrimary: '#1d5fa8',
            // Links default to antd's info blue (#1677ff, 4.1:1): the primary blue instead.
            colorLink: '#1d5fa8',
            colorInfo: '#1d5fa8',
            // Danger, warning and success as text (red 3.3:1, gold 1.9:1, green 3.6:1): their darker shades.
            colorError: '#c41d1f',
            colorWarning: '#ad6800',
            colorSuccess: '#237804',
            borderRadius: 6,
            colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
            colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
            colorTextDescription: 'rgba(0, 0, 0, 0.62)',
            colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
          },
          components: {
            Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerPadding: '0 16px', headerHeight: 56 },
          },
        }}
      >
        <AuthProvider>{children}</AuthProvider>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
