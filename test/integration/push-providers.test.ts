import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskName } from '../../common/mask.js';
import { loadConfig, type OutboundConfig, type PushConfig } from '../../server/platform/config.js';
import { createAliyunSmsProvider, popSignature } from '../../server/modules/notifications/providers/aliyun-sms.js';
import {
  createTencentSmsProvider,
  tc3CanonicalRequest,
} from '../../server/modules/notifications/providers/tencent-sms.js';
import { createWecomAppProvider } from '../../server/modules/notifications/providers/wecom-app.js';
import { sha256Hex } from '../../server/platform/crypto/vendor-signing.js';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { startFakePush, verifyAliyun, type FakePush } from '../support/fake-push.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// R10 part 6: the push providers behind one interface, each against a local fake that verifies the
// vendor's signature independently; then the bell's pushes through them (quiet hours, masking, retries).
const SECRET = 'wecom-app-secret-0123456789';
const ALI_SECRET = 'aliyun-secret-abcdef';
const TC_KEY = 'tencent-secret-key-xyz';
const PHONE = '13807150000';
let fake: FakePush;
let outbound: OutboundConfig;
const msg = { kind: 'petition_alert' as const, kindLabel: '信访苗头预警', title: '档案 A-1', text: '【关怀】档案 A-1' };

beforeAll(async () => {
  fake = await startFakePush({
    corpId: 'ww-corp',
    corpSecret: SECRET,
    aliyun: { accessKeyId: 'ali-id', secret: ALI_SECRET, approvedTemplates: ['SMS_123456'] },
    tencent: { secretId: 'AKID-tc', secretKey: TC_KEY, sdkAppId: '1400000001', approvedTemplates: ['654321'] },
  });
  outbound = { wecomWebhookBase: `${fake.url}/cgi-bin/webhook/send`, allowedHosts: ['127.0.0.1'], timeoutMs: 2000 };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const wecomCfg = () => ({ baseUrl: fake.url, corpId: 'ww-corp', agentId: '1000002', secret: SECRET });
const smsCfg = (provider: 'aliyun' | 'tencent', over: Partial<NonNullable<PushConfig['sms']>> = {}) => ({
  provider,
  baseUrl: fake.url,
  accessKeyId: provider === 'aliyun' ? 'ali-id' : 'AKID-tc',
  accessKeySecret: provider === 'aliyun' ? ALI_SECRET : TC_KEY,
  signName: '关怀平台',
  templateCode: provider === 'aliyun' ? 'SMS_123456' : '654321',
  sdkAppId: '1400000001',
  region: provider === 'aliyun' ? 'cn-hangzhou' : 'ap-guangzhou',
  ...over,
});

describe('published test vectors', () => {
  it("computes Aliyun's documented SendSms signature (testId / testSecret)", () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(popSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    // The fake's own check accepts the documented URL too.
    const documented =
      'Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25';
    expect(verifyAliyun('GET', documented, 'testSecret')).toBe(true);
    expect(verifyAliyun('GET', documented, 'otherSecret')).toBe(false);
  });

  it("reproduces Tencent Cloud's documented TC3 payload and canonical-request hashes", () => {
    const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    expect(sha256Hex(payload)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(sha256Hex(tc3CanonicalRequest('cvm.tencentcloudapi.com', 'DescribeInstances', payload))).toBe(
      '7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84',
    );
  });
});

describe('WeCom application message', () => {
  it('caches the access token until it expires, renews it on 42001, and never shows the secret', async () => {
    let now = new Date('2026-12-01T02:00:00Z');
    const p = createWecomAppProvider(outbound, wecomCfg(), () => now);
    const to = { phone: null, wecomUserId: 'zhangsan' };
    expect(await p.send(to, msg)).toEqual({ ok: true });
    expect(await p.send(to, msg)).toEqual({ ok: true });
    expect(fake.received.filter((r) => r.api === 'gettoken')).toHaveLength(1);
    const sends = fake.received.filter((r) => r.api === 'wecom_send');
    expect(sends.every((r) => r.verified)).toBe(true);
    expect(sends[0].json).toMatchObject({
      touser: 'zhangsan',
      msgtype: 'text',
      agentid: 1000002,
      text: { content: msg.text },
    });

    now = new Date(now.getTime() + 2 * 3_600_000); // past expires_in 7200 s
    expect(await p.send(to, msg)).toEqual({ ok: true });
    expect(fake.received.filter((r) => r.api === 'gettoken')).toHaveLength(2);

    fake.nextWecom({ errcode: 42001, errmsg: 'access_token expired' });
    expect(await p.send(to, msg)).toEqual({ ok: true });
    expect(fake.received.filter((r) => r.api === 'gettoken')).toHaveLength(3);

    fake.nextWecom({ errcode: 45009, errmsg: 'api freq out of limit' });
    expect(await p.send(to, msg)).toMatchObject({ ok: false, transient: true });
    expect(await p.send({ phone: null, wecomUserId: null }, msg)).toMatchObject({ ok: false, transient: false });

    const wrong = createWecomAppProvider(outbound, { ...wecomCfg(), secret: 'leaked-secret-value' }, () => now);
    const refused = await wrong.send(to, msg);
    expect(refused).toMatchObject({ ok: false, transient: false });
    expect(JSON.stringify(refused)).not.toContain('leaked-secret-value');
  });

  it('goes only to an allowed host', async () => {
    const p = createWecomAppProvider(
      { ...outbound, allowedHosts: ['qyapi.weixin.qq.com'] },
      wecomCfg(),
      () => new Date(),
    );
    const r = await p.send({ phone: null, wecomUserId: 'u' }, msg);
    expect(r).toMatchObject({ ok: false, transient: false, error: expect.stringContaining('允许列表') });
    expect(fake.received).toHaveLength(0);
  });
});

describe('SMS', () => {
  it('signs Aliyun SendSms so the fake verifies it, with the approved template and masked variables', async () => {
    const p = createAliyunSmsProvider(outbound, smsCfg('aliyun'), () => new Date('2026-12-01T02:00:00.123Z'));
    expect(await p.send({ phone: PHONE, wecomUserId: null }, msg)).toEqual({ ok: true });
    const [r] = fake.received;
    expect(r).toMatchObject({ api: 'aliyun', verified: true });
    expect(r.query).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      PhoneNumbers: PHONE,
      TemplateCode: 'SMS_123456',
      SignName: '关怀平台',
      Timestamp: '2026-12-01T02:00:00Z',
    });
    expect(JSON.parse(r.query.TemplateParam)).toEqual({ kind: '信访苗头预警', title: '档案 A-1' });

    // A wrong secret: the fake's independent check refuses it, and the error names neither secret nor phone.
    const bad = createAliyunSmsProvider(outbound, smsCfg('aliyun', { accessKeySecret: 'wrong' }));
    const refused = await bad.send({ phone: PHONE, wecomUserId: null }, msg);
    expect(refused).toMatchObject({
      ok: false,
      transient: false,
      error: expect.stringContaining('SignatureDoesNotMatch'),
    });
    // An unapproved template is refused by the vendor; a throttle is worth a retry.
    const unapproved = createAliyunSmsProvider(outbound, smsCfg('aliyun', { templateCode: 'SMS_999' }));
    expect(await unapproved.send({ phone: PHONE, wecomUserId: null }, msg)).toMatchObject({
      ok: false,
      transient: false,
    });
    fake.nextSms('isv.BUSINESS_LIMIT_CONTROL');
    const throttled = await p.send({ phone: PHONE, wecomUserId: null }, msg);
    expect(throttled).toMatchObject({ ok: false, transient: true });
    expect(JSON.stringify(throttled)).not.toContain(PHONE);
  });

  it('signs Tencent Cloud SendSms with TC3-HMAC-SHA256 so the fake verifies it', async () => {
    const p = createTencentSmsProvider(outbound, smsCfg('tencent'), () => new Date('2026-12-01T02:00:00Z'));
    expect(await p.send({ phone: PHONE, wecomUserId: null }, msg)).toEqual({ ok: true });
    const [r] = fake.received;
    expect(r).toMatchObject({ api: 'tencent', verified: true });
    expect(r.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      'x-tc-timestamp': String(Date.parse('2026-12-01T02:00:00Z') / 1000),
    });
    expect(r.json).toEqual({
      PhoneNumberSet: [`+86${PHONE}`],
      SmsSdkAppId: '1400000001',
      SignName: '关怀平台',
      TemplateId: '654321',
      TemplateParamSet: ['信访苗头预警', '档案 A-1'],
    });
    const bad = createTencentSmsProvider(outbound, smsCfg('tencent', { accessKeySecret: 'wrong-key' }));
    const refused = await bad.send({ phone: PHONE, wecomUserId: null }, msg);
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('AuthFailure.SignatureFailure') });
    expect(JSON.stringify(refused)).not.toContain('wrong-key');
    fake.nextSms('RequestLimitExceeded');
    expect(await p.send({ phone: PHONE, wecomUserId: null }, msg)).toMatchObject({ ok: false, transient: true });
    expect(await p.send({ phone: null, wecomUserId: null }, msg)).toMatchObject({ ok: false, transient: false });
  });
});

describe('the bell pushes through the providers', () => {
  let t: TestApp;
  let tree: RegionTree;

  beforeAll(async () => {
    t = await createTestApp({
      config: {
        outbound,
        publicUrl: 'https://gh.example.gov.cn',
        push: { wecomApp: wecomCfg(), sms: smsCfg('aliyun') },
      },
    });
    tree = await buildRegionTree(t.db);
  });
  afterAll(() => t.close());

  it('sends the wanted channels after the commit, waits out quiet hours, and masks names, IDs and phones', async () => {
    const township = await t.signIn('township_staff', tree.township);
    const leader = await t.signIn('county_leader', tree.county);
    const prefs = (await leader.get('/api/v1/notification-preferences')).json().data;
    expect(prefs).toMatchObject({ providers: { wecomApp: true, sms: 'aliyun' }, phone: null, wecomUserId: null });
    const base = {
      version: prefs.version,
      kinds: prefs.kinds,
      channels: ['in_app', 'wecom_app', 'sms'],
      quietFrom: '22:00',
      quietTo: '07:00',
      digest: true,
    };
    const noPhone = await leader.put('/api/v1/notification-preferences', { ...base, wecomUserId: 'leader01' });
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().error.details[0]).toMatchObject({ path: 'phone', code: 'PHONE_REQUIRED' });
    const landline = await leader.put('/api/v1/notification-preferences', {
      ...base,
      phone: '027-12345678',
      wecomUserId: 'leader01',
    });
    expect(landline.json().error.details[0].path).toBe('phone');
    const saved = await leader.put('/api/v1/notification-preferences', {
      ...base,
      phone: PHONE,
      wecomUserId: 'leader01',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().data).toMatchObject({ phone: '138****0000', wecomUserId: 'leader01' });
    // Sealed like every phone: not in clear in the row.
    const row = await t.db
      .selectFrom('users')
      .select(['phone_enc', 'phone_mask'])
      .where('id', '=', leader.user.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain(PHONE);
    expect(row.phone_mask).toBe('138****0000');

    // 23:30 in China: inside the quiet hours.
    t.clock.set('2026-12-01T15:30:00.000Z');
    try {
      const s = await t.login(township.account);
      const f = await s.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
      expect(f.statusCode, f.body).toBe(201);
      const family = f.json().data as { id: string };
      // A caller that forgot the rule: a name, an ID number and a phone in the text.
      await t.db.transaction().execute((trx) =>
        t.app.services.notifications.notify(trx, {
          kind: 'petition_alert',
          title: '信访苗头预警：张秀英',
          body: '张秀英（42010219650505122X，电话 13900001111）扬言去省里。',
          link: `/families/${family.id}`,
          userIds: [leader.user.id],
          dedupeKey: `test:${family.id}`,
          isUrgent: true,
        }),
      );
      expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(0);
      expect(fake.received).toHaveLength(0);

      t.clock.set('2026-12-01T23:00:00.000Z'); // 07:00: the quiet hours are over
      expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(2);
      expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(0);
      const wecom = fake.received.find((r) => r.api === 'wecom_send')!;
      const sms = fake.received.find((r) => r.api === 'aliyun')!;
      expect(wecom.verified && sms.verified).toBe(true);
      const pushed = [(wecom.json as { text: { content: string } }).text.content, sms.query.TemplateParam];
      for (const text of pushed) {
        expect(text).not.toContain('张秀英');
        expect(text).not.toContain('42010219650505122X');
        expect(text).not.toContain('13900001111');
      }
      expect(pushed[0]).toContain(maskName('张秀英'));
      expect(pushed[0]).toContain(`https://gh.example.gov.cn/families/${family.id}`);
      expect(sms.query.PhoneNumbers).toBe(PHONE);
      expect((wecom.json as { touser: string }).touser).toBe('leader01');
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });

  it('retries a throttled SMS until it is sent and fails a refused one with the reason, never stuck', async () => {
    const leader = await t.signIn('county_leader', tree.siblingCounty);
    const prefs = (await leader.get('/api/v1/notification-preferences')).json().data;
    await leader.put('/api/v1/notification-preferences', {
      version: prefs.version,
      kinds: prefs.kinds,
      channels: ['in_app', 'sms'],
      quietFrom: null,
      quietTo: null,
      digest: true,
      phone: PHONE,
    });
    await t.db.transaction().execute((trx) =>
      t.app.services.notifications.notify(trx, {
        kind: 'return_review',
        title: '报表待审核',
        body: '请审核。',
        link: '/stat-returns',
        userIds: [leader.user.id],
        dedupeKey: 'test:retry',
      }),
    );
    fake.nextSms('isv.BUSINESS_LIMIT_CONTROL');
    expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(0);
    const row = async () =>
      t.db
        .selectFrom('outbox')
        .selectAll()
        .where('kind', '=', 'push')
        .where('payload', 'like', `%${leader.user.id}%`)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row()).last_error).toContain('BUSINESS_LIMIT_CONTROL');
    t.clock.advance(5_000);
    expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(1);
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2 });

    // A permanent refusal fails the row at once, with the vendor's reason and without the phone.
    await t.db.transaction().execute((trx) =>
      t.app.services.notifications.notify(trx, {
        kind: 'return_review',
        title: '报表待审核',
        body: '请再审核。',
        link: '/stat-returns',
        userIds: [leader.user.id],
        dedupeKey: 'test:refused',
      }),
    );
    fake.nextSms('isv.MOBILE_NUMBER_ILLEGAL');
    expect(await t.app.services.pushes.runOnce(t.clock.now())).toBe(1);
    const failed = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'push')
      .where('status', '=', 'failed')
      .where('payload', 'like', `%${leader.user.id}%`)
      .executeTakeFirstOrThrow();
    expect(failed.last_error).toContain('isv.MOBILE_NUMBER_ILLEGAL');
    expect(failed.last_error).not.toContain(PHONE);
  });
});

describe('provider configuration', () => {
  const sms = {
    SMS_PROVIDER: 'aliyun',
    SMS_ACCESS_KEY_ID: 'id',
    SMS_ACCESS_KEY_SECRET: 'secret',
    SMS_SIGN_NAME: '关怀平台',
    SMS_TEMPLATE_CODE: 'SMS_123456',
    WEBHOOK_ALLOWED_HOSTS: 'qyapi.weixin.qq.com,dysmsapi.aliyuncs.com',
  };
  it('reads an approved template and the vendor hosts, and says in-app only when nothing is configured', () => {
    expect(loadConfig({}).push).toEqual({});
    expect(loadConfig(sms).push.sms).toMatchObject({
      provider: 'aliyun',
      baseUrl: 'https://dysmsapi.aliyuncs.com',
      templateCode: 'SMS_123456',
      region: 'cn-hangzhou',
    });
  });
  it('refuses at startup what would fail every push', () => {
    expect(() => loadConfig({ ...sms, SMS_TEMPLATE_CODE: '请查收验证码' })).toThrow(/SMS_TEMPLATE_CODE/);
    expect(() => loadConfig({ ...sms, SMS_SIGN_NAME: '' })).toThrow(/SMS_SIGN_NAME/);
    expect(() => loadConfig({ ...sms, SMS_PROVIDER: 'twilio' })).toThrow(/SMS_PROVIDER/);
    expect(() => loadConfig({ ...sms, WEBHOOK_ALLOWED_HOSTS: 'qyapi.weixin.qq.com' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadConfig({ ...sms, SMS_PROVIDER: 'tencent', SMS_TEMPLATE_CODE: '654321' })).toThrow(
      /SMS_SDK_APP_ID/,
    );
  });
});
