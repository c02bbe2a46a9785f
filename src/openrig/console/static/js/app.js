/**
 * The app shell: who is logged in, which hash route is shown, toasts.
 * Pages are looked up in routes.js and get `params` and `query` as props.
 * @module app
 */
import { html, useCallback, useEffect, useMemo, useState } from './lib/preact.js';
import { matchRoute, parseHash } from './lib/router.js';
import { AppContext } from './components/context.js';
import { Header } from './components/layout.js';
import { Loading } from './components/ui.js';
import { ROUTES, NotFoundPage } from './routes.js';

const useHash = () => {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
};

function Toasts({ toasts }) {
  return html`<div class="toasts" role="status" aria-live="polite">
    ${toasts.map((t) => html`<div key=${t.id} class=${`toast ${t.kind}`}>${t.message}</div>`)}
  </div>`;
}

/** @param {{api: import('./api/index.js').Api}} props */
export function App({ api }) {
  const [user, setUser] = useState(undefined); // undefined = still asking /auth/me
  const [toasts, setToasts] = useState([]);
  const hash = useHash();
  const { path, query } = parseHash(hash);

  const navigate = useCallback((target) => {
    window.location.hash = target;
  }, []);
  const notify = useCallback((message, kind = 'ok') => {
    const id = `${Date.now()}-${Math.random()}`;
    setToasts((list) => [...list, { id, message, kind }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 5000);
  }, []);

  useEffect(() => {
    api.client.onUnauthorized(() => setUser(null));
    api.auth.me().then(
      (answer) => setUser(answer.user),
      () => setUser(null),
    );
  }, [api]);

  const context = useMemo(
    () => ({ api, user, setUser, navigate, notify }),
    [api, user, navigate, notify],
  );
  const match = matchRoute(ROUTES, path);
  let page;
  if (user === undefined) {
    page = html`<${Loading} />`;
  } else if (match && !match.route.public && !user) {
    const next = encodeURIComponent(hash.replace(/^#/, ''));
    page = html`<${Redirect} to=${`#/login?next=${next}`} />`;
  } else if (match && match.route.guestOnly && user) {
    page = html`<${Redirect} to=${query.next && query.next.startsWith('/') ? `#${query.next}` : '#/'} />`;
  } else {
    const Page = match ? match.route.page : NotFoundPage;
    page = html`<${Page} key=${path} params=${match ? match.params : {}} query=${query} />`;
  }
  return html`<${AppContext.Provider} value=${context}>
    <a class="skip" href="#main" onClick=${skipToMain}>Skip to content</a>
    ${user && html`<${Header} />`}
    <main id="main" tabindex="-1">${page}</main>
    <${Toasts} toasts=${toasts} />
  </${AppContext.Provider}>`;
}

/** The skip link must not change the hash route. */
function skipToMain(event) {
  event.preventDefault();
  document.getElementById('main').focus();
}

function Redirect({ to }) {
  useEffect(() => {
    window.location.replace(to);
  }, [to]);
  return null;
}
