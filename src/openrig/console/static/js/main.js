/**
 * Entry point: build the API client and mount the app. Nothing else lives here.
 * @module main
 */
import { html, render } from './lib/preact.js';
import { createApi } from './api/index.js';
import { App } from './app.js';

render(html`<${App} api=${createApi()} />`, document.getElementById('app'));
