// A chat followed over its WebSocket (/chats/{n}/socket), resumed after every lost connection from
// the last event id seen (?since=), so that no persisted event is lost or repeated. The state it
// reports: "live" while the socket is open, "reconnecting" while it tries again, "offline" when the
// browser is offline or the token no longer counts.
//
// A browser cannot set headers on a WebSocket: the token goes as access_token, the one URL of the
// page that carries it (the contract allows it there, and no log line holds it).

const MAX_BACKOFF_MS = 5000;
// A socket counts as a success once it stayed open this long: one the server closes at once (too
// many streams: 1013; a flood: 1008) must not reset the backoff.
const STEADY_MS = 5000;

export class Live {
  constructor({ chat, token, onEvent, onOpen, onState, onRefused }) {
    Object.assign(this, { chat, token, onEvent, onOpen, onState, onRefused });
    this.lastId = null;
    this.failures = 0;
    this.socket = null;
    this.timer = null;
    this.stopped = false;
    addEventListener('online', () => this.reconnectNow());
    addEventListener('offline', () => {
      if (!this.open()) this.state('offline');
    });
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

  open() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (this.open()) this.socket.send(JSON.stringify(frame));
  }

  connect() {
    if (this.stopped || this.socket) return;
    const parameters = new URLSearchParams({ access_token: this.token });
    if (this.lastId !== null) parameters.set('since', this.lastId);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/chats/${this.chat}/socket?${parameters}`);
    this.socket = socket;
    socket.onopen = () => {
      this.steady = setTimeout(() => { this.failures = 0; }, STEADY_MS);
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
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.steady);
      if (this.stopped) return;
      this.failures++;
      this.state(navigator.onLine ? 'reconnecting' : 'offline');
      this.retryLater(event.code);
    };
  }

  async retryLater(code) {
    clearTimeout(this.timer);
    // A refused upgrade looks like any lost connection to a browser: after a few, or when the server
    // closed for a policy (1008), ask whether the token still counts, and stop for good if not.
    if ((code === 1008 || this.failures % 3 === 0) && (await this.onRefused())) {
      this.stop();
      return;
    }
    if (this.stopped || this.socket) return; // an "online" event reconnected meanwhile
    const backoff = code === 1013 ? MAX_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures - 1, 5));
    this.timer = setTimeout(() => this.connect(), backoff / 2 + Math.random() * (backoff / 2));
  }

  reconnectNow() {
    clearTimeout(this.timer);
    this.connect();
  }

  state(name) {
    this.onState(name);
  }
}
