/**
 * Log in with email and password; `?next=` says where to go afterwards.
 * @module pages/login
 */
import { html } from '../lib/preact.js';
import { formValues, useAction } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { ErrorNotice, Field } from '../components/ui.js';

/** A same-app path from `?next=`, never another origin. */
export function safeNext(next) {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? `#${next}` : '#/';
}

export function LoginPage({ query }) {
  const { api, setUser, navigate } = useApp();
  const login = useAction(async (values) => {
    const answer = await api.auth.login(values.email, values.password);
    setUser(answer.user);
    navigate(safeNext(query.next));
  });
  return html`<div class="page auth">
    <h1>Log in to openrig</h1>
    <form class="stack" onSubmit=${(e) => login.run(formValues(e))}>
      <${Field} label="Email" name="email" type="email" autocomplete="username" required />
      <${Field} label="Password" name="password" type="password" autocomplete="current-password" required />
      <${ErrorNotice} error=${login.error} />
      <button class="primary" type="submit" disabled=${login.busy}>Log in</button>
    </form>
    <p><a href="#/forgot-password">Forgot your password?</a></p>
    <p>New here? <a href="#/signup">Create an account</a></p>
  </div>`;
}
