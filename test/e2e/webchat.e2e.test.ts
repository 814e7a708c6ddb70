import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { localeString } from '../support/app-harness';

/**
 * The local web chat end to end: Debian's Chromium (headless) opens the page served by the
 * bot, Microsoft's Web Chat talks to the bot's own Direct Line endpoint, and the learner
 * sees the same Adaptive Cards Teams shows. Screenshots go to test-artifacts/webchat/.
 */
const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts', 'webchat');

jest.setTimeout(180_000);

describe('local web chat in Chromium', () => {
  let app: App;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  const tmp: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`The web chat end-to-end test needs Debian's Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does).`);
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-webchat-data-'));
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-webchat-chromium-'));
    tmp.push(dataDir, userDataDir);
    const config = loadConfig(
      { HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', ORG_NAME: 'Test Agency', WEBCHAT_ENABLED: 'true' },
      repoRoot,
    );
    app = await createApp(config, { logger: createLogger({ level: 'silent' }) });
    url = await app.start();
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'en-US',
      viewport: { width: 1100, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    fs.mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await app?.stop();
    for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
  });

  let latest: ReturnType<Page['getByText']> | undefined;
  /** A screenshot with the newest awaited message in view. */
  const shot = async (name: string) => {
    await latest?.scrollIntoViewIfNeeded();
    await page.locator('.webchat__basic-transcript__scrollable').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
  };
  /** Waits until the newest element with exactly `text` (or matching a pattern) is on screen. */
  const botSays = async (text: string | RegExp) => {
    // The visible transcript only (Web Chat also repeats messages in a screen-reader live region).
    latest = page.locator('.webchat__basic-transcript__transcript').getByText(text, { exact: true }).last();
    await latest.waitFor({ state: 'visible', timeout: 30_000 });
  };
  /** Presses a card button; older cards keep their buttons, so the newest one is pressed. */
  const press = (label: string) => page.getByRole('button', { name: label, exact: true }).last().click();
  const type = async (text: string) => {
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill(text);
    await input.press('Enter');
  };

  it('shows the welcome card, runs a course step and a quiz question, and answers a question', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${url}/`);
    await expect(page.title()).resolves.toContain('AI and Digital Transformation in Government');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

    // The welcome arrives on its own (conversationUpdate) as an Adaptive Card with buttons.
    await botSays('Welcome to AI and Digital Transformation in Government');
    await botSays(/run by Test Agency/);
    expect(await page.locator('.ac-adaptiveCard').count()).toBeGreaterThan(0);
    await shot('01-welcome');

    // Start the course with the card's button, then Next.
    await press('Start or resume the course');
    await botSays('About this course · Step 1 of 5');
    await press('Next');
    await botSays('About this course · Step 2 of 5');
    await shot('02-course-step');

    // On through the introduction into the first lesson and its quiz.
    for (const step of [3, 4, 5]) {
      await press('Next');
      await botSays(`About this course · Step ${step} of 5`);
    }
    await press('Start the lesson');
    await botSays('Module 1 · Lesson 1 of 4 · Step 1 of 4');
    for (const step of [2, 3, 4]) {
      await press('Next');
      await botSays(`Module 1 · Lesson 1 of 4 · Step ${step} of 4`);
    }
    await press('Take the lesson quiz');
    await botSays('Which article of the Universal Declaration of Human Rights protects privacy?');
    await shot('03-quiz-question');

    // Answering with the option button grades the answer.
    await press('Article 12');
    await botSays('Correct!');
    await botSays(/Article 12 protects everyone against arbitrary interference/);
    await shot('04-quiz-feedback');

    // Typed text reaches the bot too (typed commands and free-text questions).
    await type('help');
    await botSays('What I can do');
    // A free-text question gets an answer from the course material, with its source.
    await type('Why does the Universal Declaration of Human Rights matter for AI in government?');
    await botSays('From the course');
    const answer = page.locator('.ac-adaptiveCard').filter({ has: page.getByText('From the course', { exact: true }) }).last();
    await expect(answer.innerText()).resolves.toMatch(/Four rights in the Universal Declaration matter most for public-sector AI/);
    await expect(answer.innerText()).resolves.toMatch(/The Universal Declaration of Human Rights \(1948\)/);
    await shot('05-question');

    expect(pageErrors).toEqual([]);
  });

  it('shows the page and the cards right-to-left in Arabic, picked with the language picker', async () => {
    await page.goto(`${url}/`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await page.waitForURL(/lang=ar/);
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    // Web Chat gets "ar" as its locale, so the bot answers in Arabic: right-to-left cards.
    await botSays(localeString('ar', 'common', 'welcome.title'));
    await expect(page.locator('.ac-adaptiveCard[dir="rtl"]').count()).resolves.toBeGreaterThan(0);
    await shot('06-arabic');
  });

  it('with DIRECTLINE_SECRET, works from a token link and tells a visitor without one what is missing', async () => {
    const secret = 'e2e-directline-secret-0123456789';
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-webchat-secret-'));
    tmp.push(dataDir);
    const config = loadConfig(
      { HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', DIRECTLINE_SECRET: secret },
      repoRoot,
    );
    const secured = await createApp(config, { logger: createLogger({ level: 'silent' }) });
    const securedUrl = await secured.start();
    try {
      await page.goto(`${securedUrl}/`);
      await expect(page.locator('#status').innerText()).resolves.toBe('This chat needs an access link from your administrator.');

      const response = await fetch(`${securedUrl}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: 'jane', name: 'Jane' } }),
      });
      const { token } = (await response.json()) as { token: string };
      await page.goto('about:blank'); // a hash change alone would not reload the page
      await page.goto(`${securedUrl}/#token=${token}`);
      await botSays('Welcome to AI and Digital Transformation in Government');
      await type('help');
      await botSays('What I can do');
      await shot('07-token-link');
    } finally {
      await secured.stop();
    }
  });
});
