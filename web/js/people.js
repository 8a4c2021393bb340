// Who follows the chat right now (GET /chats/{n}/members, refreshed when someone joins or leaves)
// and who is typing (ephemeral "typing" events, each shown for a few seconds).

const TYPING_SHOWN_MS = 5000;

export class People {
  constructor({ http, base, me, list, typing }) {
    Object.assign(this, { http, base, me, list, typingLine: typing });
    this.typists = new Map(); // user -> timer
    this.refreshTimer = null;
  }

  refresh() {
    // Joins and leaves come in bursts (a replica restarting): one request for a burst.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.load(), 150);
  }

  async load() {
    try {
      const members = await this.http.get(`${this.base}/members`);
      this.list.replaceChildren(
        ...members.data.map((member) => {
          const item = document.createElement('li');
          item.dataset.test = 'member';
          item.dataset.user = member.user;
          item.textContent = member.user === this.me ? `${member.user} (you)` : member.user;
          if (member.connections > 1) {
            const count = document.createElement('span');
            count.className = 'count';
            count.textContent = ` · ${member.connections} connections`;
            item.append(count);
          }
          return item;
        }),
      );
    } catch {
      // The list stays as it was; the next join, leave or reconnect loads it again.
    }
  }

  typing(user) {
    if (!user || user === this.me) return;
    clearTimeout(this.typists.get(user));
    this.typists.set(user, setTimeout(() => this.stoppedTyping(user), TYPING_SHOWN_MS));
    this.renderTyping();
  }

  stoppedTyping(user) {
    if (!this.typists.has(user)) return;
    clearTimeout(this.typists.get(user));
    this.typists.delete(user);
    this.renderTyping();
  }

  renderTyping() {
    const users = [...this.typists.keys()];
    this.typingLine.textContent =
      users.length === 0 ? '' : users.length === 1 ? `${users[0]} is typing…` : `${users.join(', ')} are typing…`;
  }
}
