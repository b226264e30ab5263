import { Alert } from 'antd';
import { useHealth } from '../api/auth';

export const DEMO_BANNER_TEXT = '演示数据：本系统当前运行在演示模式，所有人员和家庭信息均为虚构';

/** Shown on every screen while the server runs in demo mode, so nobody mistakes the data for real people. */
export function DemoBanner() {
  const health = useHealth();
  if (!health.data?.demo) return null;
  return <Alert type="warning" banner showIcon title={DEMO_BANNER_TEXT} role="status" />;
}
