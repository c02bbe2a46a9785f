/**
 * Create an account (the first user of an instance becomes its admin).
 * @module pages/signup
 */
import { html } from '../lib/preact.js';
import { formValues, useAction } from '../lib/hooks.js';
import { useApp } from '../components/context.js';
import { ErrorNotice, Field, fieldError } from '../components/ui.js';

export function SignupPage() {
  const { api, setUser, navigate, notify } = useApp();
  const signup = useAction(async (values) => {
    const answer = await api.auth.signup(values.email, values.password);
    if (answer.verification_required) notify('Check your mail to verify your address.');
    setUser(answer.user);
    navigate('#/');
  });
  return html`<div class="page auth">
    <h1>Create your openrig account</h1>
    <form class="stack" onSubmit=${(e) => signup.run(formValues(e))}>
      <${Field} label="Email" name="email" type="email" autocomplete="email" required
        error=${fieldError(signup.error, 'email')} />
      <${Field} label="Password" name="password" type="password" autocomplete="new-password"
        minlength="10" required hint="At least 10 characters."
        error=${fieldError(signup.error, 'password')} />
      <${ErrorNotice} error=${signup.error} />
      <button class="primary" type="submit" disabled=${signup.busy}>Sign up</button>
    </form>
    <p>Already have an account? <a href="#/login">Log in</a></p>
  </div>`;
}
