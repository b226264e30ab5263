import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildZip } from '../fixtures/zip-builder.js';
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.js';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { multipartBody } from '../support/uploads.js';
import { loadConfig } from '../../server/platform/config.js';

// R10 end to end: channel registry, the approval chain, the outbox and a real HTTP fake of the WeCom robot.
let t: TestApp;
let fake: FakeWecom;
let tree: RegionTree;
let staff: Session;
let leader: Session;
const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'.replace(/x/g, 'a');

beforeAll(async () => {
  fake = await startFakeWecom();
  const outbound = loadConfig({
    WECOM_WEBHOOK_BASE: fake.base,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '2000',
  }).outbound;
  t = await createTestApp({ config: { outbound, publicUrl: 'https://gh.example.gov.cn' } });
  tree = await buildRegionTree(t.db);
  staff = await t.signIn('county_staff', tree.county);
  leader = await t.signIn('county_leader', tree.county);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});
// The clock moves by hours in the retry tests: a fresh sign-in per test keeps sessions alive.
beforeEach(async () => {
  fake.reset();
  staff = await t.signIn('county_staff', tree.county);
  leader = await t.signIn('county_leader', tree.county);
});

async function wecomChannel(name = '企业微信群', key = KEY) {
  const res = await staff.post('/api/v1/channels', {
    regionCode: tree.county,
    kind: 'wecom_group',
    name,
    robotKey: key,
  });
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; version: number };
}

async function published(
  channelIds: string[],
  body = '请各位按时参加体检。',
  files: Array<{ name: string; content: Buffer }> = [],
) {
  const created = await staff.post('/api/v1/notices', {
    regionCode: tree.county,
    title: '关于开展年度免费体检的通知',
    body,
    channelIds,
    confidentiality: 'public',
    declaredNotClassified: true,
  });
  expect(created.statusCode).toBe(201);
  let notice = created.json().data;
  for (const f of files) {
    const res = await upload(staff, notice.id, notice.version, f);
    expect(res.statusCode).toBe(201);
    notice = res.json().data;
  }
  const submitted = await staff.post(`/api/v1/notices/${notice.id}/submit`, { version: notice.version });
  expect(submitted.statusCode).toBe(200);
  const approved = await leader.post(`/api/v1/notices/${notice.id}/approve`, {
    version: submitted.json().data.version,
  });
  expect(approved.statusCode).toBe(200);
  return approved.json().data as { id: string; status: string; version: number };
}

function upload(s: Session, id: string, version: number, file: { name: string; content: Buffer }) {
  const { payload, contentType } = multipartBody({ version: String(version) }, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/notices/${id}/attachments`,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': contentType },
    payload,
  });
}

function pdf(text: string): Buffer {
  const stream = deflateSync(Buffer.from(`BT (${text}) Tj ET`, 'utf8'));
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n1 0 obj << /Length 10 /Filter /FlateDecode >>\nstream\n'),
    stream,
    Buffer.from('\nendstream\nendobj\n%%EOF\n'),
  ]);
}
const docx = (text: string) =>
  buildZip([
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
    {
      name: 'word/document.xml',
      data: `<w:document><w:body><w:p><w:r><w:t>${text.slice(0, 1)}</w:t></w:r><w:r><w:t>${text.slice(1)}</w:t></w:r></w:p></w:body></w:document>`,
    },
  ]);
const deliveries = async (id: string) => (await staff.get(`/api/v1/notices/${id}/deliveries`)).json().data;

describe('the channel registry', () => {
  it('keeps the robot key sealed and shows only its last 4 characters', async () => {
    const ch = await wecomChannel();
    const body = (await staff.get(`/api/v1/channels/${ch.id}`)).body;
    expect(body).not.toContain(KEY);
    expect(JSON.parse(body).data).toMatchObject({ hasRobotKey: true, robotKeyLast4: KEY.slice(-4) });
    const row = await t.db.selectFrom('channels').selectAll().where('id', '=', ch.id).executeTakeFirstOrThrow();
    expect(row.robot_key_enc).not.toContain(KEY);
    const audit = await t.db.selectFrom('audit_events').select('changes').where('target_id', '=', ch.id).execute();
    expect(JSON.stringify(audit)).not.toContain(KEY);
  });

  it('refuses a whole webhook URL pasted as the key, explaining the 93000 mistake', async () => {
    const res = await staff.post('/api/v1/channels', {
      regionCode: tree.county,
      kind: 'wecom_group',
      name: '错填的群',
      robotKey: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('robotKey');
    expect(res.json().error.details[0].message).toMatch(/key=.*93000/);
    const qq = await staff.post('/api/v1/channels', {
      regionCode: tree.county,
      kind: 'qq_group',
      name: 'QQ',
      robotKey: KEY,
    });
    expect(qq.json().error.details[0]).toMatchObject({ path: 'robotKey', code: 'ROBOT_KEY_KIND' });
  });

  it('lists administrators with masked phones, checks versions, and flags counties with no channel', async () => {
    const res = await staff.post('/api/v1/channels', {
      regionCode: tree.county,
      kind: 'wechat_group',
      name: '连心家园微信群',
      number: 'lxjy2016',
      size: 86,
      createdOn: '2016-12-01',
      admins: [
        { kind: 'staff', userId: staff.user.id, name: '县卫健局张干事' },
        { kind: 'family', name: '王桂兰', phone: '13807150001' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const ch = res.json().data;
    expect(res.body).not.toContain('13807150001');
    expect(ch.admins[1]).toMatchObject({ kind: 'family', phoneMask: '138****0001' });
    const stale = await staff.patch(`/api/v1/channels/${ch.id}`, { version: 9, size: 90 });
    expect(stale.statusCode).toBe(409);
    const ok = await staff.patch(`/api/v1/channels/${ch.id}`, { version: 1, size: 90 });
    expect(ok.json().data).toMatchObject({ size: 90, version: 2 });
    const outsider = await staff.post('/api/v1/channels', {
      regionCode: tree.county,
      kind: 'qq_group',
      name: 'x',
      admins: [{ kind: 'staff', userId: (await t.signIn('county_staff', tree.siblingCounty)).user.id, name: '外县' }],
    });
    expect(outsider.json().error.details[0].path).toBe('admins.0.userId');

    // The form only knows the mask: an edit that reorders the administrators keeps the stored phone.
    const reordered = await staff.patch(`/api/v1/channels/${ch.id}`, {
      version: 2,
      admins: [
        { kind: 'family', name: '王桂兰', keepPhoneOf: 1 },
        { kind: 'staff', userId: staff.user.id, name: '县卫健局张干事' },
      ],
    });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().data.admins[0]).toMatchObject({ kind: 'family', phoneMask: '138****0001' });
    const stored = await t.db.selectFrom('channels').select('admins').where('id', '=', ch.id).executeTakeFirstOrThrow();
    const [family] = JSON.parse(stored.admins) as { phoneEnc: string }[];
    expect(t.app.platform.crypto.decrypt(family.phoneEnc, `channels.admins:${ch.id}:0`)).toBe('13807150001');
    const missing = await staff.patch(`/api/v1/channels/${ch.id}`, {
      version: 3,
      admins: [{ kind: 'family', name: '王桂兰', keepPhoneOf: 5 }],
    });
    expect(missing.json().error.details[0].path).toBe('admins.0.keepPhoneOf');

    // The form's staff picker: the county's staff and leaders, not another county's.
    const leaderOfSibling = await t.signIn('county_leader', tree.siblingCounty);
    const candidates = (await staff.get(`/api/v1/channels/admin-candidates?regionCode=${tree.county}`)).json().data;
    expect(candidates.map((u: { userId: string }) => u.userId)).toEqual(
      expect.arrayContaining([staff.user.id, leader.user.id]),
    );
    expect(candidates.map((u: { userId: string }) => u.userId)).not.toContain(leaderOfSibling.user.id);
    expect(candidates.every((u: { role: string }) => ['county_staff', 'county_leader'].includes(u.role))).toBe(true);

    const city = await t.signIn('prefecture_staff', tree.prefecture);
    const coverage = (await city.get(`/api/v1/channels/coverage?regionCode=${tree.prefecture}`)).json().data;
    expect(coverage.children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ regionCode: tree.county, hasChannel: true }),
        expect.objectContaining({ regionCode: tree.siblingCounty, hasChannel: false, channels: 0 }),
      ]),
    );
    expect(
      (await t.signIn('township_staff', tree.township)).get(`/api/v1/channels?regionCode=${tree.township}`),
    ).toBeDefined();
  });
});

describe('the approval chain', () => {
  it('refuses a notice without the declaration or with classified markings', async () => {
    const base = { regionCode: tree.county, title: '通知', body: '正文', channelIds: [], confidentiality: 'public' };
    const missing = await staff.post('/api/v1/notices', base);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('declaredNotClassified');
    const marked = await staff.post('/api/v1/notices', {
      ...base,
      body: '本文件属机密，注意保管',
      declaredNotClassified: true,
    });
    expect(marked.statusCode).toBe(400);
    expect(marked.json().error.details[0]).toMatchObject({ path: 'body', code: 'CLASSIFIED' });
    const ch = await wecomChannel('内部测试群');
    const internal = await staff.post('/api/v1/notices', {
      ...base,
      confidentiality: 'internal',
      channelIds: [ch.id],
      declaredNotClassified: true,
    });
    expect(internal.json().error.details[0]).toMatchObject({ path: 'channelIds', code: 'INTERNAL_NO_CHANNELS' });
  });

  it('lets only the county leader approve, never the author, and returns with a reason', async () => {
    const created = (
      await staff.post('/api/v1/notices', {
        regionCode: tree.county,
        title: '慰问金发放通知',
        body: '# 发放安排\n\n**12 月 20 日**前发放到位。',
        channelIds: [],
        confidentiality: 'internal',
        declaredNotClassified: true,
      })
    ).json().data;
    expect(created).toMatchObject({ status: 'draft', version: 1, abilities: { submit: true, approve: false } });
    const submitted = (await staff.post(`/api/v1/notices/${created.id}/submit`, { version: 1 })).json().data;
    expect(submitted.status).toBe('submitted');
    expect((await staff.post(`/api/v1/notices/${created.id}/submit`, { version: 1 })).statusCode).toBe(409);
    const again = await staff.post(`/api/v1/notices/${created.id}/submit`, { version: 2 });
    expect(again.json().error.code).toBe('INVALID_STATE');
    expect((await staff.post(`/api/v1/notices/${created.id}/approve`, { version: 2 })).statusCode).toBe(403);
    const bell = (await leader.get('/api/v1/notifications?unread=true')).json().data;
    expect(bell.map((n: { kind: string; link: string }) => [n.kind, n.link])).toContainEqual([
      'notice_awaiting_approval',
      `/notices/${created.id}`,
    ]);

    const returned = await leader.post(`/api/v1/notices/${created.id}/return`, {
      version: 2,
      reason: '请补充发放标准',
    });
    expect(returned.json().data).toMatchObject({ status: 'draft', statusReason: '请补充发放标准' });
    const authorBell = (await staff.get('/api/v1/notifications?unread=true')).json().data;
    expect(authorBell.find((n: { kind: string }) => n.kind === 'notice_returned').body).toContain('请补充发放标准');
    // 已退回 is a filter of its own (a draft carrying the leader's reason); 草稿 lists it too; q searches titles.
    const ids = async (query: string) =>
      (await staff.get(`/api/v1/notices?regionCode=${tree.county}&${query}`))
        .json()
        .data.map((n: { id: string }) => n.id);
    expect(await ids('status=returned')).toContain(created.id);
    expect(await ids('status=draft')).toContain(created.id);
    expect(await ids('status=submitted')).not.toContain(created.id);
    expect(await ids(`q=${encodeURIComponent('慰问金')}`)).toContain(created.id);
    expect(await ids(`q=${encodeURIComponent('不存在的标题%')}`)).toEqual([]);

    // A leader who drafts cannot approve their own notice either.
    const own = (
      await leader.post('/api/v1/notices', {
        ...{ regionCode: tree.county, title: '自拟', body: '正文', channelIds: [] },
        confidentiality: 'internal',
        declaredNotClassified: true,
      })
    ).json().data;
    await leader.post(`/api/v1/notices/${own.id}/submit`, { version: 1 });
    const self = await leader.post(`/api/v1/notices/${own.id}/approve`, { version: 2 });
    expect(self.statusCode).toBe(403);

    const edited = await staff.patch(`/api/v1/notices/${created.id}`, {
      version: 3,
      body: '# 发放安排\n\n每户 500 元，**12 月 20 日**前发放到位。',
      declaredNotClassified: true,
    });
    expect(edited.statusCode).toBe(200);
    await staff.post(`/api/v1/notices/${created.id}/submit`, { version: 4 });
    const approved = (await leader.post(`/api/v1/notices/${created.id}/approve`, { version: 5 })).json().data;
    expect(approved).toMatchObject({ status: 'published', approverName: expect.any(String) });
    expect(approved.history.map((h: { action: string }) => h.action)).toEqual([
      '起草',
      '提交审批',
      '退回修改',
      '修改',
      '提交审批',
      '审批通过',
      '发布',
    ]);
    const withdrawn = await staff.post(`/api/v1/notices/${created.id}/withdraw`, { version: 6, reason: '标准调整' });
    expect(withdrawn.json().data).toMatchObject({ status: 'withdrawn', statusReason: '标准调整' });
  });

  it('checks attachments by content, size and markings', async () => {
    const n = (
      await staff.post('/api/v1/notices', {
        regionCode: tree.county,
        title: '附件测试',
        body: '见附件',
        channelIds: [],
        confidentiality: 'internal',
        declaredNotClassified: true,
      })
    ).json().data;
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]);
    const renamed = await upload(staff, n.id, 1, { name: '政策解读.pdf', content: exe });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().error.details[0]).toMatchObject({ path: 'file', code: 'FILE_TYPE' });
    const big = await upload(staff, n.id, 1, {
      name: '大文件.pdf',
      content: Buffer.concat([pdf('x'), Buffer.alloc(11 * 1024 * 1024)]),
    });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.details[0].code).toBe('FILE_TOO_LARGE');
    const secret = await upload(staff, n.id, 1, { name: '名单.docx', content: await docx('秘密') });
    expect(secret.json().error.details[0].code).toBe('CLASSIFIED');
    const secretPdf = await upload(staff, n.id, 1, { name: '文件.pdf', content: pdf('绝密') });
    expect(secretPdf.json().error.details[0].code).toBe('CLASSIFIED');
    const ok = await upload(staff, n.id, 1, { name: '体检须知.pdf', content: pdf('体检须知') });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.attachments).toEqual([
      expect.objectContaining({ fileName: '体检须知.pdf', fileType: 'pdf' }),
    ]);
    const doc = await upload(staff, n.id, 2, { name: '报名表.docx', content: await docx('报名') });
    expect(doc.json().data.attachments).toHaveLength(2);
  });
});

describe('delivery through the outbox', () => {
  it('sends the markdown and the file to the robot after commit, once', async () => {
    const ch = await wecomChannel('投递群');
    const n = await published([ch.id], '请各位按时参加体检。', [{ name: '须知.pdf', content: pdf('须知') }]);
    expect(fake.requests).toHaveLength(0);
    expect(await deliveries(n.id)).toEqual([
      expect.objectContaining({ channelId: ch.id, status: 'pending', attempts: 0 }),
    ]);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests.map((r) => [r.path, r.query.key])).toEqual([
      ['/cgi-bin/webhook/send', KEY],
      ['/cgi-bin/webhook/upload_media', KEY],
      ['/cgi-bin/webhook/send', KEY],
    ]);
    expect(fake.requests[0].json).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('**关于开展年度免费体检的通知**') },
    });
    expect(fake.requests[1].query.type).toBe('file');
    expect(fake.requests[1].contentType).toMatch(/multipart\/form-data/);
    expect(fake.requests[1].body.toString('latin1')).toContain('name="media"');
    expect(fake.requests[2].json).toEqual({ msgtype: 'file', file: { media_id: 'media-1' } });
    expect(await deliveries(n.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, lastError: null })]);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(3);
  });

  it('sends a long notice as a summary with the link, within 4,096 bytes', async () => {
    const ch = await wecomChannel('长文群');
    const n = await published([ch.id], '政策解读。'.repeat(1500));
    await t.app.services.deliveries.runOnce();
    const content = (fake.requests[0].json as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content).toContain(`https://gh.example.gov.cn/notices/${n.id}`);
  });

  it('retries 45009 immediately, after 5 s and 5 min, then succeeds', async () => {
    const ch = await wecomChannel('限流群');
    const n = await published([ch.id]);
    fake.next({ errcode: 45009, errmsg: 'api freq out of limit' }, { errcode: 45009 });
    await t.app.services.deliveries.runOnce();
    expect(await deliveries(n.id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastError: expect.stringContaining('45009') }),
    ]);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(1); // not before 5 s
    t.clock.advance(5_000);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(2);
    t.clock.advance(4 * 60_000);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(2); // 5 min not yet over
    t.clock.advance(60_000);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(3);
    expect(await deliveries(n.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 3 })]);
  });

  it('gives up after the 2 h retry on 45009, and fails 93000 at once, shown and notified', async () => {
    const ch = await wecomChannel('总限流群');
    const n = await published([ch.id]);
    fake.next(...Array.from({ length: 5 }, () => ({ errcode: 45009 })));
    for (const wait of [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000]) {
      t.clock.advance(wait);
      await t.app.services.deliveries.runOnce();
    }
    expect(fake.requests).toHaveLength(5);
    t.clock.advance(10 * 3_600_000);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(5);
    staff = await t.signIn('county_staff', tree.county);
    leader = await t.signIn('county_leader', tree.county);
    expect(await deliveries(n.id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 5 })]);

    const bad = await wecomChannel('错key群', 'wrongkey-0000');
    const m = await published([bad.id]);
    fake.next({ errcode: 93000, errmsg: 'invalid webhook url' });
    await t.app.services.deliveries.runOnce();
    const [d] = await deliveries(m.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('93000') });
    expect((await staff.get(`/api/v1/channels/${bad.id}`)).json().data).toMatchObject({ robotStatus: 'failed' });
    const bell = (await staff.get('/api/v1/notifications?unread=true&pageSize=100')).json().data;
    expect(
      bell.some((x: { kind: string; link: string }) => x.kind === 'delivery_failed' && x.link === `/notices/${m.id}`),
    ).toBe(true);
  });

  it('keeps to 20 messages a minute per robot', async () => {
    const ch = await wecomChannel('忙碌群');
    for (let i = 0; i < 21; i++) await published([ch.id], `第 ${i + 1} 条`);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(20);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(20);
    t.clock.advance(61_000);
    await t.app.services.deliveries.runOnce();
    expect(fake.requests).toHaveLength(21);
  });

  it('treats a hang and a 500 as transient, a redirect as permanent, and follows nothing', async () => {
    const ch = await wecomChannel('故障群');
    const moved = await published([ch.id], '重定向');
    fake.next({ redirect: `${fake.url}/elsewhere` });
    await t.app.services.deliveries.runOnce();
    expect((await deliveries(moved.id))[0]).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('重定向'),
    });
    expect(fake.requests.map((r) => r.path)).not.toContain('/elsewhere');

    const hang = await published([ch.id], '挂起');
    fake.next({ hang: true });
    await t.app.services.deliveries.runOnce();
    expect((await deliveries(hang.id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringContaining('超时'),
    });
    const err = await published([ch.id], '五百');
    fake.next({ status: 500 });
    await t.app.services.deliveries.runOnce();
    expect((await deliveries(err.id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringContaining('500'),
    });
    // Both come back after 5 s and go through.
    t.clock.advance(5_000);
    await t.app.services.deliveries.runOnce();
    expect((await deliveries(hang.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await deliveries(err.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    for (const r of await t.db.selectFrom('delivery_attempts').select('detail').execute())
      expect(r.detail ?? '').not.toContain(KEY);
    const outbox = await t.db.selectFrom('outbox').select(['payload', 'last_error']).execute();
    expect(JSON.stringify(outbox)).not.toContain(KEY);
  });

  it('offers QQ and WeChat groups ready-to-paste text, marked posted by the administrator', async () => {
    const qq = (
      await staff.post('/api/v1/channels', {
        regionCode: tree.county,
        kind: 'qq_group',
        name: '县特扶QQ群',
        number: '123456',
      })
    ).json().data;
    const n = await published([qq.id], '## 时间\n\n**12 月 1 日**');
    const [d] = await deliveries(n.id);
    expect(d).toMatchObject({
      mode: 'manual',
      status: 'pending',
      pasteText: expect.stringContaining('【关于开展年度免费体检的通知】'),
    });
    expect(d.pasteText).toContain('12 月 1 日');
    expect(d.pasteText).not.toContain('**');
    const posted = await staff.post(`/api/v1/notices/${n.id}/deliveries/${qq.id}/posted`);
    expect(posted.json().data[0]).toMatchObject({
      status: 'sent',
      postedByName: expect.any(String),
      postedAt: expect.any(String),
    });
  });

  it('refuses a host that is not allowed, as a failed delivery with the reason', async () => {
    const outbound = { ...t.config.outbound, allowedHosts: ['qyapi.weixin.qq.com'] };
    const other = await createTestApp({ config: { outbound } });
    try {
      const tr = await buildRegionTree(other.db);
      const s = await other.signIn('county_staff', tr.county);
      const l = await other.signIn('county_leader', tr.county);
      const ch = (
        await s.post('/api/v1/channels', { regionCode: tr.county, kind: 'wecom_group', name: 'x', robotKey: KEY })
      ).json().data;
      const n = (
        await s.post('/api/v1/notices', {
          regionCode: tr.county,
          title: 't',
          body: 'b',
          channelIds: [ch.id],
          confidentiality: 'public',
          declaredNotClassified: true,
        })
      ).json().data;
      await s.post(`/api/v1/notices/${n.id}/submit`, { version: 1 });
      await l.post(`/api/v1/notices/${n.id}/approve`, { version: 2 });
      await other.app.services.deliveries.runOnce();
      const [d] = (await s.get(`/api/v1/notices/${n.id}/deliveries`)).json().data;
      expect(d).toMatchObject({ status: 'failed', lastError: expect.stringContaining('不在允许列表') });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('the notice board', () => {
  it('shows the county’s published notices to its contacts and staff, with read receipts', async () => {
    const n = await published([], '内部事项');
    const contact = await t.signIn('contact', tree.village);
    const township = await t.signIn('township_staff', tree.township);
    const board = (await contact.get('/api/v1/notice-board')).json();
    expect(board.data.map((x: { id: string }) => x.id)).toContain(n.id);
    expect((await contact.post(`/api/v1/notices/${n.id}/read`)).json().data.isRead).toBe(true);
    const reads = (await staff.get(`/api/v1/notices/${n.id}/reads`)).json().data;
    expect(reads.readers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: contact.user.id, readAt: expect.any(String) }),
        expect.objectContaining({ userId: township.user.id, readAt: null }),
      ]),
    );
    const elsewhere = await t.signIn('contact', tree.siblingCounty.slice(0, 6) + '001001');
    expect((await elsewhere.get(`/api/v1/notices/${n.id}`)).statusCode).toBe(404);
    expect((await contact.get(`/api/v1/notices/${n.id}/deliveries`)).statusCode).toBe(404);
    const auditor = await t.signIn('auditor', tree.county);
    expect((await auditor.get('/api/v1/notice-board')).statusCode).toBe(403);
    expect((await auditor.get(`/api/v1/notices/${n.id}`)).statusCode).toBe(403);
  });
});
