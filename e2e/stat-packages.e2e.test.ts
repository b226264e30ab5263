import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSignedAndEnveloped, parseSignedAndEnveloped } from '../server/platform/crypto/gm-envelope.js';
import { deriveKeySet } from '../server/platform/crypto/keys.js';
import { sm2PublicKeyToPem } from '../server/platform/crypto/sm2-pem.js';
import { createSoftwareCryptoProvider } from '../server/platform/crypto/software-provider.js';
import { DEMO_COUNTY, DEMO_PREFECTURE } from '../server/demo/seed-demo.js';
import { encodeContent, PACKAGE_FORMAT } from '../server/modules/stat-packages/package-content.js';
import { DESKTOP, login, newContext } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('报表包导入 (R9)', () => {
  const journey = setupJourney();

  it('the city registers a county instance’s key, imports its package, sees the signer and figures, and a flipped byte is refused', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_prefecture', journey.demoPassword);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '报表包导入' }).click();
    await page.waitForURL('**/stat-return-packages');

    // The county runs its own instance: its own provider and key pair, here in the test process.
    const county = createSoftwareCryptoProvider(deriveKeySet(randomBytes(32)));
    const countyKey = county.sm2GenerateKeyPair('county-instance');
    await page.getByLabel('对方区划代码').fill(DEMO_COUNTY);
    await page.getByLabel('对方 SM2 公钥（PEM）').fill(sm2PublicKeyToPem(countyKey.publicKey));
    await page.getByLabel('登记原因').fill('县自建平台');
    await page.getByRole('button', { name: /登记公钥/ }).click();
    await expect.poll(() => page.getByText(/已登记 .* 的公钥/).isVisible()).toBe(true);

    // The city's public key, as the county got it from the page (GET …/public-key).
    const cityKey = (
      (await (await context.request.get(`/api/v1/regions/${DEMO_PREFECTURE}/public-key`)).json()) as {
        data: { publicKey: string; publicKeyPem: string };
      }
    ).data;
    expect(await page.locator('textarea[readonly]').inputValue()).toBe(cityKey.publicKeyPem);

    const pkg = buildSignedAndEnveloped(county, {
      content: encodeContent({
        format: PACKAGE_FORMAT,
        returnId: 'county-instance-1',
        template: 'annual',
        period: '2025',
        regionCode: DEMO_COUNTY,
        regionName: '演示县',
        status: 'approved',
        submittedAt: '2026-04-20T02:00:00.000Z',
        approvedAt: '2026-04-25T02:00:00.000Z',
        figures: { families_active: 321, home_visit_rate: 97.2 },
        definitionVersions: { families_active: 1, home_visit_rate: 1 },
        remarks: null,
        preparedBy: '王填表',
        responsiblePerson: '李负责',
        toRegionCode: DEMO_PREFECTURE,
        packedAt: '2026-04-26T02:00:00.000Z',
      }),
      sender: { regionCode: DEMO_COUNTY, aad: 'county-instance', ...countyKey },
      recipient: { regionCode: DEMO_PREFECTURE, publicKey: cityKey.publicKey },
      signingTime: new Date(),
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-pkg-'));
    const good = path.join(dir, '统计报表包.der');
    writeFileSync(good, pkg);
    await page.locator('input[type=file]').setInputFiles(good);
    const verified = page.getByTestId('package-verified');
    await verified.waitFor();
    expect(await page.getByTestId('package-signer').textContent()).toContain(`（${DEMO_COUNTY}）`);
    expect(await verified.textContent()).toContain('321');
    expect(await verified.textContent()).toContain('签名有效');

    // The county runs its own instance: the verified package becomes its submitted return here, for review.
    await verified.getByRole('button', { name: '作为下级上报接收' }).click();
    const accepted = page.getByTestId('package-accepted');
    await accepted.waitFor();
    await accepted.getByRole('link', { name: '前往审核' }).click();
    await page.waitForURL(/\/stat-returns\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: '审核通过' }).waitFor();
    expect(await page.getByText('321').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => page.getByRole('button', { name: '审核通过' }).count()).toBe(0);
    await page.goto('/stat-return-packages');

    // One byte of the encrypted content flipped: refused with the reason, nothing shown as verified.
    const { encryptedContent } = parseSignedAndEnveloped(pkg);
    const bad = Buffer.from(pkg);
    bad[pkg.indexOf(encryptedContent) + 5] ^= 0x01;
    const tampered = path.join(dir, '被改动的报表包.der');
    writeFileSync(tampered, bad);
    await page.locator('input[type=file]').setInputFiles(tampered);
    const refusal = page.getByTestId('package-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/篡改/);
    expect(await verified.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
