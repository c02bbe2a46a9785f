/**
 * Password reset: ask for a mail (#/forgot-password), then set a new password from
 * the mailed link (#/reset-password?token=…). Also email verification links.
 * @module pages/password-reset
 */
import { html, useEffect, useState } from '../lib/preact.js';
import { formValues, useAction } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { ErrorNotice, Field, fieldError, Loading } from '../components/ui.js';

export function ForgotPasswordPage() {
  const { api } = useApp();
  const [sent, setSent] = useState(false);
  const request = useAction(async (values) => {
    await api.auth.requestReset(values.email);
    setSent(true);
  });
  return html`<div class="page auth">
    <h1>Reset your password</h1>
    ${sent
      ? html`<p class="notice ok" role="status">If an account uses that address, a reset link is on its way. It works once and expires soon.</p>`
      : html`<form class="stack" onSubmit=${(e) => request.run(formValues(e))}>
          <${Field} label="Email" name="email" type="email" autocomplete="email" required
            error=${fieldError(request.error, 'email')} />
          <${ErrorNotice} error=${request.error} />
          <button class="primary" type="submit" disabled=${request.busy}>Send reset link</button>
        </form>`}
    <p><a href="#/login">Back to log in</a></p>
  </div>`;
}

export function ResetPasswordPage({ query }) {
  const { api, navigate, notify } = useApp();
  const reset = useAction(async (values) => {
    await api.auth.confirmReset(query.token || '', values.new_password);
    notify('Password changed. Log in with the new one.');
    navigate('#/login');
  });
  if (!query.token) {
    return html`<div class="page auth"><h1>Reset link incomplete</h1>
      <p>Open the link from the mail again, or <a href="#/forgot-password">ask for a new one</a>.</p></div>`;
  }
  return html`<div class="page auth">
    <h1>Choose a new password</h1>
    <form class="stack" onSubmit=${(e) => reset.run(formValues(e))}>
      <${Field} label="New password" name="new_password" type="password" autocomplete="new-password"
        minlength="10" required hint="At least 10 characters."
        error=${fieldError(reset.error, 'new_password')} />
      <${ErrorNotice} error=${reset.error} />
      <button class="primary" type="submit" disabled=${reset.busy}>Set password</button>
    </form>
  </div>`;
}

export function VerifyEmailPage({ query }) {
  const { api } = useApp();
  const [state, setState] = useState({ done: false, error: null });
  useEffect(() => {
    api.auth.verifyEmail(query.token || '').then(
      () => setState({ done: true, error: null }),
      (error) => setState({ done: true, error }),
    );
  }, [query.token]);
  return html`<div class="page auth">
    <h1>Email verification</h1>
    ${!state.done ? html`<${Loading} />` : state.error ? html`<${ErrorNotice} error=${state.error} />` : html`<p class="notice ok">Your address is verified.</p>`}
    <p><a href="#/">Continue</a></p>
  </div>`;
}
