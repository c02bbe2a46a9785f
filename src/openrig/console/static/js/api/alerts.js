/** @module api/alerts (filled in below) */
export function alertsApi() { return {}; }
