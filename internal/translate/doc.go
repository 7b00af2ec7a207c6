// Package translate turns segments of text into English behind one
// Translator interface, and remembers every translation in a cache so that
// nothing is ever translated twice.
//
// # Translator
//
// A backend: gloss (the embedded, offline word-by-word gist, the default),
// libre (a self-hosted LibreTranslate) or openai (any OpenAI-compatible chat
// endpoint such as Ollama, vLLM or a llama.cpp server). A Translator takes a
// batch of segments in one source language and returns one translation per
// segment, in order. Leaked text never leaves the machine unless the analyst
// points a backend at another host.
//
// # Segment
//
// A unit of translation: a paragraph, a line or a chat message, as cut by
// lang.Segments. Segments are translated independently, which is what makes
// them cacheable.
//
// # Cache
//
// Translations keyed by (backend name, source language, SHA-256 of the
// segment). The SQL implementation keeps them in the case database, table
// translations; switching backend adds rows and keeps the old ones, so the
// analyst can compare. Cached wraps a Translator so that only cache misses
// reach the backend, deduplicated and in batches.
package translate
