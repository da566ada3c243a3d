//! Mutation fuzzing of every decoder: one test of the crate's own unit
//! tests (`cargo test fuzz`), so that the crate is compiled once for its
//! tests; ./build.sh passes libtest's `--show-output`, so that the counts it
//! prints are always shown.
//!
//! From the seed corpus (seeds.rs) it decodes `CODEC_FUZZ_FILES` mutated
//! files (default 120,000; `CODEC_FUZZ_SEED` picks the sequence) through
//! `decode_file`, what the exported `decode` runs, on two threads. Every
//! decode must return (a watchdog fails the run on one that takes longer
//! than `HANG_AFTER`), must not panic, and must keep its heap under
//! `decode_memory_bound`. A failing file is saved (in the target folder's
//! tmp/fuzz-failures/) and the test fails with its path; once fixed, it
//! goes into tests/regressions/, which is decoded first.
//! With `CODEC_FUZZ_OUT` set, the nastiest refused files (one per kind of
//! error, the slowest, the hungriest, the regressions) are written there
//! with `manifest.json`, the error each gets under the page's limits: the
//! browser test decodes them again through the Python API. Fonts get
//! their own mutants first (`CODEC_FUZZ_FONTS`, default 1,500; fonts.rs).

mod fonts;
mod memory;
mod mutate;
mod seeds;

use crate::error::{ErrorKind, Limits, decode_memory_bound};
use crate::jpeg_draft::{DraftColour, decode_jpeg_draft};
use crate::rgba::decode_file_with;
use crate::{fli, gif, jpeg, webp};
use mutate::{Format, Rng};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

// The whole unit-test binary's allocator (this module is built for tests
// only): it counts per thread, and refuses large requests only inside the
// fuzz's measured decodes, so the other tests are not disturbed.
#[global_allocator]
static ALLOCATOR: memory::CountingAllocator = memory::CountingAllocator;

/// rust_image's side limit, and a pixel limit small enough that mutants
/// claiming the most it allows still decode fast.
const FUZZ_LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 20 };
/// rust_image's own limits, as the page passes them.
const PAGE_LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 << 20 };
/// A decode still running after this long is a hang (a test build decodes
/// any of these files in milliseconds).
const HANG_AFTER: Duration = Duration::from_secs(20);
const THREADS: usize = 2;
/// Files kept for the browser per format: one per distinct error, at most.
const DISTINCT_ERRORS_KEPT: usize = 50;
/// Files kept for the browser per format from the slowest and hungriest.
const EXTREMES_KEPT: usize = 6;

/// How one decode ended.
enum Ending {
    Decoded { width: u32, height: u32 },
    Refused { kind: ErrorKind, message: String },
    Panicked(String),
}

struct Trial {
    ending: Ending,
    micros: u64,
    heap: usize,
    refused_allocations: usize,
}

thread_local! {
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while this thread runs the fuzz's decodes or its workers: their
    /// panics are recorded in `PANIC_MESSAGE`, not printed. The other
    /// tests' panics go to the hook that was there before.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `run` with this thread's panics recorded in `PANIC_MESSAGE`.
fn recording<T>(run: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            RECORDING.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(RECORDING.with(|flag| flag.replace(true)));
    run()
}

/// Chains a panic hook that records the panics of `recording` threads and
/// hands every other panic to the hook before it (libtest's output then
/// shows them as usual). Installed once, and left in place: it only acts
/// for the fuzz's own threads.
fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !RECORDING.try_with(Cell::get).unwrap_or(false) {
                return previous(info);
            }
            let location = info.location().map(|at| format!(" at {}:{}", at.file(), at.line())).unwrap_or_default();
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            PANIC_MESSAGE.with(|message| *message.borrow_mut() = Some(format!("{payload}{location}")));
        }));
    });
}

fn decode(bytes: &[u8], limits: Limits, load_truncated: bool) -> Trial {
    let started = Instant::now();
    let (result, heap, refused_allocations) = memory::measure(|| {
        recording(|| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                decode_frames(bytes, limits, load_truncated);
                decode_file_with(bytes, limits, load_truncated)
            }))
        })
    });
    let micros = started.elapsed().as_micros() as u64;
    let ending = match result {
        Ok(Ok((_, decoded))) => Ending::Decoded { width: decoded.width, height: decoded.height },
        Ok(Err(error)) => Ending::Refused { kind: error.kind(), message: error.to_string() },
        Err(_) => Ending::Panicked(PANIC_MESSAGE.with(|message| message.borrow_mut().take()).unwrap_or_default()),
    };
    Trial { ending, micros, heap, refused_allocations }
}

/// The frame decoders the host calls for animations, on the same mutant
/// (their results are not judged, only that they return, within the time
/// and heap of a decode): the LZW data after each of a GIF's first image
/// descriptors, the first two composed frames of an animated WebP, and the
/// first four frames of an FLI, each over the one before; and a JPEG's
/// decodes for Pillow's `draft`, at each scale (in the colour a byte of
/// the mutant picks) and at full size in grey.
fn decode_frames(bytes: &[u8], limits: Limits, load_truncated: bool) {
    if jpeg::is_jpeg(bytes) {
        let colours = [DraftColour::Native, DraftColour::Grey, DraftColour::YCbCr];
        let colour = colours[usize::from(bytes.get(bytes.len() / 2).copied().unwrap_or(0)) % 3];
        for scale in [2, 4, 8] {
            drop(decode_jpeg_draft(bytes, limits, scale, colour, load_truncated));
        }
        drop(decode_jpeg_draft(bytes, limits, 1, DraftColour::Grey, load_truncated));
    } else if gif::is_gif(bytes) {
        let descriptors =
            bytes.iter().enumerate().skip(13).filter(|&(at, &byte)| byte == b',' && at + 10 < bytes.len());
        for (at, _) in descriptors.take(4) {
            let field = |offset: usize| u32::from(u16::from_le_bytes([bytes[at + offset], bytes[at + offset + 1]]));
            let flags = bytes[at + 9];
            let table = if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
            let interlaced = flags & 0x40 != 0;
            drop(gif::decode_gif_frame(
                bytes,
                at + 10 + table,
                field(5),
                field(7),
                interlaced,
                Some(3),
                limits,
                load_truncated,
            ));
        }
    } else if webp::is_webp(bytes) {
        drop(webp::decode_webp_frames(bytes, 0, 2, limits));
    } else if fli::is_fli(bytes) && bytes.len() >= 16 {
        // The frames after the first, each over the one before, as the host walks them.
        let (width, height) =
            (usize::from(bytes[8]) | usize::from(bytes[9]) << 8, usize::from(bytes[10]) | usize::from(bytes[11]) << 8);
        if limits.rgba_len("FLI", width as u32, height as u32).is_ok() {
            let mut canvas = vec![0u8; width * height];
            let mut at = fli::FIRST_FRAME;
            for _ in 0..4 {
                drop(fli::decode_fli_frame(bytes, at, width, height, &mut canvas, load_truncated));
                let Some(size) = bytes.get(at..at + 4) else { break };
                let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
                if size == 0 {
                    break;
                }
                at = at.saturating_add(size);
            }
        }
    }
}

/// The heap a decode may use under `limits`: its own size's bound when it
/// decoded, the largest picture's when it was refused.
fn heap_bound(trial: &Trial, limits: Limits) -> usize {
    let rgba_len = match trial.ending {
        Ending::Decoded { width, height } => width as usize * height as usize * 4,
        _ => limits.max_pixels as usize * 4,
    };
    decode_memory_bound(rgba_len)
}

/// What a worker publishes for the watchdog: when its decode started (ms
/// since the run began, 0 when idle) and the file.
struct Slot {
    started_ms: AtomicU64,
    file: Mutex<Vec<u8>>,
}

#[derive(Default)]
struct Tally {
    files: usize,
    decoded: usize,
    refused: BTreeMap<&'static str, usize>,
    mutations: BTreeMap<&'static str, usize>,
    slowest_micros: u64,
    most_heap: usize,
    /// Refused files worth decoding again in the browser, by reason.
    distinct: BTreeMap<String, Vec<u8>>,
    slow: Vec<(u64, Vec<u8>)>,
    hungry: Vec<(usize, Vec<u8>)>,
}

impl Tally {
    fn keep_extreme<K: Ord + Copy>(list: &mut Vec<(K, Vec<u8>)>, key: K, bytes: &[u8]) {
        if list.len() < EXTREMES_KEPT || list.iter().any(|(other, _)| *other < key) {
            list.push((key, bytes.to_vec()));
            list.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
            list.truncate(EXTREMES_KEPT);
        }
    }

    fn add(&mut self, trial: &Trial, mutation: &'static str, bytes: &[u8]) {
        self.files += 1;
        *self.mutations.entry(mutation).or_default() += 1;
        match &trial.ending {
            Ending::Decoded { .. } => self.decoded += 1,
            Ending::Refused { kind, message } => {
                *self.refused.entry(kind_name(*kind)).or_default() += 1;
                let reason: String = message.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
                if self.distinct.len() < DISTINCT_ERRORS_KEPT && !self.distinct.contains_key(&reason) {
                    self.distinct.insert(reason, bytes.to_vec());
                }
                Self::keep_extreme(&mut self.slow, trial.micros, bytes);
                Self::keep_extreme(&mut self.hungry, trial.heap, bytes);
            }
            Ending::Panicked(_) => {}
        }
        self.slowest_micros = self.slowest_micros.max(trial.micros);
        self.most_heap = self.most_heap.max(trial.heap);
    }

    fn merge(&mut self, other: Tally) {
        self.files += other.files;
        self.decoded += other.decoded;
        for (kind, count) in other.refused {
            *self.refused.entry(kind).or_default() += count;
        }
        for (mutation, count) in other.mutations {
            *self.mutations.entry(mutation).or_default() += count;
        }
        self.slowest_micros = self.slowest_micros.max(other.slowest_micros);
        self.most_heap = self.most_heap.max(other.most_heap);
        for (reason, bytes) in other.distinct {
            if self.distinct.len() < DISTINCT_ERRORS_KEPT {
                self.distinct.entry(reason).or_insert(bytes);
            }
        }
        for (micros, bytes) in other.slow {
            Self::keep_extreme(&mut self.slow, micros, &bytes);
        }
        for (heap, bytes) in other.hungry {
            Self::keep_extreme(&mut self.hungry, heap, &bytes);
        }
    }
}

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::BadFile => "ImageFileError",
        ErrorKind::Bomb => "DecompressionBombError",
        ErrorKind::WrongType => "TypeError",
        ErrorKind::OutOfRange => "RangeError",
        ErrorKind::OutOfMemory => "OutOfMemoryError",
    }
}

/// A file that broke a rule, saved for the report.
struct Failure {
    what: String,
    path: PathBuf,
}

/// The target folder's tmp/, found from this test binary's path
/// (target/debug/deps/...): cargo gives integration tests its path in
/// `CARGO_TARGET_TMPDIR`, unit tests not.
fn target_tmp() -> PathBuf {
    let binary = std::env::current_exe().ok();
    binary
        .as_deref()
        .and_then(|binary| binary.ancestors().nth(3))
        .map_or_else(std::env::temp_dir, |target| target.join("tmp"))
}

fn save_failure(format: Option<Format>, bytes: &[u8], what: String) -> Failure {
    let folder = target_tmp().join("fuzz-failures");
    std::fs::create_dir_all(&folder).expect("a folder for failing files");
    let hash = crc32fast::hash(bytes);
    let path = folder.join(format!("{hash:08x}.{}", format.map_or("bin", Format::extension)));
    std::fs::write(&path, bytes).expect("the failing file saved");
    Failure { what, path }
}

/// Checks one decode's rules; a broken one becomes a failure.
fn judge(format: Option<Format>, bytes: &[u8], trial: &Trial, limits: Limits, label: &str) -> Option<Failure> {
    let what = if let Ending::Panicked(message) = &trial.ending {
        format!("{label}: the decoder panicked: {message}")
    } else if trial.refused_allocations > 0 {
        format!("{label}: asked for more than {} bytes at once", memory::REFUSE_ABOVE)
    } else if trial.heap > heap_bound(trial, limits) {
        format!("{label}: used {} bytes of heap, over its bound of {}", trial.heap, heap_bound(trial, limits))
    } else {
        return None;
    };
    Some(save_failure(format, bytes, what))
}

struct Run {
    tallies: BTreeMap<Format, Tally>,
    failures: Vec<Failure>,
}

fn worker(worker: usize, files: usize, seed: u64, corpus: &[seeds::Seed], slot: &Slot, clock: Instant) -> Run {
    let mut rng = Rng::new(seed ^ (worker as u64).wrapping_mul(0xA076_1D64_78BD_642F));
    let mut run = Run { tallies: BTreeMap::new(), failures: Vec::new() };
    let by_format: Vec<(Format, Vec<&seeds::Seed>)> = Format::ALL
        .iter()
        .map(|&format| (format, corpus.iter().filter(|seed| Format::of(&seed.bytes) == Some(format)).collect()))
        .filter(|(_, seeds): &(Format, Vec<&seeds::Seed>)| !seeds.is_empty())
        .collect();
    for index in 0..files {
        // Formats take turns, so each gets its share whatever its seed count.
        let (format, seeds) = &by_format[index % by_format.len()];
        let source = seeds[rng.below(seeds.len())];
        let donor = seeds[rng.below(seeds.len())];
        let (bytes, mutation) = mutate::mutate(&mut rng, *format, &source.bytes, &donor.bytes);
        {
            let mut published = slot.file.lock().expect("the watchdog's slot");
            published.clear();
            published.extend_from_slice(&bytes);
        }
        slot.started_ms.store(clock.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let trial = decode(&bytes, FUZZ_LIMITS, false);
        let label = format!("{} ({mutation})", source.name);
        if let Some(failure) = judge(Some(*format), &bytes, &trial, FUZZ_LIMITS, &label) {
            run.failures.push(failure);
        }
        // A refused file is decoded again as Pillow's LOAD_TRUNCATED_IMAGES
        // asks, the decoders' other path: judged alike, not tallied.
        if matches!(trial.ending, Ending::Refused { .. }) {
            let lenient = decode(&bytes, FUZZ_LIMITS, true);
            let label = format!("{label} with load_truncated");
            if let Some(failure) = judge(Some(*format), &bytes, &lenient, FUZZ_LIMITS, &label) {
                run.failures.push(failure);
            }
        }
        slot.started_ms.store(0, Ordering::SeqCst);
        run.tallies.entry(*format).or_default().add(&trial, mutation, &bytes);
    }
    run
}

/// Fails the run if any worker's decode has been running for too long.
fn watch(slots: &[Arc<Slot>], clock: Instant, done: &AtomicU64) {
    while done.load(Ordering::SeqCst) < slots.len() as u64 {
        std::thread::sleep(Duration::from_millis(100));
        let now = clock.elapsed().as_millis() as u64;
        for slot in slots {
            let started = slot.started_ms.load(Ordering::SeqCst);
            if started > 0 && now.saturating_sub(started - 1) > HANG_AFTER.as_millis() as u64 {
                let bytes = slot.file.lock().map(|file| file.clone()).unwrap_or_default();
                let failure = save_failure(Format::of(&bytes), &bytes, "a decode hung".into());
                // The hung thread cannot be stopped, nor the test end: the
                // binary exits, so this goes to stderr past libtest's capture.
                let _ = writeln!(
                    std::io::stderr(),
                    "fuzz: FAILED: a decode ran for over {HANG_AFTER:?}; the file is {}",
                    failure.path.display()
                );
                std::process::exit(1);
            }
        }
    }
}

fn json_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(quoted, "\\u{:04x}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Writes the files worth a browser run, with the error each gets under the
/// page's limits (files those limits let through are left out).
fn write_nasty_files(folder: &Path, tallies: &BTreeMap<Format, Tally>, regressions: &[seeds::Seed]) -> usize {
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).unwrap_or_else(|error| panic!("CODEC_FUZZ_OUT={}: {error}", folder.display()));
    let mut candidates: Vec<(String, Vec<u8>)> =
        regressions.iter().map(|seed| (seed.name.replace(['/', ' ', ':'], "_"), seed.bytes.clone())).collect();
    for (format, tally) in tallies {
        let name = |what: &str, index: usize| {
            format!("{}-{what}-{index:02}.{}", format.name().to_lowercase(), format.extension())
        };
        candidates
            .extend(tally.distinct.values().enumerate().map(|(index, bytes)| (name("error", index), bytes.clone())));
        candidates
            .extend(tally.slow.iter().enumerate().map(|(index, (_, bytes))| (name("slowest", index), bytes.clone())));
        candidates.extend(
            tally.hungry.iter().enumerate().map(|(index, (_, bytes))| (name("hungriest", index), bytes.clone())),
        );
    }
    let mut manifest = String::from("[\n");
    let mut written = 0;
    // A mutant whose signature no longer names a format is refused by the
    // Python API before it reaches Rust, with a message of its own.
    for (name, bytes) in candidates.into_iter().filter(|(_, bytes)| Format::of(bytes).is_some()) {
        let Ending::Refused { kind, message } = decode(&bytes, PAGE_LIMITS, false).ending else { continue };
        std::fs::write(folder.join(&name), &bytes).expect("a nasty file written");
        let separator = if written == 0 { "" } else { ",\n" };
        let _ = write!(
            manifest,
            "{separator}  {{\"file\": {}, \"error\": {}, \"message\": {}}}",
            json_string(&name),
            json_string(kind_name(kind)),
            json_string(&message)
        );
        written += 1;
    }
    manifest.push_str("\n]\n");
    std::fs::write(folder.join("manifest.json"), manifest).expect("the manifest written");
    written
}

fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(text) => text.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

#[test]
fn decoders_survive_mutated_files() {
    install_panic_hook();
    let files: usize = setting("CODEC_FUZZ_FILES", 120_000);
    let seed: u64 = setting("CODEC_FUZZ_SEED", 15);
    let started = Instant::now();

    let mut corpus = seeds::made_here();
    let made_here = corpus.len();
    let seed_folder = std::env::var_os("CODEC_SEEDS").map(PathBuf::from);
    if let Some(folder) = &seed_folder {
        corpus.extend(seeds::from_folder(folder));
    }
    let mut failures = Vec::new();
    for seed in &corpus {
        let trial = decode(&seed.bytes, FUZZ_LIMITS, false);
        if !matches!(trial.ending, Ending::Decoded { .. }) {
            let reason = match &trial.ending {
                Ending::Refused { message, .. } | Ending::Panicked(message) => message.clone(),
                Ending::Decoded { .. } => String::new(),
            };
            failures.push(save_failure(
                Format::of(&seed.bytes),
                &seed.bytes,
                format!("seed {} does not decode: {reason}", seed.name),
            ));
        }
    }
    println!(
        "fuzz: {} seeds ({made_here} made here, {} from {})",
        corpus.len(),
        corpus.len() - made_here,
        seed_folder.as_ref().map_or("CODEC_SEEDS, which is not set".to_string(), |folder| folder.display().to_string())
    );

    let regressions = seeds::from_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions"));
    for regression in &regressions {
        let trial = decode(&regression.bytes, FUZZ_LIMITS, false);
        failures.extend(judge(Format::of(&regression.bytes), &regression.bytes, &trial, FUZZ_LIMITS, &regression.name));
    }
    println!("fuzz: {} regression files from tests/regressions decoded again", regressions.len());

    let font_files: usize = setting("CODEC_FUZZ_FONTS", 1500);
    let font_clock = Instant::now();
    let (font_seeds, fonts_loaded, font_panics) = fonts::run(font_files, seed);
    println!(
        "fuzz: {font_files} mutated fonts from {font_seeds} of Pillow's test fonts ({fonts_loaded} loaded, {:.1} s): {} panics",
        font_clock.elapsed().as_secs_f64(),
        font_panics.len()
    );
    for message in font_panics {
        eprintln!("fuzz: FAILED: {message}");
        failures.push(Failure { path: PathBuf::new(), what: message });
    }

    let clock = Instant::now();
    let slots: Vec<Arc<Slot>> =
        (0..THREADS).map(|_| Arc::new(Slot { started_ms: AtomicU64::new(0), file: Mutex::new(Vec::new()) })).collect();
    let done = AtomicU64::new(0);
    let corpus = &corpus;
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|index| {
                let (slot, done) = (Arc::clone(&slots[index]), &done);
                let share = files / THREADS + usize::from(index < files % THREADS);
                scope.spawn(move || {
                    // A panic outside a decode (in the harness itself) must
                    // end the run with its message, not leave the watcher
                    // waiting for a worker that is gone.
                    let run = recording(|| {
                        panic::catch_unwind(AssertUnwindSafe(|| worker(index, share, seed, corpus, &slot, clock)))
                    });
                    done.fetch_add(1, Ordering::SeqCst);
                    run.unwrap_or_else(|_| {
                        let message = PANIC_MESSAGE.with(|message| message.borrow_mut().take()).unwrap_or_default();
                        let bytes = slot.file.lock().map(|file| file.clone()).unwrap_or_default();
                        let what = format!("fuzz worker {index} panicked outside a decode: {message}");
                        Run { tallies: BTreeMap::new(), failures: vec![save_failure(Format::of(&bytes), &bytes, what)] }
                    })
                })
            })
            .collect();
        watch(&slots, clock, &done);
        handles.into_iter().map(|handle| handle.join().expect("a fuzz worker")).collect()
    });

    let mut tallies: BTreeMap<Format, Tally> = BTreeMap::new();
    for run in runs {
        failures.extend(run.failures);
        for (format, tally) in run.tallies {
            tallies.entry(format).or_default().merge(tally);
        }
    }
    let total: usize = tallies.values().map(|tally| tally.files).sum();
    println!(
        "fuzz: {total} mutated files decoded (sequence {seed}, {THREADS} threads, {:.1} s): {} panics or memory overruns, no hang over {HANG_AFTER:?}",
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    for (format, tally) in &tallies {
        let refused: Vec<String> = tally.refused.iter().map(|(kind, count)| format!("{count} {kind}")).collect();
        println!(
            "fuzz:   {:<4} {:>6} files: {:>6} decoded, refused {}; slowest {:.1} ms, most heap {:.1} MiB",
            format.name(),
            tally.files,
            tally.decoded,
            refused.join(", "),
            tally.slowest_micros as f64 / 1000.0,
            tally.most_heap as f64 / 1048576.0
        );
    }
    let mut mutations: BTreeMap<&str, usize> = BTreeMap::new();
    for tally in tallies.values() {
        for (mutation, count) in &tally.mutations {
            *mutations.entry(mutation).or_default() += count;
        }
    }
    let mutations: Vec<String> = mutations.iter().map(|(name, count)| format!("{name} {count}")).collect();
    println!("fuzz:   last mutation of each file: {}", mutations.join(", "));

    if let Some(folder) = std::env::var_os("CODEC_FUZZ_OUT").map(PathBuf::from) {
        let written = write_nasty_files(&folder, &tallies, &regressions);
        println!("fuzz: {written} refused files for the browser test written to {}", folder.display());
    }
    let listed: Vec<String> = failures
        .iter()
        .map(|failure| format!("fuzz: FAILED: {} (saved as {})", failure.what, failure.path.display()))
        .collect();
    assert!(failures.is_empty(), "{} fuzz failures:\n{}", failures.len(), listed.join("\n"));
}
