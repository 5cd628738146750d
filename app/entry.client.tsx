import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode, useEffect, type ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { REFERENCE_META, ReferenceContext } from "./components/reference.tsx";
import { restoreTypingAfterHydration, watchTypingBeforeHydration } from "./forms/typed-before-hydration.client.ts";

watchTypingBeforeHydration();

// Effects run once hydration has committed, after react-dom has reset prefilled fields.
function AfterHydration({ children }: { children: ReactNode }) {
  useEffect(restoreTypingAfterHydration, []);
  return children;
}

// The page's own request id, written by the server (root.tsx's Layout), so the first render
// here matches the server's.
const pageReference = document.querySelector<HTMLMetaElement>(`meta[name="${REFERENCE_META}"]`)?.content || null;

// Forms sent and pages opened without reloading fetch Remix's data (`….data`); its answer's
// X-Request-Id is the reference of whatever it shows, an error page included. An error's own
// message never carries it: Remix replaces a server error with a bare one before sending it.
let latest: string | null = null;
const fetchPage = window.fetch.bind(window);
window.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await fetchPage(...args);
  const id = response.headers.get("X-Request-Id");
  if (id && new URL(response.url, window.location.href).pathname.endsWith(".data")) latest = id;
  return response;
};
const reference = () => latest ?? pageReference;

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <ReferenceContext.Provider value={reference}>
        <AfterHydration>
          <RemixBrowser />
        </AfterHydration>
      </ReferenceContext.Provider>
    </StrictMode>,
  );
});
