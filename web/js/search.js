// The search box: every word of the query, also as a part of a word, over this chat's messages
// (GET /chats/{n}/messages/search). Searches as one types, and answers only the latest query.

import { query } from './api.js';

export class Search {
  constructor({ http, base, input, form, results, summary }) {
    Object.assign(this, { http, base, input, results, summary });
    this.timer = null;
    this.latest = 0;
    input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), 250);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.timer);
      this.run();
    });
  }

  async run() {
    const q = this.input.value.trim();
    const ticket = ++this.latest;
    if (!q) {
      this.results.replaceChildren();
      this.summary.textContent = '';
      return;
    }
    try {
      const page = await this.http.get(`${this.base}/messages/search${query({ q, limit: 20 })}`);
      if (ticket !== this.latest) return;
      this.summary.textContent = page.data.length === 0 ? 'No message matches.' : `${page.data.length}${page.next_cursor ? '+' : ''} found`;
      this.results.replaceChildren(
        ...page.data.map((message) => {
          const item = document.createElement('li');
          item.dataset.test = 'search-result';
          item.dataset.number = message.number;
          const sender = document.createElement('span');
          sender.className = 'sender';
          sender.textContent = message.sender ?? 'the application';
          const body = document.createElement('span');
          body.className = 'body';
          body.textContent = message.body;
          item.append(sender, body);
          return item;
        }),
      );
    } catch (error) {
      if (ticket !== this.latest) return;
      this.results.replaceChildren();
      this.summary.textContent = `Search failed: ${error.problem?.detail ?? error.message}`;
    }
  }
}
