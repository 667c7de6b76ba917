import { EventEmitter } from "node:events";
import { type Context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { EmitterBindingContextManager, rebindEmitter } from "../src/context-manager";

const key = createContextKey("test key");
const ctx = (value: string): Context => ROOT_CONTEXT.setValue(key, value);

describe("EmitterBindingContextManager", () => {
  const manager = new EmitterBindingContextManager().enable();
  const current = () => manager.active().getValue(key);

  it("runs a bound emitter's listeners in the bound context, whatever context emits", () => {
    const emitter = new EventEmitter();
    manager.bind(ctx("request"), emitter);
    const seen: unknown[] = [];
    emitter.on("data", () => seen.push(current()));
    manager.with(ctx("socket"), () => emitter.emit("data"));
    emitter.emit("data");
    expect(seen).toEqual(["request", "request"]);
    // Outside the listeners, the caller's context is untouched.
    manager.with(ctx("socket"), () => {
      emitter.emit("data");
      expect(current()).toBe("socket");
    });
  });

  it("covers listeners added before the binding too", () => {
    const emitter = new EventEmitter();
    const seen: unknown[] = [];
    emitter.on("finish", () => seen.push(current()));
    manager.bind(ctx("request"), emitter);
    emitter.emit("finish");
    expect(seen).toEqual(["request"]);
  });

  it("leaves once, removeListener and the listener count working, with nothing wrapped", () => {
    const emitter = new EventEmitter();
    manager.bind(ctx("request"), emitter);
    const calls: string[] = [];
    const onClose = () => calls.push("close");
    const onEnd = () => calls.push("end");
    emitter.once("close", onClose);
    emitter.on("end", onEnd);
    expect(emitter.listeners("end")).toEqual([onEnd]);
    emitter.removeListener("end", onEnd);
    emitter.emit("close");
    emitter.emit("close");
    emitter.emit("end");
    expect(calls).toEqual(["close"]);
    expect(emitter.listenerCount("close")).toBe(0);
  });

  it("keeps the first binding of an emitter", () => {
    const emitter = new EventEmitter();
    manager.bind(ctx("first"), emitter);
    manager.bind(ctx("second"), emitter);
    let seen: unknown;
    emitter.on("x", () => {
      seen = current();
    });
    emitter.emit("x");
    expect(seen).toBe("first");
  });

  it("passes the event's arguments and return value through", () => {
    const emitter = new EventEmitter();
    manager.bind(ctx("request"), emitter);
    let args: unknown[] = [];
    emitter.on("data", (...a: unknown[]) => {
      args = a;
    });
    expect(emitter.emit("data", 1, "two")).toBe(true);
    expect(emitter.emit("nobody-listens")).toBe(false);
    expect(args).toEqual([1, "two"]);
  });

  it("still binds plain functions like the SDK's manager", () => {
    const fn = manager.bind(ctx("bound"), () => current());
    expect(manager.with(ctx("other"), fn)).toBe("bound");
  });
});

describe("rebindEmitter", () => {
  const manager = new EmitterBindingContextManager().enable();
  const current = () => manager.active().getValue(key);

  it("moves an emitter this manager bound, and leaves others alone", () => {
    const bound = new EventEmitter();
    const other = new EventEmitter();
    manager.bind(ctx("http"), bound);
    rebindEmitter(bound, ctx("http + request id"));
    rebindEmitter(other, ctx("never"));
    const seen: unknown[] = [];
    bound.on("finish", () => seen.push(current()));
    other.on("finish", () => seen.push(current()));
    bound.emit("finish");
    other.emit("finish");
    expect(seen).toEqual(["http + request id", undefined]);
  });
});
