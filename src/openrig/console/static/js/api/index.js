/**
 * All REST resources over one client: `api.farms.list()`, `api.rigs.get(id)`…
 * Pages receive this object through the app context, never as a global.
 * @module api
 */
import { createClient } from './client.js';
import { authApi } from './auth.js';
import { farmsApi } from './farms.js';
import { rigsApi, groupsApi } from './rigs.js';
import { configApi } from './fleetconfig.js';
import { commandsApi } from './commands.js';
import { telemetryApi } from './telemetry.js';
import { alertsApi } from './alerts.js';

/**
 * @param {{base?: string, fetchImpl?: typeof fetch}} [options]
 */
export function createApi(options) {
  const client = createClient(options);
  return {
    client,
    auth: authApi(client),
    farms: farmsApi(client),
    rigs: rigsApi(client),
    groups: groupsApi(client),
    config: configApi(client),
    commands: commandsApi(client),
    telemetry: telemetryApi(client),
    alerts: alertsApi(client),
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */
