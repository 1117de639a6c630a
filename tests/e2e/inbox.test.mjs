// The team inbox, as agents use it: a customer writes through laris-sim and the message appears
// in the agent's open inbox without a reload; the agent takes the chat, inserts a quick reply
// with "/" and Enter and sends it; the tick turns to read when laris-sim's status webhooks come
// back; a second agent's screen shows the chat as taken; with the 24-hour window closed the
// agent is told a template is needed; the agent escalates and the owner transfers the chat to an
// agent who came online from the inbox's header. The list shows a chat's SLA warning and breach
// from its own data, after a reload too. Screenshots at 375 and 1280 px (axe-checked).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import net from 'node:net';
import {
  BASE_URL,
  DESKTOP,
  PASSWORD,
  addMemberViaApi,
  connectSimNumber,
  launchBrowser,
  logInViaPage,
  newContext,
  ownerApi,
  randomDigits,
  shoot,
  signupViaApi,
  sim,
  sql,
  uniqueEmail,
  until,
} from './lib.mjs';


let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

describe('inbox', () => {
  it('a customer message appears live; the agent claims, quick-replies, sees it read; a second agent sees it taken', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Sepatu Sari', name: 'Sari Pemilik' });
    const setup = await ownerApi(owner);
    const { pnid } = await connectSimNumber(setup, {
      display: '6281355556666',
      verifiedName: 'Toko Sepatu Sari',
      name: 'CS Utama',
    });
    // Chats stay unassigned until someone takes them (no round robin in this test).
    await setup.send('PUT', '/api/v1/settings', { distribution_mode: 'manual' }, 200);
    await setup.send('POST', '/api/v1/quick-replies', {
      shortcut: '/ongkir',
      body: 'Halo {{nama}}, ongkir ke Solo Rp10.000 ya.',
    }, 201);
    await setup.dispose();

    const dewi = { email: uniqueEmail('dewi'), name: 'Dewi Agen', password: PASSWORD, role: 'agent' };
    const budi = { email: uniqueEmail('budi'), name: 'Budi Agen', password: PASSWORD, role: 'agent' };
    await addMemberViaApi(owner, dewi);
    await addMemberViaApi(owner, budi);

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, dewi.email, dewi.password);
    await page.getByRole('heading', { level: 1, name: 'Kotak Masuk' }).waitFor();
    await page.getByRole('button', { name: 'Belum ada yang pegang' }).click();
    await page.getByText('Belum ada chat di sini.').waitFor();

    // The customer writes; the open inbox shows it without a reload.
    const customer = `628${randomDigits(10)}`;
    await sim('POST', '/_sim/inbound', {
      phone_number_id: pnid,
      from: customer,
      profile_name: 'Bu Rina',
      type: 'text',
      text: 'Halo, sepatu ukuran 42 masih ada?',
    });
    const list = page.getByRole('region', { name: 'Daftar chat' });
    await list.getByText('Halo, sepatu ukuran 42 masih ada?').waitFor({ timeout: 20000 });
    await list.getByText('1 pesan belum dibaca').waitFor();
    await list.getByRole('button', { name: /Bu Rina/ }).click();
    await page.waitForURL((u) => u.searchParams.has('c'));
    const conversationId = new URL(page.url()).searchParams.get('c');
    // The reply refused for the closed window, at the end.
    ctx.allow(422, `/api/v1/conversations/${conversationId}/messages`);
    const chat = page.getByRole('region', { name: 'Chat dengan Bu Rina' });
    await chat.getByRole('list', { name: 'Riwayat chat' }).getByText('Halo, sepatu ukuran 42 masih ada?').waitFor();
    // Opened: read, so the unread count goes.
    await list.getByText('1 pesan belum dibaca').waitFor({ state: 'detached' });

    await chat.getByRole('button', { name: 'Ambil chat ini' }).click();
    await chat.getByText('Chat ini Anda yang pegang.').waitFor();

    // "/ong" lists the quick reply rendered for this customer; Enter inserts it.
    const box = chat.getByLabel('Tulis balasan');
    await box.pressSequentially('/ong');
    const option = chat.getByRole('option', { name: /\/ongkir/ });
    await option.waitFor();
    await box.press('Enter');
    await option.waitFor({ state: 'detached' });
    await until(async () => (await box.inputValue()) === 'Halo Bu Rina, ongkir ke Solo Rp10.000 ya.');
    await shoot(page, 'inbox-conversation');

    // Sent; laris-sim reports sent, delivered and read: the tick turns to read.
    await box.press('Enter');
    const mine = chat.locator('.msg-out', { hasText: 'Halo Bu Rina, ongkir ke Solo Rp10.000 ya.' });
    await mine.waitFor();
    await mine.locator('.tick-read').waitFor({ timeout: 20000 });
    assert.equal(await mine.locator('.tick-read').getAttribute('title'), 'Dibaca');
    await until(async () => (await box.inputValue()) === '');
    const sent = await sim('GET', '/_sim/sent');
    const texts = sent.data.filter((s) => {
      const seen = JSON.stringify(s);
      return seen.includes(customer) && seen.includes('ongkir ke Solo');
    });
    assert.equal(texts.length, 1, 'the reply went to WhatsApp once');

    // A second agent: the chat shows as Dewi's, and Budi cannot reply.
    const bctx = await newContext(browser);
    const bpage = await bctx.page();
    await logInViaPage(bpage, budi.email, budi.password);
    await bpage.getByRole('button', { name: 'Semua', exact: true }).click();
    await bpage.getByRole('region', { name: 'Daftar chat' }).getByText('Dipegang Dewi Agen').waitFor();
    await bpage.goto(`/inbox?c=${conversationId}`);
    await bpage.getByText('Chat ini sedang ditangani Dewi Agen.').waitFor();
    assert.ok(await bpage.getByLabel('Tulis balasan').isDisabled());
    await shoot(bpage, 'inbox-taken');
    // At 375 px the open chat is a screen of its own, with a way back to the list.
    await bpage.getByRole('button', { name: 'Kembali ke daftar' }).click();
    await bpage.getByRole('region', { name: 'Daftar chat' }).waitFor();
    await shoot(bpage, 'inbox-list');
    // Budi comes online from the inbox's header (a chat can be handed only to someone not offline).
    await bpage.getByLabel('Status', { exact: true }).selectOption('online');
    await bpage.locator('.avatar-presence.presence-online').waitFor();
    bctx.assertClean();
    await bctx.close();

    // The window closes (the customer last wrote 25 hours ago): a template is needed.
    sql(`UPDATE contacts SET last_inbound_at = now() - interval '25 hours' WHERE wa_id = '${customer}'`);
    await page.reload();
    await chat.getByText(/Pelanggan terakhir menulis lebih dari 24 jam lalu/).waitFor();
    await box.fill('Masih ada kak?');
    await box.press('Enter');
    await chat.getByText(/^Pesan tidak terkirim: sudah lewat 24 jam/).waitFor();
    await shoot(page, 'inbox-window-closed');

    // Dewi escalates (no supervisor is online, so the chat stays hers).
    await chat.getByText('Alihkan atau eskalasi').click();
    await chat.getByLabel('Alasan eskalasi').fill('Pelanggan minta diskon grosir');
    await chat.getByRole('button', { name: 'Eskalasi ke supervisor' }).click();
    await chat.getByText('Chat sudah dieskalasi; sekarang dipegang Dewi Agen.').waitFor();
    ctx.assertClean();
    await ctx.close();

    // The business owner hands the chat to Budi, who is online now.
    const octx = await newContext(browser, { viewport: DESKTOP });
    const opage = await octx.page();
    await logInViaPage(opage, owner.email, owner.password);
    await opage.goto(`/inbox?c=${conversationId}`);
    const ochat = opage.getByRole('region', { name: 'Chat dengan Bu Rina' });
    await ochat.getByText('Chat ini sedang ditangani Dewi Agen.').waitFor();
    await ochat.getByText('Alihkan atau eskalasi').click();
    await ochat.getByLabel('Alihkan ke').selectOption({ label: 'Budi Agen (Online)' });
    await ochat.getByRole('button', { name: 'Alihkan', exact: true }).click();
    await ochat.getByText('Chat dialihkan ke Budi Agen.').waitFor();
    await ochat.getByText('Chat ini sedang ditangani Budi Agen.').waitFor();
    await shoot(opage, 'inbox-transferred');
    octx.assertClean();
    await octx.close();
  });
});

// A tenant with a laris-sim number, manual distribution (chats wait for someone to take them),
// a short first-response SLA, and an agent: what the live-events test needs.
async function liveTenant() {
  const owner = await signupViaApi({ business_name: 'Toko Kue Rina', name: 'Rina Pemilik' });
  const setup = await ownerApi(owner);
  const { pnid } = await connectSimNumber(setup, { display: '6281377778888', verifiedName: 'Toko Kue Rina', name: 'CS Kue' });
  await setup.send('PUT', '/api/v1/settings', { distribution_mode: 'manual' }, 200);
  // Warned 2 s after the customer's first message, overdue after 10 s.
  await setup.send('PUT', '/api/v1/settings/service', { sla_first_response_seconds: 10, sla_warning_seconds: 8 }, 200);
  await setup.dispose();
  const agent = { email: uniqueEmail('tari'), name: 'Tari Agen', password: PASSWORD, role: 'agent' };
  await addMemberViaApi(owner, agent);
  return { pnid, owner, agent };
}

// A TCP relay in front of the stack's nginx that the test can cut: every connection through it
// (the EventSource's included) ends at once and new ones are refused, as when a phone loses its
// network. (Chromium's offline emulation leaves an open event stream running.)
async function relay() {
  const target = new URL(BASE_URL);
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port || 80), target.hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref(); // a failing test must not hang on it
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      cut = true;
      dropAll();
    },
    restore() {
      cut = false;
    },
    close() {
      dropAll();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('inbox live events', () => {
  it('updates over the EventSource without polling; after a dropped connection the missed messages come once, in order, without reload', async () => {
    const { pnid, owner, agent } = await liveTenant();
    const customer = `628${randomDigits(10)}`;
    const write = (text) => sim('POST', '/_sim/inbound', { phone_number_id: pnid, from: customer, profile_name: 'Pak Joko', type: 'text', text });

    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    // Every list fetch and every live subscription the page makes.
    const listFetches = [];
    const subscriptions = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (req.method() === 'GET' && url.pathname === '/api/v1/conversations') listFetches.push(Date.now());
      // allHeaders(): Last-Event-ID is set below the page, not among headers().
      if (url.pathname.startsWith('/rt/sub/')) {
        subscriptions.push(req.allHeaders().then((h) => ({ path: url.pathname, lastEventId: h['last-event-id'] })));
      }
    });
    const link = await relay();
    await page.goto(`${link.url}/login`);
    await logInViaPage(page, agent.email, agent.password, { open: false });
    await page.locator('section.inbox[data-live="open"]').waitFor();
    assert.equal(subscriptions.length, 1, 'one EventSource');
    assert.match((await subscriptions[0]).path, /^\/rt\/sub\/tenant\/[1-9][0-9]*$/, 'on the tenant channel');
    await page.getByRole('button', { name: 'Belum ada yang pegang' }).click();
    await page.getByText('Belum ada chat di sini.').waitFor();

    // The customer writes: the list shows it (an event, not a poll), then the SLA clock runs out.
    await write('Kue lapis legit masih ada?');
    const list = page.getByRole('region', { name: 'Daftar chat' });
    await list.getByText('Kue lapis legit masih ada?').waitFor({ timeout: 20000 });
    await list.getByText('Segera balas').waitFor({ timeout: 20000 });
    await list.getByRole('button', { name: /Pak Joko/ }).click();
    const chat = page.getByRole('region', { name: 'Chat dengan Pak Joko' });
    const timeline = chat.getByRole('list', { name: 'Riwayat chat' });
    await timeline.getByText('Kue lapis legit masih ada?').waitFor();
    await chat.getByText(/^Chat ini harus dibalas sebelum/).waitFor();
    await chat.getByText(/^Batas waktu balasan pertama sudah lewat/).waitFor({ timeout: 20000 });
    await list.getByText('Lewat batas').waitFor();

    // The owner types in the same chat: the agent sees who.
    const octx = await newContext(browser, { viewport: DESKTOP });
    const opage = await octx.page();
    await logInViaPage(opage, owner.email, owner.password);
    await opage.locator('section.inbox[data-live="open"]').waitFor();
    await opage.goto(`${new URL(page.url()).pathname}${new URL(page.url()).search}`);
    await opage.getByLabel('Tulis balasan').pressSequentially('Sebentar ya pak');
    await chat.getByText('Rina Pemilik sedang mengetik…').waitFor();
    await shoot(page, 'inbox-live');
    await octx.close();
    await chat.getByText('Rina Pemilik sedang mengetik…').waitFor({ state: 'detached', timeout: 10000 });

    // Connected and quiet: no request at all to the list (the old inbox polled every 3 s).
    const quietFrom = listFetches.length;
    await new Promise((r) => setTimeout(r, 7000));
    assert.equal(listFetches.length - quietFrom, 0, 'no polling while the EventSource is open');
    ctx.assertClean();

    // The connection drops; the customer writes twice meanwhile; the connection comes back.
    await page.evaluate(() => {
      window.laris_e2e_same_page = true;
    });
    link.cut();
    await page.locator('section.inbox[data-live="offline"]').waitFor();
    await page.getByText(/Sambungan langsung terputus/).waitFor();
    await write('Saya pesan dua kotak');
    await write('Dikirim ke Jalan Melati 5');
    await until(async () => {
      try {
        return (
          sql(
            `SELECT count(*) FROM messages m JOIN contacts c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id WHERE c.wa_id = '${customer}'`,
          ) === '3'
        );
      } catch {
        return false;
      }
    });
    const subscribedBefore = subscriptions.length;
    link.restore();
    await page.locator('section.inbox[data-live="open"]').waitFor({ timeout: 20000 });
    await timeline.getByText('Dikirim ke Jalan Melati 5').waitFor({ timeout: 20000 });
    const texts = await timeline.locator('.msg-in').allInnerTexts();
    const second = texts.filter((t) => t.includes('Saya pesan dua kotak'));
    const third = texts.filter((t) => t.includes('Dikirim ke Jalan Melati 5'));
    assert.equal(second.length, 1, 'the first missed message shows once');
    assert.equal(third.length, 1, 'the second missed message shows once');
    assert.ok(
      texts.findIndex((t) => t.includes('Saya pesan dua kotak')) < texts.findIndex((t) => t.includes('Dikirim ke Jalan Melati 5')),
      'in the order they were written',
    );
    assert.equal(await page.evaluate(() => window.laris_e2e_same_page), true, 'without a reload');
    // The browser reconnected the same EventSource and told nchan where it stopped.
    const again = await Promise.all(subscriptions.slice(subscribedBefore));
    assert.ok(again.length >= 1 && again.every((s) => s.lastEventId), `resubscribed with Last-Event-ID: ${JSON.stringify(again)}`);
    await list.getByText('Dikirim ke Jalan Melati 5').waitFor();

    // Connected again and quiet: no polling.
    await new Promise((r) => setTimeout(r, 1000));
    const settled = listFetches.length;
    await new Promise((r) => setTimeout(r, 7000));
    assert.equal(listFetches.length - settled, 0, 'no polling once the EventSource is open again');
    await ctx.close();
    await link.close();
  });
});

// Three chats of a new tenant, written straight into the database with their SLA state already
// recorded (no live event ever tells the page about it): one warned, one breached, one answered.
function slaChats(ownerEmail) {
  const tenant = sql(`SELECT tenant_id FROM users WHERE email = '${ownerEmail}'`);
  const chat = (name, minutes, sla) => {
    const id = sql(`WITH c AS (INSERT INTO contacts (tenant_id, wa_id, phone, name)
                               VALUES (${tenant}, '628${randomDigits(10)}', '628${randomDigits(10)}', '${name}')
                               RETURNING id),
                         v AS (INSERT INTO conversations (tenant_id, contact_id, status, last_message_at)
                               SELECT ${tenant}, c.id, 'open', now() - interval '${minutes} minutes' FROM c
                               RETURNING id, contact_id, last_message_at),
                         m AS (INSERT INTO messages (tenant_id, conversation_id, contact_id, direction, type,
                                                     body, created_at)
                               SELECT ${tenant}, v.id, v.contact_id, 'in', 'text', 'Halo, pesanan saya?',
                                      v.last_message_at FROM v)
                    SELECT id FROM v`);
    sql(`UPDATE conversations SET ${sla} WHERE id = ${id}`);
  };
  chat('Bu Warni', 1, `sla_due_at = now() + interval '1 hour', sla_warned_at = now()`);
  chat('Pak Telat', 2, `sla_due_at = now() - interval '5 minutes', sla_warned_at = now() - interval '6 minutes',
                        sla_breached_at = now() - interval '5 minutes'`);
  chat('Bu Tepat', 3, `sla_due_at = now() - interval '5 minutes', sla_breached_at = now() - interval '5 minutes',
                       first_response_at = now() - interval '1 minute'`);
}

describe('inbox SLA from the list', () => {
  it('shows the warning and breach badges from the list data, after a reload too', async () => {
    const owner = await signupViaApi({ business_name: 'Toko Roti Warni', name: 'Warni Pemilik' });
    slaChats(owner.email);
    const ctx = await newContext(browser, { viewport: DESKTOP });
    const page = await ctx.page();
    await logInViaPage(page, owner.email, owner.password);
    const list = page.getByRole('region', { name: 'Daftar chat' });
    const item = (name) => list.getByRole('listitem').filter({ hasText: name });
    const badges = async () => {
      await page.getByRole('button', { name: 'Semua', exact: true }).click();
      await item('Bu Tepat').waitFor();
      await item('Bu Warni').getByText('Segera balas').waitFor();
      await item('Pak Telat').getByText('Lewat batas').waitFor();
      assert.equal(await item('Bu Warni').locator('.conv-sla').count(), 1, 'one badge on the warned chat');
      assert.equal(await item('Pak Telat').locator('.conv-sla').count(), 1, 'one badge on the overdue chat');
      assert.equal(await item('Bu Tepat').locator('.conv-sla').count(), 0, 'an answered chat has no badge');
    };
    await badges();
    await page.reload();
    await list.waitFor();
    await badges();
    await shoot(page, 'inbox-list-sla');
    ctx.assertClean();
    await ctx.close();
  });
});
