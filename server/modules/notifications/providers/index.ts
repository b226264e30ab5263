import type { Config } from '../../../platform/config.js';
import { createAliyunSmsProvider } from './aliyun-sms.js';
import type { PushProvider } from './provider.js';
import { createTencentSmsProvider } from './tencent-sms.js';
import { createWecomAppProvider } from './wecom-app.js';

export type { PushMessage, PushOutcome, PushProvider, PushRecipient } from './provider.js';

/** The providers this deployment configured, by channel; none ⇒ the bell is in-app only. */
export type PushProviders = Partial<Record<'wecom_app' | 'sms', PushProvider>>;

export function createPushProviders(config: Config, now: () => Date): PushProviders {
  const out: PushProviders = {};
  if (config.push.wecomApp) out.wecom_app = createWecomAppProvider(config.outbound, config.push.wecomApp, now);
  if (config.push.sms)
    out.sms =
      config.push.sms.provider === 'aliyun'
        ? createAliyunSmsProvider(config.outbound, config.push.sms, now)
        : createTencentSmsProvider(config.outbound, config.push.sms, now);
  return out;
}
