import { useEffect, useState } from "react";

type ApiState = { kind: "loading" } | { kind: "up"; version: string } | { kind: "down"; reason: string };

export function App() {
  const [api, setApi] = useState<ApiState>({ kind: "loading" });
  useEffect(() => {
    fetch("/api/health/live")
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { version: string };
        setApi({ kind: "up", version: body.version });
      })
      .catch((err: Error) => setApi({ kind: "down", reason: err.message }));
  }, []);
  return (
    <main>
      <h1>TaskMaster Pro</h1>
      <p role="status">
        {api.kind === "loading" && "Connecting to the API…"}
        {api.kind === "up" && `API is up (version ${api.version}).`}
        {api.kind === "down" && `API is unreachable: ${api.reason}`}
      </p>
    </main>
  );
}
