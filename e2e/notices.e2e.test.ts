import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startFakeWecom, type FakeWecom } from '../test/support/fake-wecom.js';
import { horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** A button's name: antd puts a space between the two characters of a two-character label (撤 回). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

const WECOM = '钟祥市卫健局特扶工作企业微信群';
const QQ = '钟祥市连心家园QQ群';
const KEY = '6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5';
// The outbox job runs every 3 s; a loaded two-core machine may need a few rounds.
const DELIVERY = { timeout: 45_000, interval: 500 };
const TITLE = '联系人制度工作例会通知（第二期）';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

let fake: FakeWecom;

async function signedIn(browser: Browser, url: string, username: string, password: string, viewport?: typeof PHONE) {
  const context = await newContext(browser, url, viewport);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await login(page, username, password);
  return { context, page, errors };
}

/** County staff draft a notice to the given groups and submit it; answers the notice's path. */
async function draftAndSubmit(page: Page, title: string, groups: string[]): Promise<string> {
  await page.goto('/notices');
  await page
    .getByRole('button', { name: '起草公告' })
    .or(page.getByRole('link', { name: '起草公告' }))
    .click();
  await page.getByTestId('notice-editor').waitFor();
  await page.getByLabel('标题').fill(title);
  await page.getByLabel('正文（Markdown）').fill('## 安排\n\n本周五下午 **3 点**在县卫健局三楼会议室召开工作例会。');
  for (const g of groups) await page.getByRole('checkbox', { name: new RegExp(g) }).check();
  await page.getByRole('checkbox', { name: /不含涉密内容/ }).check();
  await page.getByRole('button', { name: '提交审批' }).click();
  await page.getByTestId('notice-page').waitFor();
  await expect.poll(() => page.getByTestId('notice-status').textContent()).toBe('待审批');
  return new URL(page.url()).pathname;
}

async function approve(page: Page, path: string) {
  await page.goto(path);
  const card = page.getByTestId('approval-card');
  await card.waitFor();
  await card.getByRole('button', { name: '审批通过' }).click();
  const confirm = page.locator('.ant-modal-confirm');
  await waitForMotion(page.locator('.ant-modal').last());
  await confirm.getByRole('button', { name: '审批通过' }).click();
  await expect.poll(() => page.getByTestId('notice-status').textContent()).toBe('已发布');
}

const deliveryStatus = (page: Page, group: string) =>
  page.getByTestId('deliveries').getByRole('listitem').filter({ hasText: group }).getByTestId('delivery-status');

describe('notices in the browser', () => {
  const journey = setupJourney(async () => {
    fake = await startFakeWecom();
    // The e2e server as `npm start` with the scheduler: its outbox job pushes to this local fake robot.
    return { env: { WECOM_WEBHOOK_BASE: fake.base, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }, jobs: true };
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a robot key set once, a draft submitted, approved by the county leader and delivered to the WeCom group', async () => {
    const staff = await signedIn(journey.browser, journey.url, 'demo_county', journey.demoPassword);
    const { page } = staff;

    // 渠道管理: the demo WeCom group gets a working robot key; a whole webhook URL is refused on the field.
    await page.goto('/channels');
    const card = page.getByTestId('channel-card').filter({ hasText: WECOM });
    await card.getByRole('button', { name: `编辑 ${WECOM}` }).click();
    const dialog = page.getByRole('dialog', { name: `编辑：${WECOM}` });
    await waitForMotion(page.locator('.ant-modal').last());
    const keyField = dialog.getByLabel('新的群机器人 key');
    await keyField.fill(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`);
    await dialog.getByRole('button', { name: named('保存') }).click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').allTextContents())
      .toEqual([expect.stringMatching(/key=.*93000/)]);
    await keyField.fill(KEY);
    await dialog.getByRole('button', { name: named('保存') }).click();
    await expect.poll(() => card.textContent()).toContain(`key ****${KEY.slice(-4)}`);
    expect(await page.locator('body').textContent()).not.toContain(KEY);

    // The editor shows the server's refusals on their fields: a classified marking in the body.
    await page.goto('/notices/new');
    await page.getByLabel('标题').fill('工作例会通知');
    await page.getByLabel('正文（Markdown）').fill('本通知属机密文件。');
    await page.getByRole('checkbox', { name: /不含涉密内容/ }).check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error').allTextContents())
      .toContainEqual(expect.stringContaining('密级标志“机密”'));
    // The preview renders the Markdown, and markup typed into the body stays text.
    await page.getByLabel('正文（Markdown）').fill('本周五下午 **3 点**开会，议程见附件。<img src=x>');
    const preview = page.getByTestId('notice-preview');
    await expect.poll(() => preview.locator('strong').textContent()).toBe('3 点');
    expect(await preview.locator('img').count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x>');
    await page.getByLabel('标题').fill(TITLE);
    for (const g of [WECOM, QQ]) await page.getByRole('checkbox', { name: new RegExp(g) }).check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/notices\/[^/]+\/edit$/);

    // Attachments go through the API's upload, checked by content: an executable renamed .pdf is refused.
    const file = page.locator('input[type=file]');
    await file.setInputFiles({ name: '议程.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03') });
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error').allTextContents())
      .toContainEqual(expect.stringContaining('按文件内容识别'));
    await file.setInputFiles({ name: '议程.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => page.getByText('议程.pdf').count()).toBe(1);
    await page.getByRole('checkbox', { name: /不含涉密内容/ }).check();
    await page.getByRole('button', { name: '提交审批' }).click();
    await page.getByTestId('notice-page').waitFor();
    await expect.poll(() => page.getByTestId('notice-status').textContent()).toBe('待审批');
    const path = new URL(page.url()).pathname;
    // County staff cannot approve: no approval view for them.
    expect(await page.getByTestId('approval-card').count()).toBe(0);

    const leader = await signedIn(journey.browser, journey.url, 'demo_county_leader', journey.demoPassword);
    await leader.page.goto('/notices?status=submitted');
    await leader.page.getByTestId('notices-table').getByRole('link', { name: TITLE }).click();
    await leader.page.getByTestId('approval-card').waitFor();
    await approve(leader.page, path);

    // The outbox sends after the commit; the page asks again while the push is pending.
    await expect.poll(() => deliveryStatus(leader.page, WECOM).textContent(), DELIVERY).toBe('已送达');
    // The markdown, then the attachment: upload_media and the file message.
    const sends = fake.requests.filter((r) => r.query.key === KEY);
    expect(sends.map((r) => r.path.split('/').at(-1))).toEqual(['send', 'upload_media', 'send']);
    expect(sends[0].json).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining(TITLE) } });
    expect(sends[2].json).toMatchObject({ msgtype: 'file' });

    // The QQ group: ready-to-paste text, the printable sheet, and the administrator marks it posted.
    await page.goto(path);
    const qq = page.getByTestId('deliveries').getByRole('listitem').filter({ hasText: QQ });
    await expect.poll(() => deliveryStatus(page, QQ).textContent()).toBe('待群管理员张贴');
    await qq.getByText('查看张贴文本').click();
    expect(await qq.getByLabel(`${QQ}张贴文本`).inputValue()).toContain(`【${TITLE}】`);
    await qq.getByRole('link', { name: /张贴单/ }).click();
    await expect.poll(() => page.getByTestId('notice-sheet').textContent()).toContain('张贴人');
    await page.goBack();
    await qq.getByRole('button', { name: '标记已发布' }).click();
    await waitForMotion(page.locator('.ant-modal').last());
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '标记已发布' }).click();
    await expect.poll(() => deliveryStatus(page, QQ).textContent()).toBe('已张贴');
    await expect.poll(() => qq.textContent()).toContain('演示县级工作人员 于');

    // A contact reads it on the county's board; the staff see who has read it.
    const contact = await signedIn(journey.browser, journey.url, 'demo_contact', journey.demoPassword);
    await contact.page.goto('/notice-board');
    await contact.page.getByTestId('notice-board').getByRole('link', { name: TITLE }).click();
    await contact.page.getByRole('button', { name: '我已阅读' }).click();
    await expect.poll(() => contact.page.getByRole('button', { name: '已阅读' }).isDisabled()).toBe(true);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('reads').getByRole('row').filter({ hasText: '演示联系人' }).textContent())
      .not.toContain('未读');

    // History: draft → approval → deliveries.
    const history = await page.getByTestId('history').textContent();
    expect(history).toMatch(/起草[\s\S]*提交审批[\s\S]*审批通过[\s\S]*发布/);
    expect(history).toContain(`${WECOM} 群机器人推送已送达`);
    expect(history).toContain('群管理员已张贴');

    expect([...staff.errors, ...leader.errors, ...contact.errors]).toEqual([]);
    await Promise.all([staff.context.close(), leader.context.close(), contact.context.close()]);
  }, 150_000);

  it('the same journey on a 360 px phone', async () => {
    const staff = await signedIn(journey.browser, journey.url, 'demo_county', journey.demoPassword, PHONE);
    const path = await draftAndSubmit(staff.page, '手机上起草的通知', [WECOM]);
    expect((await horizontalOverflow(staff.page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    const leader = await signedIn(journey.browser, journey.url, 'demo_county_leader', journey.demoPassword, PHONE);
    await approve(leader.page, path);
    await expect.poll(() => deliveryStatus(leader.page, WECOM).textContent(), DELIVERY).toBe('已送达');
    expect((await horizontalOverflow(leader.page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    // The group's robot key is whichever the registry holds (the first journey set it): the message is the proof.
    expect(fake.requests.some((r) => JSON.stringify(r.json).includes('手机上起草的通知'))).toBe(true);

    await staff.page.goto('/channels');
    await staff.page.getByTestId('channel-card').first().waitFor();
    expect((await horizontalOverflow(staff.page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect([...staff.errors, ...leader.errors]).toEqual([]);
    await Promise.all([staff.context.close(), leader.context.close()]);
  }, 120_000);
  it('the leader returns a notice with a reason, the author finds it under 已退回; a published one is withdrawn', async () => {
    const leader = await signedIn(journey.browser, journey.url, 'demo_county_leader', journey.demoPassword);
    await leader.page.goto('/notices?status=submitted');
    await leader.page.getByTestId('notices-table').getByRole('link', { name: '免费健康体检安排' }).click();
    await leader.page.getByTestId('approval-card').getByRole('button', { name: '退回修改' }).click();
    const dialog = leader.page.getByRole('dialog', { name: '退回公告' });
    await waitForMotion(leader.page.locator('.ant-modal').last());
    await dialog.getByLabel('原因').fill('请写明预约电话');
    await dialog.getByRole('button', { name: named('退回') }).click();
    await expect.poll(() => leader.page.getByTestId('notice-status').textContent()).toBe('已退回');

    const staff = await signedIn(journey.browser, journey.url, 'demo_county', journey.demoPassword);
    await staff.page.goto('/notices?status=returned');
    await staff.page.getByTestId('notices-table').getByRole('link', { name: '免费健康体检安排' }).click();
    await expect.poll(() => staff.page.getByTestId('return-reason').textContent()).toContain('请写明预约电话');
    await staff.page
      .getByTestId('notice-actions')
      .getByRole('link', { name: /修\s*改/ })
      .click();
    await expect.poll(() => staff.page.getByTestId('return-reason').textContent()).toContain('请写明预约电话');

    // Editing a group with a family co-administrator keeps the sealed phone the form only shows masked.
    const WECHAT = '钟祥市特扶家庭暖心微信群';
    await staff.page.goto('/channels');
    const wechat = staff.page.getByTestId('channel-card').filter({ hasText: WECHAT });
    await wechat.getByRole('button', { name: `编辑 ${WECHAT}` }).click();
    const form = staff.page.getByRole('dialog', { name: `编辑：${WECHAT}` });
    await waitForMotion(staff.page.locator('.ant-modal').last());
    expect(await form.getByLabel('家庭成员电话').getAttribute('placeholder')).toContain('138****0001');
    await form.getByLabel('人数').fill('91');
    await form.getByRole('button', { name: named('保存') }).click();
    await expect.poll(() => wechat.textContent()).toContain('91');
    expect(await wechat.textContent()).toContain('王桂兰家庭成员138****0001');

    await staff.page.goto('/notices?status=published');
    await staff.page.getByTestId('notices-table').getByRole('link', { name: '冬季防寒保暖温馨提示' }).click();
    await staff.page
      .getByTestId('notice-actions')
      .getByRole('button', { name: /撤\s*回/ })
      .click();
    const withdraw = staff.page.getByRole('dialog', { name: '撤回公告' });
    await waitForMotion(staff.page.locator('.ant-modal').last());
    await withdraw.getByLabel('原因').fill('天气转暖，另行通知');
    await withdraw.getByRole('button', { name: named('撤回') }).click();
    await expect.poll(() => staff.page.getByTestId('notice-status').textContent()).toBe('已撤回');
    await expect.poll(() => staff.page.getByTestId('history').textContent()).toContain('撤回：天气转暖，另行通知');
    expect([...staff.errors, ...leader.errors]).toEqual([]);
    await Promise.all([staff.context.close(), leader.context.close()]);
  }, 120_000);
});
