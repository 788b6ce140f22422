// Server-sent events read with fetch, since EventSource cannot send a bearer token (a session's
// cookie goes with the request by itself): the same
// protocol (data:, id:, retry:, comments), and the same reconnection, which sends the last id seen
// as Last-Event-ID so that the platform replays what was missed. A tab in the background keeps
// reading; when it comes back to the front, a connection that was waiting to retry retries at once.

import { BASE, token } from './api.js';

/**
 * Follows `path` (a string, or a function of the last id that gives the path to reconnect to).
 * onMessage(data, id) for each event; onState('live' | 'reconnecting' | 'refused', status).
 */
export function follow(path, { onMessage, onState, lastId }) {
  let stopped = false;
  let controller = null;
  let id = lastId ?? null;
  let delay = 1000;
  let timer = null;

  async function connect() {
    timer = null;
    if (stopped) return;
    controller = new AbortController();
    const headers = { Accept: 'text/event-stream' };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    if (id !== null && id !== '') headers['Last-Event-ID'] = String(id);
    const target = typeof path === 'function' ? path(id) : path;
    try {
      const r = await fetch(BASE + target, { headers, signal: controller.signal, cache: 'no-store' });
      // a refusal of the API's own (a problem document) ends the stream; a 404 of the web server
      // while the platform (re)starts, before the API is there, is retried like a lost connection
      const problem = (r.headers.get('Content-Type') || '').startsWith('application/problem+json');
      if (r.status === 401 || r.status === 403 || (r.status === 404 && problem)) {
        onState && onState('refused', r.status);
        return;
      }
      if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
      onState && onState('live');
      delay = 1000;
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let data = [];
      let eventId = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          let line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (line === '') {
            if (eventId !== null) id = eventId;
            if (data.length) onMessage(data.join('\n'), id);
            data = [];
            eventId = null;
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let v = colon < 0 ? '' : line.slice(colon + 1);
          if (v.startsWith(' ')) v = v.slice(1);
          if (field === 'data') data.push(v);
          else if (field === 'id') eventId = v;
          else if (field === 'retry' && /^\d+$/.test(v)) delay = Number(v);
        }
      }
    } catch (e) {
      if (stopped) return;
    }
    if (stopped) return;
    onState && onState('reconnecting');
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  }

  function visible() {
    if (document.visibilityState === 'visible' && timer) {
      clearTimeout(timer);
      connect();
    }
  }
  document.addEventListener('visibilitychange', visible);
  connect();
  return {
    close() {
      stopped = true;
      if (controller) controller.abort();
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', visible);
    },
    get lastId() { return id; },
  };
}
