// ESLint (flat config). `npm run lint` runs it after `tsc`, with Prettier's check and the
// repository's own rules (scripts/lint.mjs). Formatting is Prettier's alone: eslint-config-prettier
// comes last and turns off every stylistic rule that would argue with it.
//
// The rules are typescript-eslint's untyped set: its type-aware set took over twice the time of
// `tsc` and 2 GB of memory on this tree, for little it would have caught (docs/decisions/0016).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "app/generated/",
    "build/",
    "build-*/",
    "public/build/",
    "test-results/",
    "playwright-report/",
    ".e2e-data*/",
    "data/",
    "bench/results/",
    "backups/",
    "uploads/",
    ".cache/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["**/*.{js,mjs}"],
    ignores: ["public/**"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["public/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    rules: {
      // A leading underscore marks a value left unused on purpose: a field taken out of an
      // object before the rest is passed on (`const { id: _id, ...rest } = row`), or a
      // parameter that a callback's signature requires.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // Playwright reads a fixture's dependencies from its first parameter's destructuring, so a
      // fixture that depends on nothing is written `async ({}, use) => …`.
      "no-empty-pattern": ["error", { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    // The tests and the benchmarks read what loaders and actions return as untyped JSON (the
    // assertions are the check), so the callbacks over its rows take `any`.
    files: ["tests/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Only the app is React: elsewhere a `use…` name is a test helper (useTestDatabase) or a
    // Playwright fixture's `use`, which the hooks rules would take for React's.
    files: ["app/**/*.tsx"],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ["**/*.tsx"],
    extends: [jsxA11y.flatConfigs.recommended],
    rules: {
      // A region that scrolls sideways (a wide table or diagram) must take focus, or keyboard
      // users cannot scroll it (WCAG 2.1.1); such a region is named and has role="region".
      "jsx-a11y/no-noninteractive-tabindex": ["error", { tags: [], roles: ["tabpanel", "region"], allowExpressionValues: true }],
    },
  },
  prettier,
);
