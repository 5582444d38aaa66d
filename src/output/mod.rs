//! Renderers: diagnostics (human, GitHub annotations, JSON lines) and summaries. They decide
//! nothing; they only turn data into text.
