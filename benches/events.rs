//! Parse-only throughput of the event readers: read files, build every event (all fields, no
//! projection), hand it to a sink that walks its fields; no CIM normalization, no detection.
//!
//! `cargo bench --bench events -- [--threads N] [--normalize] PATH...` (release profile).
//! `--normalize` also applies the built-in CIM mappings to every event (what `detc events`
//! does), to measure what normalization costs on top of reading. The files under the
//! paths are split across N threads (default 2), largest first onto the least-loaded thread, each
//! thread with its own `Reader` and a clone of one field table. Prints files, uncompressed MB,
//! events, bad records, wall seconds, MB/s and events/s. `benches/events.sh` prepares the inputs
//! and runs it under `/usr/bin/time -v` for peak memory.

use std::path::PathBuf;
use std::time::Instant;

use detc::events::normalize::Normalizer;
use detc::events::{Event, FieldTable, ReadConfig, ReadSummary, Reader, input_files};

fn main() {
    let mut threads = 2usize;
    let mut normalize = false;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--normalize" => normalize = true,
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(2).max(1),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let files = match input_files(&paths) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    // Largest first, each onto the thread with the fewest bytes so far.
    let mut sized: Vec<_> = files
        .into_iter()
        .map(|f| (std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0), f))
        .collect();
    sized.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut shares: Vec<(u64, Vec<PathBuf>)> = vec![(0, Vec::new()); threads];
    for (size, file) in sized {
        if let Some(share) = shares.iter_mut().min_by_key(|s| s.0) {
            share.0 += size;
            share.1.push(file);
        }
    }
    let mut table = FieldTable::new();
    let normalizer = if normalize {
        let shipped = detc::events::normalize::embedded();
        let sources = detc::events::normalize::effective_sources(None, &shipped.content);
        let mut datasets = detc::events::DatasetTable::new();
        match Normalizer::build(&sources, &mut table, &mut datasets) {
            Ok(normalizer) => normalizer,
            Err(error) => {
                eprintln!("{error}");
                std::process::exit(2);
            }
        }
    } else {
        Normalizer::empty()
    };
    let normalizer = &normalizer;
    let start = Instant::now();
    let results: Vec<(ReadSummary, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|(_, files)| {
                let table = table.clone();
                scope.spawn(move || {
                    let mut reader = Reader::new(ReadConfig::default(), table);
                    let mut checksum = 0u64;
                    for file in files {
                        let result = reader.read_file(
                            &file,
                            &mut |event: &mut Event<'_>, _: &mut FieldTable| {
                                normalizer.apply(event);
                                // Touch every value, so that nothing built is left unused.
                                for entry in event.entries() {
                                    checksum = checksum.wrapping_add(entry.value.len() as u64);
                                }
                            },
                        );
                        if let Err(error) = result {
                            eprintln!("{error}");
                        }
                    }
                    (reader.into_parts().1, checksum)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut summary = ReadSummary::default();
    let mut checksum = 0u64;
    for (part, sum) in results {
        summary.merge(part);
        checksum = checksum.wrapping_add(sum);
    }
    let megabytes = summary.bytes as f64 / 1e6;
    println!(
        "threads {threads}  normalize {normalize}  files {}  MB {megabytes:.1}  events {}  bad {}  seconds {seconds:.3}  MB/s {:.0}  events/s {:.0}  (checksum {checksum})",
        summary.files,
        summary.events(),
        summary.bad_records(),
        megabytes / seconds,
        summary.events() as f64 / seconds,
    );
    for (format, count) in &summary.by_format {
        println!("  {format}: {count}");
    }
}
