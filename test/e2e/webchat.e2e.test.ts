import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { SUPPORTED_LANGUAGES } from '../../src/config/config-schema';
import { createLogger } from '../../src/logging/logger';
import { escapeRegExp, localeString } from '../support/app-harness';

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
      {
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        INDEX_DIR: SHARED_INDEX_DIR,
        KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'),
        LOG_LEVEL: 'silent',
        ORG_NAME: 'Test Agency',
        WEBCHAT_ENABLED: 'true',
      },
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
    // Card markdown prints typographic apostrophes ("C’est"): match either kind.
    const wanted = typeof text === 'string' && /'/.test(text) ? new RegExp(`^${escapeRegExp(text).source.replace(/'/g, "['’]")}$`) : text;
    // The visible transcript only (Web Chat also repeats messages in a screen-reader live region).
    latest = page.locator('.webchat__basic-transcript__transcript').getByText(wanted, { exact: true }).last();
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

    // Start the course with the card's button, then Next (the counts come from the course itself).
    const course = app.catalog.get('en');
    const about = course.about.length;
    const [module1] = course.modules;
    const lesson1 = module1!.lessons[0]!;
    await press('Start or resume the course');
    await botSays(`About this course · Step 1 of ${about}`);
    await press('Next');
    await botSays(`About this course · Step 2 of ${about}`);
    await shot('02-course-step');

    // On through the introduction into the first lesson and its quiz.
    for (let step = 3; step <= about; step++) {
      await press('Next');
      await botSays(`About this course · Step ${step} of ${about}`);
    }
    await press('Start the lesson');
    await botSays(`Module 1 · Lesson 1 of ${module1!.lessons.length} · Step 1 of ${lesson1.steps.length}`);
    for (let step = 2; step <= lesson1.steps.length; step++) {
      await press('Next');
      await botSays(`Module 1 · Lesson 1 of ${module1!.lessons.length} · Step ${step} of ${lesson1.steps.length}`);
    }
    await press('Take the lesson quiz');
    await botSays('Which article of the Universal Declaration of Human Rights protects privacy?');
    await shot('03-quiz-question');

    // Answering with the option button (its letter and text) grades the answer.
    await page
      .getByRole('button', { name: /\bArticle 12\b/ })
      .last()
      .click();
    await botSays('Correct!');
    await botSays(/Article 12 protects everyone against arbitrary interference/);
    await shot('04-quiz-feedback');

    // Typed text reaches the bot too (typed commands and free-text questions).
    await type('help');
    await botSays('What I can do');
    // A free-text question gets an answer from the course material, with its source.
    await type('Why does the Universal Declaration of Human Rights matter for AI in government?');
    await botSays('From the course');
    const answer = page
      .locator('.ac-adaptiveCard')
      .filter({ has: page.getByText('From the course', { exact: true }) })
      .last();
    await expect(answer.innerText()).resolves.toMatch(/Four rights in the Universal Declaration matter most for public-sector AI/);
    await expect(answer.innerText()).resolves.toMatch(/The Universal Declaration of Human Rights \(1948\)/);
    await shot('05-question');

    expect(pageErrors).toEqual([]);
  });

  it('switches the bot and the layout to Arabic, right-to-left, when the page is switched to Arabic', async () => {
    await page.goto(`${url}/?lang=en`);
    await botSays('Welcome to AI and Digital Transformation in Government');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    // The page switches in place: its language, direction and text.
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(page.locator('h1').innerText()).resolves.toBe(localeString('ar', 'webchat', 'page.heading'));
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ar');
    // The bot switches too (a hidden Language button press), and says so in Arabic, in a right-to-left card.
    await botSays(localeString('ar', 'common', 'language.changed'));
    await expect(page.locator('.ac-adaptiveCard[dir="rtl"]').count()).resolves.toBeGreaterThan(0);
    await type('help');
    await botSays(localeString('ar', 'common', 'help.title'));
    // Web Chat's own controls follow: the send box is laid out right to left.
    await expect(page.locator('.webchat__send-box').evaluate((el) => getComputedStyle(el).direction)).resolves.toBe('rtl');
    await shot('06-arabic');
  });

  it('switches the page to the language chosen with the bot’s Language button, and keeps it on reload', async () => {
    // Continues in Arabic from the previous test: the bot's own Language button, then Français.
    await press(localeString('ar', 'common', 'actions.language'));
    await botSays(localeString('ar', 'common', 'language.choose'));
    await press('Français');
    await botSays(localeString('fr', 'common', 'language.changed'));
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('ltr');
    await expect(page.locator('h1').innerText()).resolves.toBe(localeString('fr', 'webchat', 'page.heading'));
    await expect(page.getByRole('combobox', { name: localeString('fr', 'webchat', 'page.languageLabel') }).inputValue()).resolves.toBe('fr');
    await shot('07-french-from-bot');

    await page.reload();
    await botSays(localeString('fr', 'common', 'welcome.title'));
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await type('aide');
    await botSays(localeString('fr', 'common', 'help.title'));
  });

  it('passes axe-core with no serious or critical violations in every language, on desktop and on a 360 px phone', async () => {
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const problems: string[] = [];
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const width of [1100, 360]) {
        await page.setViewportSize({ width, height: width > 400 ? 1000 : 740 });
        // A new learner each time, so the page shows the welcome in its own language.
        if (page.url().startsWith(url)) await page.evaluate(() => window.localStorage.clear());
        await page.goto(`${url}/?lang=${lang}`);
        await botSays(localeString(lang, 'common', 'welcome.title'));
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }
          ).axe;
          const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${(n as any).failureSummary}`) }));
        });
        for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${lang} ${width}px: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`);
        await page.screenshot({ path: path.join(artifacts, `a11y-${lang}-${width}px.png`) });
      }
    }
    await page.setViewportSize({ width: 1100, height: 1000 });
    expect(problems).toEqual([]);
  });

  it('with DIRECTLINE_SECRET, works from a token link and tells a visitor without one what is missing', async () => {
    const secret = 'e2e-directline-secret-0123456789';
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-webchat-secret-'));
    tmp.push(dataDir);
    const config = loadConfig(
      { HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', DIRECTLINE_SECRET: secret },
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
      await shot('08-token-link');
    } finally {
      await secured.stop();
    }
  });
});
