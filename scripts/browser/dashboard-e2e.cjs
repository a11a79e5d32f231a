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
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  try {
    page.on('dialog', async (d) => { result.dialogs.push(d.message()); await d.accept(); });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(baseUrl);
    await page.locator('h1').waitFor();
    console.log('READY');

    // the run appears in the list: select it
    const row = page.locator('#runs tbody tr', { hasText: source });
    await row.waitFor({ timeout: 120_000 });
    await row.click();

    // watch the bar and the range map until the copy is verified and waits for the manual cutover
    const title = page.locator('#detail-title');
    const label = page.locator('#bar-label');
    const shot = async (name, locator) => {
      const file = path.join(shotDir, name);
      await (locator || page).screenshot({ path: file, animations: 'disabled', ...(locator ? {} : { fullPage: true }) });
      result.screenshots.push(file);
    };
    const stateCounts = () => page.$$eval('#range-map .cell', (cells) => cells.reduce((counts, c) => {
      const state = [...c.classList].find((k) => k.startsWith('s-')).slice(2);
      counts[state] = (counts[state] || 0) + 1;
      return counts;
    }, {}));
    result.screenshots = [];
    result.statesSeen = [];
    const deadline = Date.now() + 420_000; // a loaded machine copies and verifies slowly
    for (;;) {
      const pct = (await label.textContent()) || '';
      if (pct && result.progressSeen[result.progressSeen.length - 1] !== pct) result.progressSeen.push(pct);
      const counts = await stateCounts();
      Object.keys(counts).forEach((s) => { if (!result.statesSeen.includes(s)) result.statesSeen.push(s); });
      // mid-copy: the map shows ranges copied, in flight and waiting; hover one in flight, pin one copied
      if (!result.whileCopying && counts.copied >= 1 && counts.copying >= 1 && counts.pending >= 1) {
        result.whileCopying = counts;
        await page.locator('#range-map .cell.s-copying').first().hover();
        await page.locator('#range-tip').waitFor();
        result.tooltip = await page.locator('#range-tip').innerText();
        await shot('copying.png');
        await shot('range-map-copying.png', page.locator('#range-panel'));
        await page.locator('#range-map .cell.s-copied').first().click();
        result.pinnedRange = await page.locator('#range-detail').innerText();
        await page.mouse.move(0, 0);
      }
      const t = (await title.textContent()) || '';
      if (t.includes(source) && t.includes('ready-for-cutover') && pct === '100%') break;
      if (t.includes('failed') || t.includes('cancelled')) throw new Error(`run ended: ${t}`);
      if (Date.now() > deadline) throw new Error(`bar stuck at ${pct} (${t}); seen ${result.progressSeen}`);
      await page.waitForTimeout(150);
    }
    await page.locator('#chart polyline').waitFor();
    result.chartPoints = ((await page.locator('#chart polyline').getAttribute('points')) || '').trim().split(/\s+/).length;
    result.chartAxes = await page.$$eval('#chart .axes text', (ts) => ts.map((t) => t.textContent));
    result.aliasBefore = await page.locator('#alias-target').textContent();
    // generous deadlines: a loaded machine may take a while to answer the page's refresh
    await page.locator('#verification tr[data-key="exact counts (source → target)"]').waitFor({ timeout: 60_000 });
    result.verification = await page.locator('#verification').innerText();
    result.verificationPasses = await page.locator('#verification-passes tbody tr').count();
    await page.locator('#range-map .cell.s-verified').first().waitFor({ timeout: 60_000 });
    result.whenVerified = await stateCounts();
    result.replicas = await page.locator('#replicas').textContent();
    result.workers = await page.locator('#workers tbody').innerText();
    result.workerBars = await page.locator('#worker-chart rect.bar').count();
    result.timeline = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.dataset.type));
    await page.locator('#range-map .cell.s-repaired').first().click();
    result.repairedRange = await page.locator('#range-detail').innerText();
    await page.mouse.move(0, 0); // the hover tip would cover the range kept shown
    await page.locator('#range-tip').waitFor({ state: 'hidden' });
    await shot('finished-run.png');
    await shot('range-map-verified.png', page.locator('#range-panel'));
    await shot('throughput.png', page.locator('#throughput-panel'));
    await shot('workers.png', page.locator('#workers-panel'));
    await shot('verification.png', page.locator('#verification-panel'));
    await shot('timeline.png', page.locator('#timeline-panel'));

    // without the token the action is refused and nothing changes
    await page.locator('#token').fill('');
    await page.locator('button[data-action="cutover"]').click();
    await page.locator('#action-result', { hasText: 'refused (403)' }).waitFor({ timeout: 60_000 });
    result.refusedWithoutToken = await page.locator('#action-result').textContent();

    // with the token: confirm, and the alias moves to the target
    await page.locator('#token').fill(token);
    await page.locator('button[data-action="cutover"]').click();
    await page.locator('#action-result', { hasText: 'cutover: sent' }).waitFor({ timeout: 60_000 });
    await page.locator('#alias-target', { hasText: target }).waitFor({ timeout: 60_000 });
    await page.locator('#detail-title', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    result.aliasAfter = await page.locator('#alias-target').textContent();
    await page.locator('#timeline li[data-type="migration-completed"]').waitFor({ timeout: 30_000 });
    result.timelineAfter = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.dataset.type));
    await shot('after-cutover.png');
    // the page never writes the token into its markup (it stays in the password field)
    result.tokenInMarkup = (await page.content()).includes(token);
  } catch (e) {
    // what the page showed when an expectation failed
    await page.screenshot({ path: path.join(shotDir, 'failure.png'), fullPage: true }).catch(() => {});
    console.log(`page at failure:\n${await page.locator('main').innerText().catch((x) => x.message)}`);
    throw e;
  } finally {
    await browser.close();
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.log(`FAILED ${e.stack || e}`);
  process.exit(1);
});
