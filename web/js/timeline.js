// The messages on screen, oldest at the top, kept by number. Pages, live events and this page's own
// sends can arrive in any order: an older state never overwrites a newer one (updated_at), and a
// deleted number never comes back (a tombstone), so merging them is safe whatever came first.
// Bodies and senders are set as text, never as markup.

export class Timeline {
  constructor({ list, template, me, actions }) {
    Object.assign(this, { list, template, me, actions });
    this.items = new Map(); // number -> { message, element }
    this.deleted = new Set();
    this.filter = null; // a hashtag, or null
  }

  /** Forgets every message (a reset, or a new filter); pending sends stay. */
  clear() {
    for (const { element } of this.items.values()) element.remove();
    this.items.clear();
  }

  accepts(message) {
    return this.filter === null || (message.hashtags ?? []).includes(this.filter);
  }

  upsert(message) {
    if (this.deleted.has(message.number)) return;
    const current = this.items.get(message.number);
    if (current && current.message.updated_at > message.updated_at) return;
    if (!this.accepts(message)) {
      if (current) this.remove(message.number, { forever: false });
      return;
    }
    const element = current?.element ?? this.create(message.number);
    this.items.set(message.number, { message, element });
    this.render(element, message, 'sent');
  }

  remove(number, { forever = true } = {}) {
    if (forever) this.deleted.add(number);
    this.items.get(number)?.element.remove();
    this.items.delete(number);
  }

  has(number) {
    return this.items.has(number) || this.deleted.has(number);
  }

  /** A message this page is sending: shown at once at the bottom, until it is confirmed or refused. */
  pending(body) {
    const element = this.template.content.firstElementChild.cloneNode(true);
    this.render(element, { body, sender: this.me, hashtags: [] }, 'pending');
    this.list.append(element);
    return {
      confirm: (message) => {
        element.remove();
        this.upsert(message);
      },
      fail: (reason, retry) => {
        this.render(element, { body, sender: this.me, hashtags: [] }, 'failed', reason);
        const actions = element.querySelector('.actions');
        actions.replaceChildren(
          button('Retry', () => { element.remove(); retry(); }),
          button('Dismiss', () => element.remove()),
        );
      },
    };
  }

  create(number) {
    const element = this.template.content.firstElementChild.cloneNode(true);
    element.dataset.number = number;
    // Before the first shown message with a larger number; pending sends stay last.
    const after = [...this.list.children].find((other) => !other.dataset.number || Number(other.dataset.number) > number);
    this.list.insertBefore(element, after ?? null);
    return element;
  }

  render(element, message, state, reason) {
    element.dataset.state = state;
    element.classList.toggle('mine', message.sender !== null && message.sender === this.me);
    element.querySelector('[data-test=sender]').textContent = message.sender ?? 'the application';
    element.querySelector('[data-test=body]').textContent = message.body;
    const time = element.querySelector('time');
    if (message.created_at) {
      time.dateTime = message.created_at;
      time.textContent = new Date(message.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      time.title = message.created_at;
    }
    const edited = message.updated_at && message.updated_at !== message.created_at;
    element.querySelector('.state').textContent =
      state === 'pending' ? 'sending…' : state === 'failed' ? `not sent: ${reason}` : edited ? 'edited' : '';
    element.querySelector('.tags').replaceChildren(
      ...(message.hashtags ?? []).map((tag) => {
        const chip = button(`#${tag}`, () => this.actions.filterBy(tag));
        chip.className = 'tag';
        chip.setAttribute('aria-label', `Show messages tagged #${tag}`);
        return chip;
      }),
    );
    const actions = element.querySelector('.actions');
    if (element.querySelector('.edit-box')) return; // being edited: keep Save and Cancel
    if (state === 'sent' && message.sender === this.me) {
      const edit = button('Edit', () => this.edit(element, message));
      edit.dataset.test = 'edit';
      const remove = button('Delete', () => this.actions.remove(message.number));
      remove.dataset.test = 'delete';
      actions.replaceChildren(edit, remove);
    } else if (state !== 'failed') {
      actions.replaceChildren();
    }
  }

  edit(element, message) {
    const body = element.querySelector('[data-test=body]');
    const box = document.createElement('textarea');
    box.className = 'edit-box';
    box.value = message.body;
    box.setAttribute('aria-label', `Edit message ${message.number}`);
    box.dataset.test = 'edit-body';
    const close = () => { box.remove(); body.hidden = false; this.upsert(this.items.get(message.number)?.message ?? message); };
    const save = async () => {
      const text = box.value;
      if (!text.trim()) return;
      if (await this.actions.edit(message.number, text)) close();
    };
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); save(); }
      if (event.key === 'Escape') close();
    });
    body.hidden = true;
    body.after(box);
    const saveButton = button('Save', save);
    saveButton.dataset.test = 'save';
    element.querySelector('.actions').replaceChildren(saveButton, button('Cancel', close));
    box.focus();
  }
}

function button(label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}
