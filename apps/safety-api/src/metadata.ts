/* eslint-disable */
export default async () => {
    const t = {};
    return { "@nestjs/swagger": { "models": [], "controllers": [[import("./health/health.controller"), { "HealthController": { "live": { summary: "Liveness: no dependency checks; 200 while the process can serve.", type: Object }, "ready": { summary: "Readiness: 503 while draining on SIGTERM or while Redis (when it is the store) does not answer.", type: Object } } }]] } };
};