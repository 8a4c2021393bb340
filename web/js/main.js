// The page: one chat, as one user. Opened as /#token=<user token>&chat=<number>; the token then
// moves to this tab's sessionStorage and out of the address bar (and so out of history and of
// anything copied from it).

import { api, claims, query, randomKey, ApiError } from './api.js';
import { Live } from './live.js';
import { Timeline } from './timeline.js';
import { People } from './people.js';
import { Search } from './search.js';

const $ = (id) => document.getElementById(id);

function credentials() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const chat = hash.get('chat');
  let token = hash.get('token');
  if (token) {
    sessionStorage.setItem('chat-token', token);
    history.replaceState(null, '', `${location.pathname}#chat=${encodeURIComponent(chat ?? '')}`);
  } else {
    token = sessionStorage.getItem('chat-token');
  }
  return { token, chat };
}

function showAlert(text) {
  $('alert').textContent = text;
  $('alert').hidden = !text;
}

function explain(error) {
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 401) return 'This link’s user token is not valid: it is malformed, expired or revoked. Ask for a new link.';
  if (error.status === 404) return 'This chat does not exist, or this token does not reach it.';
  if (error.status === 429) return `Too many requests; try again in ${error.retryAfter ?? 'a few'} seconds.`;
  return error.problem?.detail || error.problem?.title || error.message;
}

async function start() {
  const { token, chat } = credentials();
  if (!token || !/^[1-9][0-9]{0,9}$/.test(chat ?? '')) {
    showAlert('Open this page as /#token=<user token>&chat=<chat number>.');
    return;
  }
  const me = claims(token)?.sub ?? null;
  const http = api(token);
  const base = `/chats/${chat}`;
  $('title').textContent = `Chat ${chat}`;
  $('me').textContent = me ? `as ${me}` : '';
  document.title = `Chat ${chat}`;

  try {
    await http.get(base);
  } catch (error) {
    showAlert(explain(error));
    setStatus('offline');
    return;
  }

  let cursor = null;
  const timeline = new Timeline({
    list: $('messages'),
    template: $('message-template'),
    me,
    actions: {
      filterBy: (tag) => setFilter(tag),
      remove: async (number) => {
        try {
          await http.delete(`${base}/messages/${number}`);
          timeline.remove(number);
        } catch (error) {
          showAlert(`Could not delete message ${number}: ${explain(error)}`);
        }
      },
      edit: async (number, body) => {
        try {
          timeline.upsert(await http.put(`${base}/messages/${number}`, { body }));
          return true;
        } catch (error) {
          showAlert(`Could not edit message ${number}: ${explain(error)}`);
          return false;
        }
      },
    },
  });

  // The list is walked newest first, a page at a time, with cursors. Each reload starts a new walk
  // (a reset, another filter): a page of an older walk that arrives later is dropped, cursor and all.
  let walk = 0;
  let loadingWalk = -1;

  async function loadPage({ first = false } = {}) {
    const current = walk;
    if (loadingWalk === current || (!first && !cursor)) return;
    loadingWalk = current;
    const box = $('timeline');
    const fromBottom = box.scrollHeight - box.scrollTop;
    let loaded = false;
    try {
      const page = await http.get(`${base}/messages${query({ limit: 50, cursor: first ? null : cursor, hashtag: timeline.filter })}`);
      if (current !== walk) return;
      page.data.forEach((message) => timeline.upsert(message));
      cursor = page.next_cursor;
      $('older').hidden = !cursor;
      box.scrollTop = first ? box.scrollHeight : box.scrollHeight - fromBottom;
      loaded = true;
    } catch (error) {
      if (current === walk) showAlert(`Could not load messages: ${explain(error)}`);
    } finally {
      if (loadingWalk === current) loadingWalk = -1;
    }
    // A page that does not fill the view cannot be scrolled: load on until it does (never after a failure).
    if (loaded && cursor && box.scrollHeight <= box.clientHeight) loadPage();
  }

  function reload() {
    walk++;
    timeline.clear();
    cursor = null;
    $('older').hidden = true;
    return loadPage({ first: true });
  }

  // After a socket opened with no event id to resume from: the newest page, merged into what is
  // shown, covers what committed before the socket followed the chat.
  async function catchUp() {
    const current = walk;
    try {
      const page = await http.get(`${base}/messages${query({ limit: 50, hashtag: timeline.filter })}`);
      if (current === walk) followingTheEnd(() => page.data.forEach((message) => timeline.upsert(message)));
    } catch (error) {
      if (current === walk) showAlert(`Could not load messages: ${explain(error)}`);
    }
  }

  function setFilter(tag) {
    timeline.filter = tag;
    $('filter').hidden = tag === null;
    $('filter-tag').textContent = tag === null ? '' : `#${tag}`;
    reload();
  }

  const people = new People({ http, base, me, list: $('members'), typing: $('typing') });
  const live = new Live({
    chat,
    token,
    onState: setStatus,
    onOpen: ({ resumed }) => {
      people.refresh();
      if (!resumed) catchUp();
    },
    onEvent: (frame) => {
      switch (frame.type) {
        case 'message.created':
        case 'message.updated':
          followingTheEnd(() => timeline.upsert(frame.data));
          people.stoppedTyping(frame.data.sender);
          break;
        case 'message.deleted':
          timeline.remove(frame.data.number);
          break;
        case 'reset':
          reload();
          break;
        case 'member.joined':
        case 'member.left':
          people.refresh();
          break;
        case 'typing':
          people.typing(frame.data.user);
          break;
        default:
      }
    },
    onRefused: async () => {
      try {
        await http.get(base);
        return false;
      } catch (error) {
        if (error.status === 401 || error.status === 404) {
          showAlert(explain(error));
          return true;
        }
        return false;
      }
    },
  });

  // A new message scrolls into view when the reader was at the end, not when they were reading back.
  function followingTheEnd(change) {
    const box = $('timeline');
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    change();
    if (atEnd) box.scrollTop = box.scrollHeight;
  }

  $('older').addEventListener('click', () => loadPage());
  $('timeline').addEventListener('scroll', () => {
    if ($('timeline').scrollTop < 80) loadPage();
  });
  $('filter-clear').addEventListener('click', () => setFilter(null));

  // While one types, a typing event every 2.5 s: the other pages show it for 5 s, and the server
  // drops more than one a second.
  const composer = $('composer');
  let lastTyping = 0;
  composer.addEventListener('input', () => {
    if (Date.now() - lastTyping > 2500 && composer.value.trim()) {
      lastTyping = Date.now();
      live.send({ type: 'typing' });
    }
  });
  composer.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('compose').requestSubmit();
    }
  });
  $('compose').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = composer.value;
    if (!body.trim()) return;
    composer.value = '';
    send(body, randomKey());
    const box = $('timeline');
    box.scrollTop = box.scrollHeight;
  });

  // Sent over HTTP with an Idempotency-Key rather than over the socket: a send whose answer was
  // lost with its connection can be repeated with the same key, and is still created once.
  async function send(body, key, attempt = 0) {
    const shown = attempt === 0 ? timeline.pending(body) : send.shown.get(key);
    send.shown.set(key, shown);
    try {
      shown.confirm(await http.post(`${base}/messages`, { body }, { 'Idempotency-Key': key }));
      send.shown.delete(key);
    } catch (error) {
      // 409: the first try is still being handled; its answer comes to a repeat once it is done.
      const unsure = error instanceof ApiError && (error.transient || error.status === 409);
      if (unsure && attempt < 5) {
        const wait = Number(error.retryAfter) > 0 ? Number(error.retryAfter) * 1000 : 500 * 2 ** attempt;
        setTimeout(() => send(body, key, attempt + 1), wait);
        return;
      }
      send.shown.delete(key);
      // The server may have taken it (an answer lost, a 504): a retry repeats the same key, so that it
      // is created once. A definite refusal gets a new key: the retry is a new request.
      shown.fail(explain(error), () => send(body, unsure ? key : randomKey()));
    }
  }
  send.shown = new Map();

  // A link opened in a tab already on this page changes only the fragment: start again with it.
  addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('token')) location.reload();
  });

  reload();
  new Search({ http, base, input: $('search'), form: $('search-form'), results: $('search-results'), summary: $('search-summary') });
  for (const control of [composer, $('send'), $('search')]) control.disabled = false;
  composer.focus();
  live.start();
}

function setStatus(state) {
  $('status').textContent = state;
  $('status').dataset.state = state;
}

start();
