import { EventEmitter } from "node:events";
import type { Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

const kBoundContext = Symbol("taskmaster.telemetry.boundContext");

type Bindable = EventEmitter & { [kBoundContext]?: Context };

/**
 * The SDK's AsyncLocalStorage context manager, with a cheaper way of binding
 * an EventEmitter to a context.
 *
 * traceHttpRequests() binds every request and response to the request's
 * context, so listeners that Express, on-finished, raw-body and our access log
 * add (callbacks, not promises) run inside the request's span. The stock
 * manager does that by replacing six listener methods on each emitter with new
 * closures, keeping a map from each listener to a wrapper, and wrapping every
 * listener added afterwards: a dozen closures and a map per request. Here
 * `emit` alone is replaced, with one closure that runs the emitter's
 * listeners inside the bound context. Listeners are not wrapped, so
 * `removeListener` and `once` need no bookkeeping.
 *
 * One difference from the stock manager: listeners added before `bind`
 * (Node's own on the response) also run in the bound context; the stock
 * manager leaves them in whatever context emits. As there, the first binding
 * of an emitter wins.
 *
 * Measured on tasks.list with tracing at 100 %: see docs/capacity.md.
 */
export class EmitterBindingContextManager extends AsyncLocalStorageContextManager {
  override bind<T>(context: Context, target: T): T {
    if (target instanceof EventEmitter) {
      bindEmitter(this, context, target as Bindable);
      return target;
    }
    return super.bind(context, target);
  }
}

function bindEmitter(manager: AsyncLocalStorageContextManager, context: Context, emitter: Bindable): void {
  if (emitter[kBoundContext] !== undefined) return;
  emitter[kBoundContext] = context;
  const emit = emitter.emit;
  emitter.emit = function boundEmit(this: EventEmitter, ...args: Parameters<EventEmitter["emit"]>) {
    // No thisArg: with() would allocate a bound function on every event.
    return manager.with(emitter[kBoundContext] as Context, callEmit, undefined, emit, this, args);
  } as EventEmitter["emit"];
}

/**
 * Moves an emitter this manager bound to a context derived from the one it
 * was bound to (the request context adds its request id to the HTTP span's).
 * Does nothing to an emitter that was not bound here.
 */
export function rebindEmitter(emitter: EventEmitter, context: Context): void {
  const bindable = emitter as Bindable;
  if (bindable[kBoundContext] !== undefined) bindable[kBoundContext] = context;
}

function callEmit(emit: EventEmitter["emit"], self: EventEmitter, args: Parameters<EventEmitter["emit"]>): boolean {
  return emit.apply(self, args);
}
