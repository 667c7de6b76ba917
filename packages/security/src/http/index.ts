export { type CorsPolicyOptions, corsPolicy } from "./cors";
export { CLIENT_HEADER, type CsrfGuardOptions, csrfGuard } from "./csrf";
export {
  contentSecurityPolicy,
  cspDirectives,
  DEFAULT_PERMISSIONS_POLICY,
  expectedSecurityHeaders,
  type SecurityHeadersOptions,
  securityHeaders,
} from "./headers";
export { type HttpsRedirectOptions, httpsRedirect } from "./https-redirect";
export { normalizeOrigins, originOf } from "./origins";
export {
  clientIp,
  isSecureRequest,
  normalizeIp,
  peerAddress,
  type TrustedProxies,
  trustedProxies,
} from "./proxies";
export { getRequestId, REQUEST_ID_HEADER, requestId } from "./request-id";
