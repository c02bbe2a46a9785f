/**
 * The route table: hash path pattern → page module. `public` pages need no login;
 * `guestOnly` pages send logged-in users on to the app.
 * @module routes
 */
import { html } from './lib/preact.js';
import { LoginPage } from './pages/login.js';
import { SignupPage } from './pages/signup.js';
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from './pages/password-reset.js';
import { AccountPage } from './pages/account.js';
import { FarmsPage } from './pages/farms.js';
import { DashboardPage } from './pages/dashboard.js';
import { RigPage } from './pages/rig.js';
import { GroupsPage } from './pages/groups.js';
import { TagsPage } from './pages/tags.js';
import { FlightSheetsPage, OcProfilesPage } from './pages/library.js';
import { FarmConfigPage, GroupConfigPage } from './pages/config.js';
import { HistoryPage } from './pages/history.js';
import { SettingsPage } from './pages/settings.js';
import { AlertsPage } from './pages/alerts.js';

export const ROUTES = [
  { path: '/login', page: LoginPage, public: true, guestOnly: true },
  { path: '/signup', page: SignupPage, public: true, guestOnly: true },
  { path: '/forgot-password', page: ForgotPasswordPage, public: true },
  { path: '/reset-password', page: ResetPasswordPage, public: true },
  { path: '/verify-email', page: VerifyEmailPage, public: true },
  { path: '/', page: FarmsPage },
  { path: '/account', page: AccountPage },
  { path: '/farms/:farmId', page: DashboardPage },
  { path: '/farms/:farmId/groups', page: GroupsPage },
  { path: '/farms/:farmId/groups/:groupId', page: GroupConfigPage },
  { path: '/farms/:farmId/tags', page: TagsPage },
  { path: '/farms/:farmId/flight-sheets', page: FlightSheetsPage },
  { path: '/farms/:farmId/oc-profiles', page: OcProfilesPage },
  { path: '/farms/:farmId/config', page: FarmConfigPage },
  { path: '/farms/:farmId/history', page: HistoryPage },
  { path: '/farms/:farmId/alerts', page: AlertsPage },
  { path: '/farms/:farmId/settings', page: SettingsPage },
  { path: '/rigs/:rigId', page: RigPage },
];

export function NotFoundPage() {
  return html`<div class="page narrow">
    <h1>Page not found</h1>
    <p><a href="#/">Back to your farms</a></p>
  </div>`;
}
