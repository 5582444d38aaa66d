//! SPL front end: lexer, parser (three expression grammars), typed AST with spans, macro
//! expansion against a macro table, and printer. It sees no YAML and no paths: it takes a
//! string and a macro table, and its spans are byte ranges in that string.
pub mod expand;
