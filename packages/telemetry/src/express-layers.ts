/**
 * Express middleware layers are not traced one by one (a dozen per request
 * cost more than the request itself in the tracing benchmark), except those
 * wrapped with `tracedLayer`: the handler that does the request's work.
 */
export const TRACED_LAYER_PREFIX = "traced ";

export function tracedLayer<H extends (...args: never[]) => unknown>(name: string, handler: H): H {
  const wrapped = function (this: unknown, ...args: Parameters<H>) {
    return handler.apply(this, args);
  };
  // Express instrumentation names a middleware span after the function's name.
  Object.defineProperty(wrapped, "name", { value: `${TRACED_LAYER_PREFIX}${name}` });
  return wrapped as unknown as H;
}

/**
 * For ExpressInstrumentation's `ignoreLayers`: every middleware layer not
 * marked with tracedLayer, and routers (which only pass most requests on).
 */
export function isUntracedMiddlewareLayer(layerName: string): boolean {
  if (layerName.startsWith("router - ")) return true;
  return layerName.startsWith("middleware - ") && !layerName.startsWith(`middleware - ${TRACED_LAYER_PREFIX}`);
}
