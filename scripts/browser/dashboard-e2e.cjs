// Drives the live dashboard in Debian's headless Chromium for DashboardBrowserIT (never a downloaded browser).
//
// Env: BASE_URL (…/migrations/), SOURCE and TARGET (the run's collections), TOKEN (the operator token),
// SHOT_DIR (where screenshots go). Prints READY once the page is up (the test then starts the migration),
// and RESULT {json} at the end; exits non-zero with the reason on any failed expectation.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`missing env ${name}`);
  return v;
};

async function main() {
  const baseUrl = env('BASE_URL');
  const source = env('SOURCE');
  const target = env('TARGET');
  const token = env('TOKEN');
  const shotDir = env('SHOT_DIR');
  fs.mkdirSync(shotDir, { recursive: true });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const result = { progressSeen: [], dialogs: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('dialog', async (d) => { result.dialogs.push(d.message()); await d.accept(); });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(baseUrl);
    await page.locator('h1').waitFor();
    console.log('READY');

    // the run appears in the list: select it
    const row = page.locator('#runs tbody tr', { hasText: source });
    await row.waitFor({ timeout: 120_000 });
    await row.click();

    // watch the bar until the copy is verified and waits for the manual cutover
    const title = page.locator('#detail-title');
    const label = page.locator('#bar-label');
    const deadline = Date.now() + 180_000;
    for (;;) {
      const pct = (await label.textContent()) || '';
      if (pct && result.progressSeen[result.progressSeen.length - 1] !== pct) result.progressSeen.push(pct);
      const t = (await title.textContent()) || '';
      if (t.includes(source) && t.includes('ready-for-cutover') && pct === '100%') break;
      if (t.includes('failed') || t.includes('cancelled')) throw new Error(`run ended: ${t}`);
      if (Date.now() > deadline) throw new Error(`bar stuck at ${pct} (${t}); seen ${result.progressSeen}`);
      await page.waitForTimeout(150);
    }
    await page.locator('#chart polyline').waitFor();
    result.chartPoints = ((await page.locator('#chart polyline').getAttribute('points')) || '').trim().split(/\s+/).length;
    result.aliasBefore = await page.locator('#alias-target').textContent();
    await page.locator('#verification', { hasText: 'sourcePoints' }).waitFor({ timeout: 15_000 });
    result.verification = await page.locator('#verification').textContent();
    const finished = path.join(shotDir, 'finished-run.png');
    await page.screenshot({ path: finished, fullPage: true, animations: 'disabled' });
    result.screenshots = [finished];

    // without the token the action is refused and nothing changes
    await page.locator('#token').fill('');
    await page.locator('button[data-action="cutover"]').click();
    await page.locator('#action-result', { hasText: 'refused (403)' }).waitFor({ timeout: 15_000 });
    result.refusedWithoutToken = await page.locator('#action-result').textContent();

    // with the token: confirm, and the alias moves to the target
    await page.locator('#token').fill(token);
    await page.locator('button[data-action="cutover"]').click();
    await page.locator('#action-result', { hasText: 'cutover: sent' }).waitFor({ timeout: 15_000 });
    await page.locator('#alias-target', { hasText: target }).waitFor({ timeout: 60_000 });
    await page.locator('#detail-title', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    result.aliasAfter = await page.locator('#alias-target').textContent();
    const after = path.join(shotDir, 'after-cutover.png');
    await page.screenshot({ path: after, fullPage: true, animations: 'disabled' });
    result.screenshots.push(after);
    // the page never writes the token into its markup (it stays in the password field)
    result.tokenInMarkup = (await page.content()).includes(token);
  } finally {
    await browser.close();
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.log(`FAILED ${e.stack || e}`);
  process.exit(1);
});
