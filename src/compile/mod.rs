//! Compiling detections: for each detection, expand its search against the macro table,
//! parse it, map SPL spans back to the YAML file, and run the SPL lints. Joins `content`
//! (which knows files) and `spl` (which knows only strings).
