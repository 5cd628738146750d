import { createContext, useContext } from "react";

// The CSP nonce for this response, for the few inline scripts Remix renders.
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
