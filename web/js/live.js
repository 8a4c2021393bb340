// A chat followed over its WebSocket (/chats/{n}/socket), resumed after every lost connection from
// the last event id seen (?since=), so that no persisted event is lost or repeated. The state it
// reports: "live" while the socket is open, "reconnecting" while it tries again, "offline" when the
// browser is offline or the token no longer counts.
//
// A browser cannot set headers on a WebSocket: the token goes as access_token, the one URL of the
// page that carries it (the contract allows it there, and no log line holds it).

const MAX_BACKOFF_MS = 5000;

export class Live {
  constructor({ chat, token, onEvent, onOpen, onState, onRefused }) {
    Object.assign(this, { chat, token, onEvent, onOpen, onState, onRefused });
    this.lastId = null;
    this.failures = 0;
    this.socket = null;
    this.timer = null;
    this.stopped = false;
    addEventListener('online', () => this.reconnectNow());
    addEventListener('offline', () => this.state('offline'));
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
    this.state('offline');
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  connect() {
    if (this.stopped) return;
    const parameters = new URLSearchParams({ access_token: this.token });
    if (this.lastId !== null) parameters.set('since', this.lastId);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/chats/${this.chat}/socket?${parameters}`);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.state('live');
      // Without an id the socket sends what commits from now on: the caller reloads what came before.
      this.onOpen({ resumed: this.lastId !== null });
    };
    socket.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.id !== undefined && frame.id !== null) this.lastId = String(frame.id);
      this.onEvent(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.failures++;
      this.state(navigator.onLine ? 'reconnecting' : 'offline');
      this.retryLater();
    };
  }

  async retryLater() {
    clearTimeout(this.timer);
    // A refused upgrade looks like any lost connection to a browser: after a few, ask whether the
    // token still counts, and stop for good if not.
    if (this.failures >= 3 && this.failures % 3 === 0 && (await this.onRefused())) {
      this.stop();
      return;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures - 1, 5));
    this.timer = setTimeout(() => this.connect(), backoff / 2 + Math.random() * (backoff / 2));
  }

  reconnectNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timer);
    this.connect();
  }

  state(name) {
    this.onState(name);
  }
}
