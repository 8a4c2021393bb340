// The web client in a real browser (Debian's Chromium, driven by playwright-core): two users on one
// chat, each page served through NGINX and following the chat on a different API replica. Run by
// WebClientIT, which brings the stack up and passes it in:
//   CHAT_URL      the front door          REPLICAS   the replicas' URLs, comma-separated (api-1 first)
//   STACK_RUN     the stack's pid files    SCREENSHOTS  where to write the README's screenshots
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';

const require = createRequire(new URL('../../../../tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const CHAT_URL = process.env.CHAT_URL;
const REPLICAS = process.env.REPLICAS.split(',');
const SCREENSHOTS = process.env.SCREENSHOTS;
const WITHIN = 20_000;

let browser;
let app;
let chat;
const tokens = {};
const pages = {};
const replicaOf = {};

async function call(method, path, body, headers = {}) {
  const response = await fetch(CHAT_URL + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function created(method, path, body) {
  const { status, json } = await call(method, path, body);
  assert.equal(status, 201, `${method} ${path.replace(/\/applications\/[^/]+/, '/applications/…')}: ${JSON.stringify(json)}`);
  return json;
}

/** The sockets and event streams each replica serves right now (its chat_events_subscribers gauge). */
async function subscribers() {
  return Promise.all(REPLICAS.map(async (replica) => {
    try {
      const metrics = await (await fetch(`${replica}/q/metrics`)).text();
      const line = metrics.split('\n').find((l) => l.startsWith('chat_events_subscribers'));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    } catch {
      return 0;
    }
  }));
}

async function until(condition, what, timeout = WITHIN) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`not within ${timeout} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A page of one user, with every status it showed recorded (a short "reconnecting" is kept too). */
async function open(user, viewport = { width: 1100, height: 720 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.requests = [];
  page.sockets = [];
  page.dialogs = [];
  page.errors = [];
  page.on('request', (request) => page.requests.push(request.url()));
  page.on('websocket', (socket) => page.sockets.push(socket.url()));
  page.on('dialog', (dialog) => { page.dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on('pageerror', (error) => page.errors.push(String(error)));
  await page.addInitScript(() => {
    window.statuses = [];
    document.addEventListener('DOMContentLoaded', () => {
      const status = document.querySelector('[data-test=status]');
      new MutationObserver(() => window.statuses.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    });
  });
  page.document = await page.goto(`${CHAT_URL}/#token=${tokens[user]}&chat=${chat}`);
  return page;
}

async function live(page) {
  await page.locator('[data-test=status]', { hasText: /^live$/ }).waitFor({ timeout: WITHIN });
}

function message(page, body) {
  return page.locator('[data-test=message]', { has: page.locator('[data-test=body]', { hasText: new RegExp(`^${escape(body)}$`) }) });
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function send(page, text) {
  await page.locator('[data-test=composer]').fill(text);
  await page.locator('[data-test=composer]').press('Enter');
}

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  app = (await created('POST', '/applications', { name: 'Browser test' })).token;
  chat = (await created('POST', `/applications/${app}/chats`)).number;
  for (const user of ['alice', 'bob']) {
    tokens[user] = (await created('POST', `/applications/${app}/users/${user}/tokens`, { chats: [chat] })).token;
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  // Each page follows the chat on a replica of its own: NGINX's least_conn sends a new socket to a
  // replica with none, and a page that still landed beside the other is opened again.
  let before = await subscribers();
  pages.alice = await open('alice');
  await live(pages.alice);
  let now = await until(async () => { const n = await subscribers(); return n.some((c, i) => c > before[i]) && n; }, 'alice counted by a replica');
  replicaOf.alice = now.findIndex((c, i) => c > before[i]);
  for (let attempt = 0; attempt < 5 && replicaOf.bob === undefined; attempt++) {
    before = now;
    pages.bob?.context().close();
    pages.bob = await open('bob');
    await live(pages.bob);
    now = await until(async () => { const n = await subscribers(); return n.some((c, i) => c > before[i]) && n; }, 'bob counted by a replica');
    const replica = now.findIndex((c, i) => c > before[i]);
    if (replica !== replicaOf.alice) replicaOf.bob = replica;
  }
  assert.notEqual(replicaOf.bob, undefined, 'bob never followed the chat on another replica than alice');
});

after(async () => {
  await browser?.close();
});

test('the page is served with a strict policy, and the token leaves the address bar', async () => {
  const headers = pages.alice.document.headers();
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(new URL(pages.alice.url()).hash, `#chat=${chat}`);
  assert.equal(await pages.alice.locator('[data-test=status]').textContent(), 'live');
});

test('a message typed in one page appears in the other within a second', async () => {
  const latencies = [];
  for (let i = 1; i <= 5; i++) {
    const body = `hello bob ${i}`;
    const started = Date.now();
    await send(pages.alice, body);
    await message(pages.bob, body).waitFor({ timeout: WITHIN });
    latencies.push(Date.now() - started);
    await until(async () => (await message(pages.alice, body).getAttribute('data-state')) === 'sent', `alice's "${body}" confirmed`);
  }
  latencies.sort((a, b) => a - b);
  console.log(`typed in one page, shown in the other: ${latencies.join(', ')} ms`);
  assert.ok(latencies[2] < 1000, `median ${latencies[2]} ms`);
  const shown = message(pages.bob, 'hello bob 1');
  assert.equal(await shown.locator('[data-test=sender]').textContent(), 'alice');
  // Oldest at the top.
  const bodies = await pages.bob.locator('[data-test=message] [data-test=body]').allTextContents();
  assert.deepEqual(bodies, ['hello bob 1', 'hello bob 2', 'hello bob 3', 'hello bob 4', 'hello bob 5']);
  await send(pages.bob, 'hi alice, got all five');
  await message(pages.alice, 'hi alice, got all five').waitFor({ timeout: WITHIN });
  assert.equal(await message(pages.alice, 'hi alice, got all five').locator('[data-test=sender]').textContent(), 'bob');
});

test('an edit and a delete propagate, and only the sender can do either', async () => {
  const mine = message(pages.alice, 'hello bob 2');
  await mine.locator('[data-test=edit]').click();
  await mine.locator('[data-test=edit-body]').fill('hello again bob');
  await mine.locator('[data-test=save]').click();
  await message(pages.bob, 'hello again bob').waitFor({ timeout: WITHIN });
  assert.equal(await message(pages.bob, 'hello bob 2').count(), 0);
  for (const action of ['edit', 'delete']) {
    assert.equal(await message(pages.bob, 'hello again bob').locator(`[data-test=${action}]`).count(), 0, `bob may not ${action} alice's message`);
  }

  await message(pages.alice, 'hello bob 3').locator('[data-test=delete]').click();
  await message(pages.bob, 'hello bob 3').waitFor({ state: 'detached', timeout: WITHIN });
  assert.equal(await message(pages.alice, 'hello bob 3').count(), 0);
});

test('a body is shown as text, never as markup', async () => {
  const attack = '<img src=x onerror=alert(1)>';
  await send(pages.alice, attack);
  await message(pages.bob, attack).waitFor({ timeout: WITHIN });
  for (const page of [pages.alice, pages.bob]) {
    assert.equal(await page.locator('[data-test=message] img').count(), 0);
  }
  assert.deepEqual([...pages.alice.dialogs, ...pages.bob.dialogs], []);
});

test('members, and who is typing, show in the other page', async () => {
  await until(async () => (await pages.bob.locator('[data-test=member]').allTextContents()).join() === 'alice,bob (you)'
    || (await pages.bob.locator('[data-test=member]').allTextContents()).join() === 'bob (you),alice', 'both members listed');
  // Typing for about 4 s, as a person does: the page sends a typing event every 2.5 s while it lasts.
  await pages.alice.locator('[data-test=composer]').pressSequentially('typing a long sentence, slowly', { delay: 130 });
  await pages.bob.locator('#typing', { hasText: 'alice is typing…' }).waitFor({ timeout: WITHIN });
  await pages.alice.locator('[data-test=composer]').fill('');
});

test('search finds a part of a word', async () => {
  const search = pages.bob.locator('[data-test=search]');
  await until(async () => {
    await search.fill('');
    await search.fill('agai');
    await search.press('Enter');
    await pages.bob.waitForTimeout(300);
    return (await pages.bob.locator('[data-test=search-result]').allTextContents()).some((text) => text.includes('hello again bob'));
  }, 'search for "agai" finds "hello again bob"');
  assert.ok((await pages.bob.locator('[data-test=search-result]').allTextContents()).every((text) => !text.includes('hello bob 1')));
});

test('a hashtag filters the list', async () => {
  await send(pages.alice, 'shipping today #release');
  const tagged = message(pages.bob, 'shipping today #release');
  await tagged.waitFor({ timeout: WITHIN });
  await tagged.getByRole('button', { name: 'Show messages tagged #release' }).click();
  await until(async () => (await pages.bob.locator('[data-test=message]').count()) === 1, 'only the tagged message shown');
  await pages.bob.getByRole('button', { name: 'Show all messages' }).click();
  await message(pages.bob, 'hello bob 1').waitFor({ timeout: WITHIN });
});

test('the page behind a killed replica goes reconnecting, then live, and shows every message posted meanwhile, once', async () => {
  const victim = `api-${replicaOf.bob + 1}`;
  const pid = Number(readFileSync(`${process.env.STACK_RUN}/${victim}.pid`, 'utf8').trim());
  await pages.bob.evaluate(() => { window.statuses = []; });
  const [requestsBefore, socketsBefore] = [pages.bob.requests.length, pages.bob.sockets.length];
  process.kill(pid, 'SIGKILL');
  await pages.bob.locator('[data-test=status]', { hasText: /^reconnecting$/ }).waitFor({ timeout: WITHIN }).catch(() => {});
  const meanwhile = [];
  for (let i = 1; i <= 5; i++) {
    meanwhile.push(`while bob was away ${i}`);
    const { status } = await call('POST', `/chats/${chat}/messages`, { body: meanwhile.at(-1) }, { Authorization: `Bearer ${tokens.alice}` });
    assert.equal(status, 202);
  }
  await live(pages.bob);
  const statuses = await pages.bob.evaluate(() => window.statuses);
  assert.ok(statuses.indexOf('reconnecting') >= 0 && statuses.lastIndexOf('live') > statuses.indexOf('reconnecting'), `statuses: ${statuses}`);
  for (const body of meanwhile) {
    await message(pages.bob, body).waitFor({ timeout: WITHIN });
  }
  // Every message of the chat once, in order, as the API lists them.
  const listed = await call('GET', `/chats/${chat}/messages?order=asc&limit=200`, undefined, { Authorization: `Bearer ${tokens.bob}` });
  const expected = listed.json.data.map((m) => String(m.number));
  await until(async () => JSON.stringify(await pages.bob.locator('[data-test=message]').evaluateAll((all) => all.map((e) => e.dataset.number))) === JSON.stringify(expected),
    `bob shows exactly ${expected}`);
  assert.deepEqual(pages.bob.errors, []);
  // It resumed from its last event id, and needed no reload of the list to catch up.
  const reconnects = pages.bob.sockets.slice(socketsBefore);
  assert.ok(reconnects.length >= 1 && reconnects.every((url) => new URL(url).searchParams.has('since')), `sockets: ${reconnects.map((u) => u.replace(/access_token=[^&]+/, 'access_token=…'))}`);
  const listReads = pages.bob.requests.slice(requestsBefore).filter((url) => new URL(url).pathname === `/chats/${chat}/messages`);
  assert.deepEqual(listReads, []);
});

test('the user token is in no URL the page requests over HTTP', async () => {
  for (const page of [pages.alice, pages.bob]) {
    for (const url of page.requests) {
      for (const token of Object.values(tokens)) {
        // Only in a fragment (the page's own address, which is never sent), never in a path or a query.
        if (url.startsWith('http')) assert.ok(!url.split('#')[0].includes(token), `token in ${url.slice(0, 60)}…`);
      }
    }
  }
});

test('screenshots for the README, on a laptop and on a phone', async () => {
  await pages.alice.screenshot({ path: `${SCREENSHOTS}/web-client.png` });
  const phone = await open('bob', { width: 390, height: 780 });
  await live(phone);
  await phone.locator('[data-test=member]', { hasText: 'alice' }).waitFor({ timeout: WITHIN });
  await message(phone, 'hello bob 1').waitFor({ timeout: WITHIN });
  await phone.screenshot({ path: `${SCREENSHOTS}/web-client-phone.png` });
  // Readable at that width: nothing scrolls sideways.
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await phone.context().close();
});

test('older messages load as one scrolls up, each once', async () => {
  const long = (await created('POST', `/applications/${app}/chats`)).number;
  const reader = (await created('POST', `/applications/${app}/users/carol/tokens`, { chats: [long] })).token;
  for (let i = 1; i <= 120; i++) {
    const body = i % 2 === 0 ? `old ${i} #even` : `old ${i}`;
    const { status } = await call('POST', `/applications/${app}/chats/${long}/messages`, { body, sender: 'dave' });
    assert.equal(status, 202);
  }
  await until(async () => (await call('GET', `/applications/${app}/chats/${long}/messages/120`)).status === 200, 'the 120th message persisted');
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${CHAT_URL}/#token=${reader}&chat=${long}`);
  await message(page, 'old 120 #even').waitFor({ timeout: WITHIN });
  assert.equal(await page.locator('[data-test=message]').count(), 50, 'one page first');
  for (let shown = 50; shown < 120;) {
    await page.locator('#timeline').evaluate((box) => { box.scrollTop = 0; box.dispatchEvent(new Event('scroll')); });
    shown = await until(async () => { const n = await page.locator('[data-test=message]').count(); return n > shown && n; }, `more than ${shown} shown`);
  }
  const numbers = await page.locator('[data-test=message]').evaluateAll((all) => all.map((e) => Number(e.dataset.number)));
  assert.deepEqual(numbers, Array.from({ length: 120 }, (_, i) => i + 1));
  assert.ok(await page.locator('#older').isHidden(), 'no older page left to load');

  // A hashtag's 60 messages, also walked page by page: the cursor goes with the filter.
  await message(page, 'old 2 #even').getByRole('button', { name: 'Show messages tagged #even' }).click();
  await until(async () => (await page.locator('[data-test=message]').count()) === 50, 'the first page of #even');
  await page.locator('#timeline').evaluate((box) => { box.scrollTop = 0; box.dispatchEvent(new Event('scroll')); });
  await until(async () => (await page.locator('[data-test=message]').count()) === 60, 'all of #even');
  const even = await page.locator('[data-test=message]').evaluateAll((all) => all.map((e) => Number(e.dataset.number)));
  assert.deepEqual(even, Array.from({ length: 60 }, (_, i) => 2 * (i + 1)));
  assert.equal(await page.locator('[role=alert]').isVisible(), false, 'no error shown');
  await context.close();
});

test('a send that is refused says so, and the page goes offline once the token is revoked', async () => {
  assert.equal((await call('DELETE', `/applications/${app}/users/alice/tokens`)).status, 204);
  await send(pages.alice, 'after my token was revoked');
  const refused = message(pages.alice, 'after my token was revoked');
  await until(async () => (await refused.getAttribute('data-state')) === 'failed', 'the send shown as failed');
  assert.match(await refused.locator('.state').textContent(), /not sent: .*not valid/);
  assert.ok(await refused.getByRole('button', { name: 'Retry' }).isVisible());
  await pages.alice.locator('[data-test=status]', { hasText: /^offline$/ }).waitFor({ timeout: 60_000 });
  await pages.alice.locator('[role=alert]', { hasText: 'user token is not valid' }).waitFor({ timeout: WITHIN });
  assert.equal(await message(pages.bob, 'after my token was revoked').count(), 0);
});

test('a bad token shows a clear message', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${CHAT_URL}/#token=not.a-token.at-all&chat=${chat}`);
  await page.locator('[role=alert]', { hasText: 'user token is not valid' }).waitFor({ timeout: WITHIN });
  assert.equal(await page.locator('[data-test=status]').textContent(), 'offline');
  assert.ok(await page.locator('[data-test=composer]').isDisabled());
  await context.close();
});
