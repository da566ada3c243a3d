#!/usr/bin/env bash
# One entry point for setting up, building, serving and testing wasmcanvas.
# Run `./build.sh help` for the list of commands.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CRATE_DIR="$ROOT/crate"
WEB_DIR="$ROOT/web"
DIST_DIR="$ROOT/dist"
VENV_DIR="$ROOT/.venv"
TOOLCHAIN_DIR="$ROOT/.toolchain"
BUILD_DIR="$ROOT/build"
VENV_PYTHON="$VENV_DIR/bin/python"

# Every Python process keeps the bytecode it compiles, under build/ rather
# than beside the sources. Where PYTHONDONTWRITEBYTECODE is set (as on
# these machines), each pytest process compiled pytest, selenium and our
# test modules again: measured, 15 s of CPU to collect the tests, 10 s with
# the bytecode kept.
export PYTHONPYCACHEPREFIX="$BUILD_DIR/pycache"
unset PYTHONDONTWRITEBYTECODE

FORKY_DIR="$TOOLCHAIN_DIR/forky"
VENDOR_DIR="$TOOLCHAIN_DIR/vendor"
# A CARGO_HOME of our own whose config.toml reads every crate from VENDOR_DIR:
# unlike `cargo --config`, it also reaches cargo's subcommands (fmt, clippy).
CARGO_OFFLINE_HOME="$TOOLCHAIN_DIR/cargo-home"
PYODIDE_TYPES_DIR="$TOOLCHAIN_DIR/pyodide-py"
PYODIDE_WHEELS_DIR="$TOOLCHAIN_DIR/pyodide-wheels"

DEBIAN_PACKAGES=(rustc-web cargo-web rust-web-src lld-22 rustfmt-web rust-web-clippy chromium chromium-driver python3-venv)
# Crate sources (and their whole dependency tree) taken from Debian testing.
FORKY_CRATES=(librust-wasm-bindgen-dev librust-js-sys-dev librust-console-error-panic-hook-dev librust-proptest-dev
    librust-png-dev librust-zune-jpeg-dev librust-jpeg-encoder-dev librust-gif-dev librust-image-webp-dev
    librust-skrifa-dev librust-zeno-dev librust-rustybuzz-dev
    librust-brotli-decompressor-dev)
# Crates taken without their Debian dependencies: each one's default features
# pull in crates (the whole image crate, for the JPEG 2000 decoder) that our
# build switches off.
FORKY_CRATES_ALONE=(librust-hayro-jpeg2000-dev librust-fearless-simd-dev)
DEBIAN_RUST_SRC=/usr/src/rustc-1.96.0
WASM_LINKER=/usr/lib/llvm-22/bin/wasm-ld
WASM_TARGET=wasm32-unknown-unknown
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
# binaryen from npm: bookworm's wasm-opt 108 rewires wasm-bindgen's externref
# table export to the function table, and forky's needs a newer glibc.
WASM_OPT="$WEB_DIR/node_modules/.bin/wasm-opt"

die() {
    echo "build.sh: error: $*" >&2
    exit 1
}

# Each step's line carries the seconds since the command started, so a log
# shows where a run spends its time.
say() {
    printf '==> [%4d s] %s\n' "$SECONDS" "$*"
}

# Runs a noisy command with its output kept in .toolchain/logs/NAME.log; on
# failure shows the end of that log, then one line saying what failed.
run_logged() {
    local name="$1" what="$2"
    shift 2
    local log="$TOOLCHAIN_DIR/logs/$name.log"
    mkdir -p "$TOOLCHAIN_DIR/logs"
    if ! "$@" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "$what failed (full log: ${log#"$ROOT"/})"
    fi
}

# The crate pins wasm-bindgen exactly; the CLI must be that same version.
wasm_bindgen_version() {
    sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' "$CRATE_DIR/Cargo.toml"
}

# ---------------------------------------------------------------- toolchain --

# "standard" when rustup has the wasm32 target and a wasm-bindgen CLI of the
# pinned version is on PATH; otherwise Debian's rustc-web built offline.
detect_toolchain() {
    local pinned
    pinned="$(wasm_bindgen_version)"
    if command -v rustup >/dev/null 2>&1 &&
        rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET" &&
        command -v wasm-bindgen >/dev/null 2>&1 &&
        [[ "$(wasm-bindgen --version 2>/dev/null)" == "wasm-bindgen $pinned" ]]; then
        echo standard
    else
        echo debian
    fi
}

toolchain_kind() {
    echo "$TOOLCHAIN_KIND"
}

wasm_bindgen_cli() {
    if [[ "$(toolchain_kind)" == standard ]]; then
        command -v wasm-bindgen
    else
        echo "$FORKY_DIR/root/usr/bin/wasm-bindgen"
    fi
}

# Runs cargo with the toolchain chosen above; the Debian one (first on PATH, so
# that cargo fmt and cargo clippy find Debian's rustfmt and clippy-driver, not
# rustup's shims) reads every crate from the offline directory source.
run_cargo() {
    if [[ "$(toolchain_kind)" == standard ]]; then
        (cd "$CRATE_DIR" && cargo "$@")
    else
        (cd "$CRATE_DIR" && PATH="/usr/bin:$PATH" CARGO_HOME="$CARGO_OFFLINE_HOME" \
            RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTFMT=/usr/bin/rustfmt \
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LINKER" /usr/bin/cargo "$@")
    fi
}

# ------------------------------------------------------------------- setup --

missing_debian_packages() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            echo "$package"
    done
}

setup_debian_packages() {
    local wanted=("${DEBIAN_PACKAGES[@]}")
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
    local missing
    missing="$(missing_debian_packages "${wanted[@]}")"
    if [[ -z "$missing" ]]; then
        return
    fi
    say "installing Debian packages: $(echo $missing)"
    [[ "$(id -u)" == 0 ]] || die "Debian packages missing ($(echo $missing)); run ./build.sh setup as root or install them with apt-get"
    run_logged apt-update "apt-get update (check the machine's apt sources)" apt-get update
    # shellcheck disable=SC2086
    run_logged apt-install "apt-get install of $(echo $missing)" \
        env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

# The machine's own Debian mirror, read from its apt configuration so that no
# registry host is written into the repository.
debian_mirror() {
    local mirror=""
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
        mirror="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
    fi
    [[ -n "$mirror" ]] || die "no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
    echo "$mirror"
}

forky_apt() {
    local tool="$1"
    shift
    "$tool" -o Dir::Etc::sourcelist="$FORKY_DIR/sources.list" -o Dir::Etc::sourceparts=/dev/null \
        -o Dir::State::Lists="$FORKY_DIR/lists" -o Dir::Cache="$FORKY_DIR/cache" "$@"
}

forky_download() {
    (cd "$FORKY_DIR/debs" && forky_apt apt-get download "$@")
}

# forky_download of PACKAGES in four parts side by side: apt-get fetches one
# package after another, and the 221 took 23 s one by one, 12 s so.
forky_download_in_parallel() {
    local part pids=() status=0
    for part in 0 1 2 3; do
        local index packages=()
        for ((index = part; index < $#; index += 4)); do
            packages+=("${@:index+1:1}")
        done
        ((${#packages[@]})) || continue
        forky_download "${packages[@]}" &
        pids+=($!)
    done
    for part in "${pids[@]}"; do
        wait "$part" || status=1
    done
    return "$status"
}

# wasm-bindgen's CLI and crate sources come from Debian testing, unpacked into
# .toolchain/ and never installed into the system.
setup_forky_wasm_bindgen() {
    local stamp
    stamp="$FORKY_DIR/.done-$(echo "$(wasm_bindgen_version) ${FORKY_CRATES[*]} ${FORKY_CRATES_ALONE[*]}" | sha256sum | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "fetching wasm-bindgen $(wasm_bindgen_version) and crate sources from Debian testing"
    rm -rf "$FORKY_DIR"
    mkdir -p "$FORKY_DIR/lists/partial" "$FORKY_DIR/cache/archives/partial" "$FORKY_DIR/debs" "$FORKY_DIR/root"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) forky main" >"$FORKY_DIR/sources.list"
    run_logged forky-update "apt-get update of Debian testing (forky)" forky_apt apt-get update
    local packages
    packages="$(forky_apt apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances --no-pre-depends "${FORKY_CRATES[@]}" |
        grep '^librust-' | sort -u)" || die "could not resolve the crate dependencies in Debian testing"
    # shellcheck disable=SC2086
    run_logged forky-download "apt-get download of wasm-bindgen and crate sources from Debian testing" \
        forky_download_in_parallel wasm-bindgen $packages "${FORKY_CRATES_ALONE[@]}"
    # Four at a time: the 221 packages' unpacking (a few processes each,
    # little CPU) took 16 s one by one on a busy machine, 5 s so.
    printf '%s\0' "$FORKY_DIR"/debs/*.deb |
        xargs -0 -n 16 -P 4 sh -c 'for deb; do dpkg-deb -x "$deb" "$0" || exit 255; done' "$FORKY_DIR/root" ||
        die "could not unpack the crate sources downloaded from Debian testing (above)"
    touch "$stamp"
}

# A cargo "directory" source holding the standard library's vendored crates and
# every crate unpacked from Debian testing.
setup_vendor_dir() {
    [[ -d "$DEBIAN_RUST_SRC/library/vendor" ]] || die "$DEBIAN_RUST_SRC/library/vendor missing; install rust-web-src (./build.sh setup)"
    # Made again only when the crates change: a build running meanwhile
    # (another checkout sharing .toolchain) reads it.
    local stamp
    stamp="$(ls "$DEBIAN_RUST_SRC"/library/vendor "$FORKY_DIR"/root/usr/share/cargo/registry | sha256sum | cut -c1-16)"
    [[ "$(cat "$VENDOR_DIR.stamp" 2>/dev/null)" == "$stamp" && -f "$CARGO_OFFLINE_HOME/config.toml" ]] && return
    rm -rf "$VENDOR_DIR"
    mkdir -p "$VENDOR_DIR"
    local crate
    for crate in "$DEBIAN_RUST_SRC"/library/vendor/*/; do
        ln -s "${crate%/}" "$VENDOR_DIR/$(basename "$crate")"
    done
    for crate in "$FORKY_DIR"/root/usr/share/cargo/registry/*/; do
        # The standard library's copy wins when both hold the same version.
        [[ -e "$VENDOR_DIR/$(basename "$crate")" ]] || ln -s "${crate%/}" "$VENDOR_DIR/$(basename "$crate")"
    done
    mkdir -p "$CARGO_OFFLINE_HOME"
    cat >"$CARGO_OFFLINE_HOME/config.toml" <<EOF
[source.crates-io]
replace-with = "wasmcanvas-offline"

[source.wasmcanvas-offline]
directory = "$VENDOR_DIR"
EOF
    echo "$stamp" >"$VENDOR_DIR.stamp"
}

check_toolchain() {
    local pinned cli_version
    pinned="$(wasm_bindgen_version)"
    [[ -n "$pinned" ]] || die "crate/Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=X.Y.Z\")"
    [[ -x "$(wasm_bindgen_cli)" ]] || die "wasm-bindgen CLI missing at $(wasm_bindgen_cli); run ./build.sh setup"
    cli_version="$("$(wasm_bindgen_cli)" --version | awk '{ print $2 }')"
    [[ "$cli_version" == "$pinned" ]] ||
        die "wasm-bindgen CLI is $cli_version but crate/Cargo.toml pins $pinned; they must be the same version"
    if [[ "$(toolchain_kind)" == debian ]]; then
        [[ -x /usr/bin/rustc ]] || die "/usr/bin/rustc missing; install rustc-web (./build.sh setup)"
        [[ -x "$WASM_LINKER" ]] || die "$WASM_LINKER missing; install lld-22 (./build.sh setup)"
        [[ -f "$CARGO_OFFLINE_HOME/config.toml" ]] || die "offline crate source missing; run ./build.sh setup"
    fi
}

setup_npm_packages() {
    command -v npm >/dev/null 2>&1 || die "npm missing; install nodejs and npm (./build.sh setup as root)"
    local stamp="$WEB_DIR/node_modules/.package-lock.json"
    if [[ -f "$stamp" && "$stamp" -nt "$WEB_DIR/package-lock.json" ]]; then
        return
    fi
    say "installing npm packages"
    run_logged npm "npm ci in web/ (check web/package-lock.json)" npm ci --prefix "$WEB_DIR" --no-audit --no-fund
}

dev_dependencies() {
    python3 -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["dev"]))'
}

# The venv alone, with its pip: the downloads that need only pip run beside
# the dev dependencies' install.
create_venv() {
    [[ -x "$VENV_PYTHON" ]] && return
    say "creating the Python virtual environment in .venv"
    python3 -m venv "$VENV_DIR" || die "python3 -m venv failed; install python3-venv"
}

setup_venv() {
    local stamp
    stamp="$VENV_DIR/.pyproject-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "installing the dev dependencies into .venv"
    local requirements
    requirements="$(dev_dependencies)" || die "pyproject.toml has no [dependency-groups] dev list"
    # shellcheck disable=SC2086
    run_logged pip-dev "installing the dev dependencies from pyproject.toml into .venv" \
        "$VENV_PYTHON" -m pip install --no-compile $requirements
    rm -f "$VENV_DIR"/.pyproject-*
    touch "$stamp"
}

# Pillow's own tests (its sdist from PyPI, unpacked into .toolchain/): the
# suite runs them, and tests of ours read their pictures and fonts.
setup_pillow_tests() {
    run_logged pillow-tests "fetching Pillow's own tests (its sdist from PyPI)" \
        "$VENV_PYTHON" "$ROOT/tests/pillow_suite/run.py" --fetch-only
}

# Pure-Python wheels served to Pyodide, pinned in pyproject.toml
# ([tool.wasmcanvas] pyodide-wheels).
setup_pyodide_wheels() {
    local pins
    pins="$("$VENV_PYTHON" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["wasmcanvas"]["pyodide-wheels"]))')" ||
        die "pyproject.toml has no [tool.wasmcanvas] pyodide-wheels list"
    local stamp
    stamp="$PYODIDE_WHEELS_DIR/.pins-$(echo "$pins" | sha256sum | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "downloading the wheels served to Pyodide"
    rm -rf "$PYODIDE_WHEELS_DIR"
    mkdir -p "$PYODIDE_WHEELS_DIR"
    local pin
    # shellcheck disable=SC2086
    run_logged pip-pyodide-wheels "pip download of the Pyodide wheels ($(echo $pins))" \
        "$VENV_PYTHON" -m pip download --no-deps --only-binary=:all: --platform any --python-version 3.14 \
        -d "$PYODIDE_WHEELS_DIR" $pins
    touch "$stamp"
}

# Pyodide's own Python sources, for mypy only: pyodide-py needs Python 3.14,
# so it is unpacked beside .venv rather than installed into it.
setup_pyodide_types() {
    local pin
    pin="$("$VENV_PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["tool"]["wasmcanvas"]["pyodide-types"])')" ||
        die "pyproject.toml has no [tool.wasmcanvas] pyodide-types pin"
    local stamp="$PYODIDE_TYPES_DIR/.pin-$pin"
    [[ -f "$stamp" ]] && return
    say "unpacking $pin for the type checker"
    rm -rf "$PYODIDE_TYPES_DIR"
    run_logged pip-pyodide-types "pip install of $pin into .toolchain/pyodide-py" \
        "$VENV_PYTHON" -m pip install --no-deps --ignore-requires-python --target "$PYODIDE_TYPES_DIR" "$pin"
    # mypy finds a "-stubs" package only in site-packages: give it the stub
    # under the module's own name.
    mkdir -p "$TOOLCHAIN_DIR/mypy-path"
    ln -sf "$ROOT/py/rust_image-stubs/__init__.pyi" "$TOOLCHAIN_DIR/mypy-path/rust_image.pyi"
    touch "$stamp"
}

# What needs only the venv's pip, not the dev dependencies.
setup_pip_downloads() {
    setup_pillow_tests
    setup_pyodide_wheels
    setup_pyodide_types
}

cmd_setup() {
    cd "$ROOT"
    setup_debian_packages
    create_venv
    # The three registries' downloads side by side.
    setup_venv &
    local venv=$!
    setup_npm_packages &
    local npm=$!
    setup_pip_downloads &
    local downloads=$!
    if [[ "$(toolchain_kind)" == debian ]]; then
        setup_forky_wasm_bindgen
        setup_vendor_dir
    fi
    check_toolchain
    if [[ -n "${NATIVE_BUILD_DURING_SETUP:-}" ]]; then
        say "compiling the native tests (linted by clippy): in the background, beside the rest of setup"
        start_in_background native-build build_native_tests
    fi
    wait "$npm" || die "installing the npm packages failed (above)"
    wait "$venv" || die "setting up .venv failed (above)"
    wait "$downloads" || die "downloading Pillow's tests or Pyodide's wheels failed (above)"
}

# ------------------------------------------------------------------- build --

# Release build of the crate for wasm32; ARGS go to cargo (e.g. --features).
# Debian's compiler has no prebuilt wasm32 standard library: build it too.
cargo_build_wasm() {
    if [[ "$(toolchain_kind)" == standard ]]; then
        run_cargo build --release --target "$WASM_TARGET" "$@"
    else
        RUSTC_BOOTSTRAP=1 run_cargo build --release --target "$WASM_TARGET" "${BUILD_STD[@]}" "$@"
    fi
}

# The standard library built from source, without its default features:
# `backtrace` (object, gimli, addr2line: nothing wasm32 can use) and
# `panic-unwind` (we abort). Measured: 10 s less CPU per build, 229 bytes
# less module.
BUILD_STD=(-Zbuild-std=std,panic_abort -Zbuild-std-features=)

# wasm-opt on one module in place, at LEVEL. Rust 1.96 emits post-MVP
# instructions; wasm-opt must be told to accept them.
optimize_wasm() {
    "$WASM_OPT" "$2" --enable-bulk-memory --enable-sign-ext --enable-reference-types \
        --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue --enable-simd \
        "$1" -o "$1" || die "wasm-opt failed on $1"
}

# The core module gets wasm-opt's -O3 (every byte counts against its size
# budget). The codecs module gets -O1: measured on it, -O3 costs 90 s of CPU
# against 19 s and saves 33 KB of 2.2 MB (2 KB gzipped), with no decoding or
# encoding faster (LLVM at opt-level 2 has done the work wasm-opt would repeat).
wasm_opt_level() {
    if [[ "$1" == rust_image_codecs ]]; then echo -O1; else echo -O3; fi
}

# Two modules: rust_image (the pixels and kernels) and rust_image_codecs
# (picture files, loaded only when one is read or written). Each gets ES
# module glue for the pages (build/pkg/) and classic-script glue for the
# wheel (build/wheel-module/), which wasmcanvas.loader evaluates where no
# page loaded ./pkg/.
build_wasm() {
    # The threaded module's build beside this one: each spends long
    # stretches on one core (a crate's one codegen unit).
    build_threads_wasm &
    local threads_build=$!
    say "building the crates for $WASM_TARGET"
    cargo_build_wasm --workspace || die "cargo build of crate/ failed"
    [[ -x "$WASM_OPT" ]] || die "wasm-opt missing from web/node_modules (npm binaryen); run ./build.sh setup"
    rm -rf "$BUILD_DIR/pkg" "$BUILD_DIR/wheel-module"
    local module wasm optimizers=()
    for module in rust_image rust_image_codecs; do
        wasm="$CRATE_DIR/target/$WASM_TARGET/release/$module.wasm"
        "$(wasm_bindgen_cli)" --target web --out-dir "$BUILD_DIR/pkg" "$wasm" || die "wasm-bindgen failed on $wasm"
        "$(wasm_bindgen_cli)" --target no-modules --out-dir "$BUILD_DIR/wheel-module" "$wasm" ||
            die "wasm-bindgen --target no-modules failed on $wasm"
        # wasm-opt works on one core: both modules at once.
        optimize_wasm "$BUILD_DIR/pkg/${module}_bg.wasm" "$(wasm_opt_level "$module")" &
        optimizers+=($!)
    done
    # The tests' fault-injection build (cargo: one core) beside wasm-opt:
    # wasm-bindgen has read the release build it overwrites.
    if [[ -n "${FAULT_MODULE_BESIDE_WASM_OPT:-}" ]]; then
        build_fault_injection_wasm &
        optimizers+=($!)
    fi
    for module in "${optimizers[@]}"; do
        wait "$module" || die "wasm-opt (or the fault-injection build beside it) failed (see above)"
    done
    wait "$threads_build" || die "the threaded rust_image's build failed (above)"
    for module in rust_image rust_image_codecs; do
        cp "$BUILD_DIR/pkg/${module}_bg.wasm" "$BUILD_DIR/wheel-module/${module}_bg.wasm"
        say "${module}_bg.wasm: $(wc -c <"$BUILD_DIR/pkg/${module}_bg.wasm") bytes, $(gzip -9c "$BUILD_DIR/pkg/${module}_bg.wasm" | wc -c) gzipped"
    done
}

# rust_image again with threads (`--features threads`): shared memory that
# Web Workers instantiate the same module with (wasmcanvas.load(threads=N)),
# in a target folder of its own since its standard library is built with
# atomics. RUSTFLAGS replaces crate/.cargo/config.toml's flags, so simd128 is
# repeated. Its glue is for the wheel only (no-modules, as the single-threaded
# module's): the loader and its workers evaluate it.
THREADS_TARGET_DIR="$CRATE_DIR/target/threads"
THREADS_RUSTFLAGS="-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals \
-C link-arg=--shared-memory -C link-arg=--max-memory=4294967296 -C link-arg=--import-memory \
-C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size -C link-arg=--export=__tls_align \
-C link-arg=--export=__tls_base"

build_threads_wasm() {
    say "building the threaded rust_image (shared memory, for wasmcanvas.load(threads=N))"
    RUSTFLAGS="$THREADS_RUSTFLAGS" CARGO_TARGET_DIR="$THREADS_TARGET_DIR" RUSTC_BOOTSTRAP=1 \
        run_cargo build --release --target "$WASM_TARGET" "${BUILD_STD[@]}" --package rust_image \
        --features threads || die "cargo build of the threaded rust_image failed"
    local out="$BUILD_DIR/threads-module"
    rm -rf "$out"
    "$(wasm_bindgen_cli)" --target no-modules --out-name rust_image_threads --out-dir "$out" \
        "$THREADS_TARGET_DIR/$WASM_TARGET/release/rust_image.wasm" || die "wasm-bindgen failed on the threaded rust_image"
    "$WASM_OPT" -O3 --enable-threads --enable-bulk-memory --enable-sign-ext --enable-reference-types \
        --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue --enable-simd \
        "$out/rust_image_threads_bg.wasm" -o "$out/rust_image_threads_bg.wasm" || die "wasm-opt failed on the threaded rust_image"
    say "rust_image_threads_bg.wasm: $(wc -c <"$out/rust_image_threads_bg.wasm") bytes"
}

# A second build of rust_image with the `fault-injection` feature (an export
# that traps on purpose), for the tests of fault handling only: dist/testing/
# is written by `./build.sh test`, never by `./build.sh build`.
build_fault_injection_wasm() {
    say "building the fault-injection module for the tests"
    # The whole workspace, as the release build: its dependencies then have
    # the same features and are reused (with `--package rust_image` alone
    # js-sys and wasm-bindgen compiled again); only rust_image compiles,
    # unoptimised (its link-time pass too): measured, 7 s of CPU against
    # 17, for a module the tests only load and trap.
    cargo_build_wasm --workspace --features rust_image/fault-injection \
        --config 'profile.release.package.rust_image.opt-level=0' ||
        die "cargo build of crate/ with --features fault-injection failed"
    rm -rf "$DIST_DIR/testing"
    "$(wasm_bindgen_cli)" --target web --out-dir "$DIST_DIR/testing/pkg" \
        "$CRATE_DIR/target/$WASM_TARGET/release/rust_image.wasm" || die "wasm-bindgen failed on the fault-injection module"
}

# ImageFont.load_default's font (Aileron Regular, free licence): the bytes
# Pillow embeds in its ImageFont.py, taken from the Pillow in .venv, so that
# our default text is Pillow's and no third-party data is in our sources.
default_font() {
    mkdir -p "$BUILD_DIR/wheel-data"
    "$VENV_PYTHON" "$WEB_DIR/tools/default_font.py" "$BUILD_DIR/wheel-data/aileron.ttf" ||
        die "cannot take the default font from Pillow's ImageFont.py (web/tools/default_font.py)"
}

# The wheel builds from any file, so a Python file that does not parse is
# caught here, with its line, not when a page imports it (ruff parses the
# Python Pyodide runs; the host's may be older).
check_python_syntax() {
    local errors
    if ! errors="$(cd "$ROOT" && "$VENV_DIR/bin/ruff" check --no-cache --quiet --select E9 --output-format concise "$1" 2>&1)"; then
        die "Python syntax error: ${errors%%$'\n'*}"
    fi
}

build_wheel() {
    say "building the wasmcanvas wheel"
    check_python_syntax py/wasmcanvas
    rm -rf "$BUILD_DIR/wheel"
    default_font
    run_logged wheel "python -m build --wheel" \
        "$VENV_PYTHON" -m build --wheel --no-isolation --outdir "$BUILD_DIR/wheel" "$ROOT"
}

# The site's applications (py/wasmcanvas_site/), a wheel of their own that
# only the site serves (web/site-wheel/pyproject.toml).
build_site_wheel() {
    say "building the site's wheel (wasmcanvas-site)"
    check_python_syntax py/wasmcanvas_site
    rm -rf "$BUILD_DIR/site-wheel"
    run_logged site-wheel "python -m build --wheel of web/site-wheel" \
        "$VENV_PYTHON" -m build --wheel --no-isolation --outdir "$BUILD_DIR/site-wheel" "$WEB_DIR/site-wheel"
}

# pytest-wasmcanvas (py/pytest_wasmcanvas/), the pytest plugin with which
# users test their own wasmcanvas code: a host wheel of its own
# (py/pytest-wheel/pyproject.toml), not served to Pyodide.
build_pytest_wheel() {
    say "building the pytest plugin's wheel (pytest-wasmcanvas)"
    check_python_syntax py/pytest_wasmcanvas
    rm -rf "$BUILD_DIR/pytest-wheel"
    run_logged pytest-wheel "python -m build --wheel of py/pytest-wheel" \
        "$VENV_PYTHON" -m build --wheel --no-isolation --outdir "$BUILD_DIR/pytest-wheel" "$ROOT/py/pytest-wheel"
}

# What dist/ serves to Pyodide, compiled to Python's bytecode by Pyodide's
# own CPython (web/tools/pyodide_bytecode.mjs): the standard library's zip
# (its modules as bytecode alone) and the wheels (a .pyc beside each module).
# Measured: a site page's boot in Chromium 7 -> 5 s of CPU, 3 -> 1.5 s with
# its code cache warm; Pyodide's boot in Node 3 -> 1.2 s.
BYTECODE_DIR="$BUILD_DIR/bytecode"

build_bytecode() {
    say "compiling what dist/ serves to Pyodide to bytecode"
    run_logged bytecode "compiling the standard library and the wheels to bytecode (web/tools/pyodide_bytecode.mjs)" \
        node "$WEB_DIR/tools/pyodide_bytecode.mjs" "$WEB_DIR/node_modules/pyodide" "$BYTECODE_DIR" \
        "$WEB_DIR/node_modules/pyodide/python_stdlib.zip" "$PYODIDE_WHEELS_DIR"/*.whl "$BUILD_DIR"/wheel/*.whl "$BUILD_DIR"/site-wheel/*.whl
}

# The site is made in dist.new/ and swapped in whole, so that a server
# keeps serving the last good site while the next one is made, or when
# making it fails.
build_site() {
    say "assembling dist/"
    local pyodide="$WEB_DIR/node_modules/pyodide"
    [[ -f "$pyodide/pyodide.mjs" ]] || die "pyodide missing from web/node_modules; run ./build.sh setup"
    local site="$DIST_DIR.new"
    rm -rf "$site"
    mkdir -p "$site"
    local file
    # pyodide.js (CommonJS) is for Node, where pytest-pyodide requires it.
    for file in pyodide.mjs pyodide.js pyodide.asm.mjs pyodide.asm.wasm; do
        cp "$pyodide/$file" "$site/" || die "pyodide file $file missing from web/node_modules/pyodide"
    done
    cp "$BYTECODE_DIR/python_stdlib.zip" "$site/" || die "build/bytecode/python_stdlib.zip missing; the bytecode stage did not run"
    cp "$WEB_DIR"/bench-bare.html "$WEB_DIR"/*.js "$WEB_DIR"/*.css "$WEB_DIR"/*.svg "$site/"
    "$VENV_PYTHON" "$WEB_DIR/tools/render_pages.py" "$WEB_DIR" "$site" || die "rendering the pages of web/pages/ failed"
    cp -r "$BUILD_DIR/pkg" "$site/pkg"
    # The exports' guard, shared with the wheel's loader: an ES module here.
    { printf 'export default '; cat "$ROOT/py/wasmcanvas/_module/guard.js"; } >"$site/rust_guard.js"
    # The REPL's terminal, copied from npm at build time (never committed).
    mkdir -p "$site/vendor/xterm"
    cp "$WEB_DIR/node_modules/@xterm/xterm/lib/xterm.mjs" "$WEB_DIR/node_modules/@xterm/xterm/css/xterm.css" \
        "$WEB_DIR/node_modules/@xterm/addon-fit/lib/addon-fit.mjs" "$site/vendor/xterm/" ||
        die "xterm files missing from web/node_modules; run ./build.sh setup"
    # photon-rs for the benchmarks: its glue imports the .wasm as a module,
    # which browsers cannot; point that import at web/photon-adapter.js.
    local photon="$WEB_DIR/node_modules/@silvia-odwyer/photon"
    mkdir -p "$site/vendor/photon"
    cp "$photon/photon_rs_bg.wasm" "$site/vendor/photon/" || die "photon missing from web/node_modules; run ./build.sh setup"
    sed "s|^import \* as wasm from './photon_rs_bg.wasm';|import { wasm } from '../../photon-adapter.js';|" \
        "$photon/photon_rs_bg.js" >"$site/vendor/photon/photon_rs_bg.js"
    grep -q "photon-adapter.js" "$site/vendor/photon/photon_rs_bg.js" ||
        die "photon_rs_bg.js no longer starts with the .wasm import build.sh rewrites; check the photon version"
    # OpenCV.js for the benchmarks only (one 13 MB file, its wasm inlined).
    mkdir -p "$site/vendor/opencv"
    cp "$WEB_DIR/node_modules/@techstark/opencv-js/dist/opencv.js" "$site/vendor/opencv/" ||
        die "opencv.js missing from web/node_modules; run ./build.sh setup"
    # wasm-vips for the benchmarks only: its ES module (which starts its
    # pthreads from its own URL) and the core .wasm; the page loads none of
    # its optional modules (HEIF, JPEG XL, SVG).
    mkdir -p "$site/vendor/wasm-vips"
    cp "$WEB_DIR/node_modules/wasm-vips/lib/vips-es6.js" "$WEB_DIR/node_modules/wasm-vips/lib/vips.wasm" \
        "$site/vendor/wasm-vips/" || die "wasm-vips missing from web/node_modules; run ./build.sh setup"
    cp "$BYTECODE_DIR"/*.whl "$site/"
    "$VENV_PYTHON" "$WEB_DIR/tools/write_lock.py" "$pyodide/pyodide-lock.json" "$site" ||
        die "writing dist/pyodide-lock.json failed"
    build_examples "$site"
    cp -r "$BUILD_DIR/docs" "$site/docs" || die "build/docs missing; the docs stage did not run"
    rm -rf "$DIST_DIR.old"
    if [[ -d "$DIST_DIR" ]]; then mv "$DIST_DIR" "$DIST_DIR.old"; fi
    mv "$site" "$DIST_DIR"
    rm -rf "$DIST_DIR.old"
}

# The documentation site (mkdocs.yml, docs/, web/tools/build_docs.py): MkDocs
# with mkdocs-material, the API reference read from py/wasmcanvas by
# mkdocstrings; served from dist/docs/.
build_docs() {
    say "building the documentation site"
    [[ -x "$VENV_DIR/bin/mkdocs" ]] || die "mkdocs missing from .venv; run ./build.sh setup"
    run_logged docs "building the documentation (web/tools/build_docs.py, mkdocs.yml, docs/)" \
        "$VENV_PYTHON" "$WEB_DIR/tools/build_docs.py" "$ROOT"
}

# The examples a user copies (examples/), served from dist/examples/; they
# name the wheel's file, so a version bump (py/wasmcanvas/__init__.py) must
# update them, and the docs and README that name it too.
build_examples() {
    local site="$1"
    mkdir -p "$site/examples"
    cp -r "$ROOT"/examples/* "$site/examples/"
    local wheel example stale
    wheel="$(basename "$BUILD_DIR"/wheel/*.whl)"
    for example in plain.html worker.js thumbnails.mjs captioned.mjs; do
        grep -q "$wheel" "$ROOT/examples/$example" || die "examples/$example does not name the wheel just built ($wheel)"
    done
    stale="$(cd "$ROOT" && grep -rnoE 'wasmcanvas-[0-9][0-9a-z.]*-py3-none-any\.whl' examples docs README.md | grep -vF ":$wheel" || true)"
    [[ -z "$stale" ]] || die "these name another wheel than the one just built ($wheel): ${stale//$'\n'/, }"
}

# Each stage of the build runs only when something it reads changed since it
# last ran (make's rule, on modification times): a Python change rebuilds
# the wheel and the site, a page or style change the site alone, a Rust
# change everything; with nothing changed, nothing runs.
STAMP_DIR="$BUILD_DIR/stamps"

# True when STAGE must run: OUTPUT is missing, STAGE has no stamp, or a file
# or folder among INPUTS (searched whole, less what tools write inside them)
# changed after the stamp was taken.
stage_stale() {
    local stage="$1" output="$2"
    shift 2
    [[ -e "$output" && -f "$STAMP_DIR/$stage" ]] || return 0
    [[ -n "$(find "$@" \( -name target -o -name node_modules -o -name __pycache__ \) -prune \
        -o -newer "$STAMP_DIR/$stage" -print -quit)" ]]
}

# Runs STEP for STAGE when stage_stale says so. The stamp is the time the
# step started, so that an edit made while it ran counts as a change.
run_stage() {
    local stage="$1" step="$2" output="$3"
    shift 3
    if ! stage_stale "$stage" "$output" "$@"; then
        say "$stage: up to date"
        return
    fi
    mkdir -p "$STAMP_DIR"
    touch "$STAMP_DIR/$stage.started"
    "$step"
    mv "$STAMP_DIR/$stage.started" "$STAMP_DIR/$stage"
}

cmd_build() {
    cd "$ROOT"
    check_toolchain
    [[ -x "$VENV_PYTHON" ]] || die ".venv missing; run ./build.sh setup"
    # The documentation needs no module: it builds beside the crates (on a
    # fresh machine it took 10 s of the build's end, on one core).
    start_in_background docs run_stage docs build_docs "$BUILD_DIR/docs/index.html" \
        "$ROOT/docs" "$ROOT/mkdocs.yml" "$ROOT/py/wasmcanvas" "$ROOT/CHANGELOG.md" \
        "$WEB_DIR/tools/build_docs.py" "$WEB_DIR/tools/docs_griffe.py" "$ROOT/hosts" "$ROOT/build.sh"
    run_stage wasm build_wasm "$BUILD_DIR/pkg/rust_image_bg.wasm" \
        "$CRATE_DIR/src" "$CRATE_DIR/Cargo.toml" "$CRATE_DIR/codecs/src" "$CRATE_DIR/codecs/Cargo.toml" "$ROOT/build.sh"
    run_stage wheel build_wheel "$BUILD_DIR/wheel" \
        "$ROOT/py/wasmcanvas" "$ROOT/py/rust_image-stubs" "$ROOT/pyproject.toml" "$ROOT/README.md" "$BUILD_DIR/wheel-module" "$BUILD_DIR/threads-module" "$ROOT/build.sh"
    run_stage site-wheel build_site_wheel "$BUILD_DIR/site-wheel" \
        "$ROOT/py/wasmcanvas_site" "$WEB_DIR/site-wheel" "$ROOT/py/wasmcanvas/__init__.py" "$ROOT/build.sh"
    run_stage pytest-wheel build_pytest_wheel "$BUILD_DIR/pytest-wheel" \
        "$ROOT/py/pytest_wasmcanvas" "$ROOT/py/pytest-wheel" "$ROOT/py/wasmcanvas/__init__.py" "$ROOT/build.sh"
    run_stage bytecode build_bytecode "$BYTECODE_DIR/python_stdlib.zip" \
        "$WEB_DIR/node_modules/pyodide/python_stdlib.zip" "$PYODIDE_WHEELS_DIR" "$BUILD_DIR/wheel" "$BUILD_DIR/site-wheel" \
        "$WEB_DIR/tools/pyodide_bytecode.mjs" "$WEB_DIR/tools/pyodide_bytecode.py" "$ROOT/build.sh"
    finish_in_background docs "the documentation site" "building the documentation failed"
    run_stage site build_site "$DIST_DIR/index.html" \
        "$WEB_DIR" "$ROOT/examples" "$BUILD_DIR/pkg" "$BYTECODE_DIR" "$BUILD_DIR/docs" "$ROOT/build.sh"
}

# ------------------------------------------------------------------- serve --

# A development server (web/tools/dev_server.py): builds what changed since
# the last build, serves dist/ on 127.0.0.1, and unless --no-watch rebuilds
# on every change under py/, web/ and crate/ and reloads the open pages.
cmd_serve() {
    local port=8000 watch="" argument
    for argument in "$@"; do
        case "$argument" in
            --no-watch) watch=--no-watch ;;
            *) [[ "$argument" =~ ^[0-9]+$ ]] || die "serve takes a port number and --no-watch, not '$argument'"
               port="$argument" ;;
        esac
    done
    cd "$ROOT"
    [[ -f "$DIST_DIR/index.html" && -x "$VENV_PYTHON" ]] || cmd_setup
    exec "$VENV_PYTHON" "$WEB_DIR/tools/dev_server.py" "$ROOT" "$port" $watch
}

# ------------------------------------------------------------------- gates --
# Each gate prints what is wrong, then one line naming the gate and the fix.

PYTHON_SOURCES=(py tests web/tools)

gate_rust_format() {
    say "gate: cargo fmt --check"
    run_cargo fmt --all --check || die "gate failed: crate/ is not rustfmt-formatted (run: cargo fmt in crate/)"
}

# clippy's driver, which run_rust_tests compiles the workspace with.
clippy_driver() {
    if [[ "$(toolchain_kind)" == standard ]]; then
        rustup which clippy-driver
    else
        echo /usr/bin/clippy-driver
    fi
}

# `./build.sh gates` alone; the test commands lint while the native tests
# build (run_rust_tests).
gate_clippy() {
    say "gate: cargo clippy (warnings denied)"
    run_cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings ||
        die "gate failed: cargo clippy found warnings in crate/"
}

gate_ruff() {
    say "gate: ruff check and ruff format --check"
    (cd "$ROOT" && "$VENV_DIR/bin/ruff" check --quiet "${PYTHON_SOURCES[@]}") ||
        die "gate failed: ruff check found problems in ${PYTHON_SOURCES[*]}"
    (cd "$ROOT" && "$VENV_DIR/bin/ruff" format --check --quiet "${PYTHON_SOURCES[@]}") ||
        die "gate failed: ${PYTHON_SOURCES[*]} are not ruff-formatted (run: .venv/bin/ruff format ${PYTHON_SOURCES[*]})"
}

gate_mypy() {
    say "gate: mypy --strict on py/wasmcanvas and py/wasmcanvas_site"
    (cd "$ROOT" && "$VENV_DIR/bin/mypy" --strict) || die "gate failed: mypy --strict found type errors in py/wasmcanvas or py/wasmcanvas_site"
}

# After the build: the stub must describe what wasm-bindgen exported.
gate_stub() {
    say "gate: the rust_image stub against rust_image.d.ts"
    "$VENV_PYTHON" "$ROOT/tests/check_stub.py" "$BUILD_DIR/pkg/rust_image.d.ts" "$ROOT/py/rust_image-stubs/__init__.pyi" ||
        die "gate failed: py/rust_image-stubs/__init__.pyi differs from the exports in build/pkg/rust_image.d.ts"
}

cmd_gates() {
    cd "$ROOT"
    gate_rust_format
    gate_clippy
    gate_ruff
    gate_mypy
}

# The gates of the test commands: clippy's lints come with the native tests.
test_gates() {
    cd "$ROOT"
    gate_rust_format
    gate_ruff
    gate_mypy
}

# -------------------------------------------------------------------- test --

# The decoders' fuzz test (crate/codecs/src/fuzz, one of rust_image_codecs's
# unit tests) mutates seeds made here by Pillow besides its own, and keeps
# the nastiest refused files for tests/test_untrusted_files.py. The native
# build has a target folder of its own, so that it can run beside the wasm
# build (see cmd_test).
NATIVE_TARGET_DIR="$CRATE_DIR/target/native"

test_rust() {
    say "cargo test (native, every feature, linted by clippy), with the decoders' fuzz test"
    run_rust_tests || die "Rust tests failed, or clippy found warnings in crate/ (above)"
}

# The native tests' build is also the clippy gate: clippy's driver compiles
# the workspace's own crates (its lints, warnings denied, as `cargo clippy
# --all-targets --all-features` runs them) and rustc the dependencies, which
# are then built once rather than checked a second time (measured on a fresh
# build: 65 s of CPU for `cargo clippy`, 8 s for the lints this way).
# CLIPPY_ARGS is how cargo-clippy hands its arguments to the driver.

run_rust_tests() {
    "$VENV_PYTHON" "$ROOT/tests/make_codec_seeds.py" "$BUILD_DIR/codec-seeds" >/dev/null ||
        { echo "making the fuzz test's seed files with Pillow failed"; return 1; }
    # --show-output: the fuzz test's counts, printed by a passing test.
    CODEC_SEEDS="$BUILD_DIR/codec-seeds" CODEC_FUZZ_OUT="$BUILD_DIR/fuzz-nasty" native_cargo_test -- --show-output
}

# Only compiles them: `test` starts it while setup downloads (a core is idle
# then); run_rust_tests, started later, waits on cargo's lock for it.
build_native_tests() {
    native_cargo_test --no-run
}

native_cargo_test() {
    CARGO_TARGET_DIR="$NATIVE_TARGET_DIR" \
        RUSTC_WORKSPACE_WRAPPER="$(clippy_driver)" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" \
        run_cargo test --workspace --all-features "$@"
}

# Steps run in the background beside the next ones, each with its output
# kept in build/test-logs/NAME.log and printed when it is waited for; a step
# that fails meanwhile ends the run, and the background steps with it.
declare -A BACKGROUND_PIDS=()

stop_background_steps() {
    local pid
    for pid in "${BACKGROUND_PIDS[@]}"; do
        pkill -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    done
}

start_in_background() {
    local name="$1"
    shift
    mkdir -p "$BUILD_DIR/test-logs"
    "$@" >"$BUILD_DIR/test-logs/$name.log" 2>&1 &
    BACKGROUND_PIDS[$name]=$!
    trap stop_background_steps EXIT
}

# finish_in_background NAME WHAT FAILURE: waits, prints WHAT's output, dies with FAILURE if it failed.
finish_in_background() {
    local status=0
    wait "${BACKGROUND_PIDS[$1]}" || status=$?
    unset "BACKGROUND_PIDS[$1]"
    say "$2: its output"
    cat "$BUILD_DIR/test-logs/$1.log"
    [[ $status -eq 0 ]] || die "$3 (above, and in build/test-logs/$1.log)"
}

# Both cores (or more where there are): the in-Pyodide modules each on one
# pytest-xdist worker, the end-to-end tests spread one by one.
TEST_WORKERS="${TEST_WORKERS:-$(nproc)}"
PYTEST_PARALLEL=(-n "$TEST_WORKERS" --dist loadgroup)

test_python() {
    say "pytest (in Pyodide and end to end, headless Chromium, $TEST_WORKERS workers)"
    [[ -x "$CHROMIUM" ]] || die "chromium missing at $CHROMIUM; install the chromium package (./build.sh setup)"
    [[ -x "$CHROMEDRIVER" ]] || die "chromedriver missing at $CHROMEDRIVER; install chromium-driver (./build.sh setup)"
    (cd "$ROOT" && "$VENV_PYTHON" -m pytest "${PYTEST_PARALLEL[@]}" --durations=10 "$@") || die "pytest failed"
}

# The core tests (images, kernels, memory views, errors, the wheel's loader)
# again in the two other hosts wasmcanvas supports, where the module comes
# from the wheel: a dedicated Web Worker, and Node (pytest-pyodide's runtime).
# The Worker is the fastest host: it runs the exhaustive matrices in full;
# the page and Node run the same fixed sample of them (--matrix=sample).
CORE_TESTS=(tests/test_api_memory_image.py tests/test_rust_image_in_pyodide.py tests/test_kernels_vs_pillow.py tests/test_pillow_corpus.py
    tests/test_bad_input.py tests/test_loader_in_pyodide.py tests/test_files_in_pyodide.py
    tests/test_offscreen_in_pyodide.py tests/test_untrusted_files.py)

test_python_other_hosts() {
    command -v node >/dev/null || die "node missing; install the nodejs package (./build.sh setup)"
    say "pytest: the core tests in a Web Worker (every case of the matrices) and in Node, side by side"
    local logs="$BUILD_DIR/test-logs" worker node
    mkdir -p "$logs"
    # One pytest process each, side by side: measured, a second xdist worker
    # in each (its own collection, Pyodide and browser) took 95 s more CPU
    # for the two and made them 30 s slower together.
    (cd "$ROOT" && "$VENV_PYTHON" -m pytest -q --rust-host=worker -m "not page" "${CORE_TESTS[@]}") \
        >"$logs/worker.log" 2>&1 &
    worker=$!
    (cd "$ROOT" && "$VENV_PYTHON" -m pytest -q --matrix=sample --runtime=node -m "not page" \
        "${CORE_TESTS[@]}") >"$logs/node.log" 2>&1 &
    node=$!
    local worker_status=0 node_status=0
    wait "$worker" || worker_status=$?
    wait "$node" || node_status=$?
    say "the Web Worker's run"
    cat "$logs/worker.log"
    say "Node's run"
    cat "$logs/node.log"
    [[ $worker_status -eq 0 ]] || die "the core tests failed in a Web Worker (above, and in build/test-logs/worker.log)"
    [[ $node_status -eq 0 ]] || die "the core tests failed in Node (above, and in build/test-logs/node.log)"
}

# Pillow 13's own test modules against wasmcanvas (tests/pillow_suite/run.py):
# its sdist is fetched with pip into .toolchain/, the baseline is what passes
# with real Pillow on the host, and tests/pillow_suite/manifest.txt lists
# every baseline test wasmcanvas does not pass yet, with why.
test_pillow_suite() {
    say "Pillow's own test suite, in Pyodide in Node with PIL an alias of wasmcanvas"
    command -v node >/dev/null || die "node missing; install the nodejs package (./build.sh setup)"
    "$VENV_PYTHON" "$ROOT/tests/pillow_suite/run.py" "$DIST_DIR" "$@" ||
        die "Pillow's suite: a test failed that tests/pillow_suite/manifest.txt does not list, or a listed one passes (see above)"
}

cmd_pillow_suite() {
    cd "$ROOT"
    cmd_setup
    cmd_build
    test_pillow_suite "$@"
}

cmd_test() {
    if [[ "${1:-}" == --quick ]]; then
        shift
        cmd_test_quick "$@"
        return
    fi
    NATIVE_BUILD_DURING_SETUP=1 cmd_setup
    test_gates
    # The wasm build spends long stretches on one core (one codegen unit, wasm-opt):
    # the native tests take the other one.
    say "cargo test (native, every feature, linted by clippy), with the decoders' fuzz test: in the background, beside the build"
    start_in_background cargo-test run_rust_tests
    # At the lowest priority, real Pillow's outcomes for Pillow's suite (a
    # fresh machine computes them once): it runs while the build's long
    # single-core stretches (one codegen unit, wasm-opt) leave a core idle.
    start_in_background pillow-baseline nice -n 19 "$VENV_PYTHON" "$ROOT/tests/pillow_suite/run.py" --baseline-only
    FAULT_MODULE_BESIDE_WASM_OPT=1 cmd_build
    gate_stub
    build_fault_injection_wasm
    finish_in_background native-build "compiling the native tests" "the native tests did not compile, or clippy found warnings in crate/"
    # Pillow's suite beside the page's pytest, then the Worker and Node hosts
    # beside what is left of it. Pillow's suite starts before `cargo test` is
    # waited for: on a second run the fuzz test is still running then, its
    # fonts on one core.
    finish_in_background pillow-baseline "real Pillow's outcomes for Pillow's suite" \
        "running Pillow's own test suite with real Pillow on the host failed"
    say "Pillow's own test suite, in Pyodide in Node: in the background, beside the page's tests"
    command -v node >/dev/null || die "node missing; install the nodejs package (./build.sh setup)"
    # One Node process, not run.py's two: both cores are busy here, and a
    # second process boots a second Pyodide and imports everything again
    # (measured alone: 61 s of CPU in 35 s with two, 51 s in 47 s with one).
    start_in_background pillow-suite "$VENV_PYTHON" "$ROOT/tests/pillow_suite/run.py" "$DIST_DIR" --processes 1
    # The page's tests read the files the fuzz test keeps (build/fuzz-nasty).
    finish_in_background cargo-test "cargo test (native)" "Rust tests failed, or clippy found warnings in crate/"
    # The Worker and Node hosts once Pillow's suite is done, beside the
    # page's tests too: the page's waits (animations, reloads, a server's
    # rebuild) leave a core idle that they take. Measured on a second run:
    # 303 s after the page's tests, 281 s beside them.
    start_in_background other-hosts after_process "${BACKGROUND_PIDS[pillow-suite]}" test_python_other_hosts
    test_python --matrix=sample "$@"
    finish_in_background pillow-suite "Pillow's own test suite" \
        "Pillow's suite: a test failed that tests/pillow_suite/manifest.txt does not list, or a listed one passes"
    finish_in_background other-hosts "the core tests in a Web Worker and in Node" \
        "the core tests failed in a Web Worker or in Node"
}

# after_process PID STEP...: waits for PID (a sibling: `wait` cannot) to
# end, then runs STEP.
after_process() {
    tail --pid="$1" -f /dev/null
    "${@:2}"
}

# What the working tree changed against the last commit; with nothing
# uncommitted, what the last commit changed.
changed_files() {
    local changed
    changed="$(cd "$ROOT" && { git diff --name-only HEAD; git ls-files --others --exclude-standard; } | sort -u)"
    [[ -n "$changed" ]] || changed="$(cd "$ROOT" && git diff --name-only HEAD~1 HEAD 2>/dev/null || true)"
    printf '%s\n' "$changed"
}

# The edit loop: the gates, an incremental build, cargo test when crate/
# changed, and in the page only the test modules that can see the change
# (the matrices sampled): every in-Pyodide module for a change to py/ or
# crate/, the end-to-end ones for web/, the docs' for docs/, a changed test
# module itself.
# Pillow's suite and the Worker and Node hosts are left to the full run.
cmd_test_quick() {
    local changed targets=()
    changed="$(changed_files)"
    cmd_setup
    test_gates
    cmd_build
    build_fault_injection_wasm
    if grep -q '^crate/' <<<"$changed"; then
        gate_stub
        test_rust
    fi
    if grep -qE '^(py|crate)/|^tests/(conftest|images)\.py$|^pyproject\.toml$' <<<"$changed"; then
        targets+=(-m "not e2e" tests)
    elif grep -q '^web/' <<<"$changed"; then
        targets+=(-m e2e tests)
    elif grep -qE '^docs/|^mkdocs\.yml$' <<<"$changed"; then
        targets+=(tests/test_docs.py)
    else
        mapfile -t targets < <(grep -E '^tests/test_[a-z0-9_]+\.py$' <<<"$changed" | while read -r file; do
            [[ -f "$ROOT/$file" ]] && echo "$file"
        done)
    fi
    if [[ ${#targets[@]} -eq 0 ]]; then
        say "no test module sees what changed; nothing more to run"
        return
    fi
    test_python --matrix=sample "${targets[@]}" "$@"
}

# ------------------------------------------------------------------- hosts --
# The hosts' recipes (hosts/): a PyScript page and a JupyterLite site,
# each serving its own copy of
# the Pyodide and the wasmcanvas wheel that `build` put in dist/, built into
# dist-hosts/ and opened end to end in headless Chromium
# (tests/hosts/test_hosts.py). Their tools come from the registries into a
# folder of their own (HOSTS_TOOLCHAIN_DIR, .toolchain/hosts/ unless set), so
# .venv's pins stay untouched; a second run downloads nothing.
HOSTS_SRC="$ROOT/hosts"
HOSTS_TOOLCHAIN_DIR="${HOSTS_TOOLCHAIN_DIR:-$TOOLCHAIN_DIR/hosts}"
HOSTS_VENV="$HOSTS_TOOLCHAIN_DIR/venv"
HOSTS_NPM="$HOSTS_TOOLCHAIN_DIR/npm"
HOSTS_KERNEL_WHEELS="$HOSTS_TOOLCHAIN_DIR/kernel-wheels"
HOSTS_MARIMO_WHEELS="$HOSTS_TOOLCHAIN_DIR/marimo-wheels"
# marimo's export runs ruff through uv: its downloads are kept here too.
export UV_CACHE_DIR="$HOSTS_TOOLCHAIN_DIR/uv-cache"
HOSTS_DIST="$ROOT/dist-hosts"

# jupyterlite-core and its Pyodide kernel (hosts/requirements.txt).
setup_hosts_venv() {
    local stamp
    stamp="$HOSTS_VENV/.requirements-$(sha256sum "$HOSTS_SRC/requirements.txt" | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "installing the hosts' tools (hosts/requirements.txt) into ${HOSTS_VENV#"$ROOT"/}"
    rm -rf "$HOSTS_VENV"
    python3 -m venv "$HOSTS_VENV" || die "python3 -m venv failed; install python3-venv"
    run_logged hosts-pip "pip install of hosts/requirements.txt" \
        "$HOSTS_VENV/bin/python" -m pip install --no-compile -r "$HOSTS_SRC/requirements.txt"
    touch "$stamp"
}

# @pyscript/core (hosts/package.json).
setup_hosts_npm() {
    local stamp
    stamp="$HOSTS_NPM/.lock-$(cat "$HOSTS_SRC/package.json" "$HOSTS_SRC/package-lock.json" | sha256sum | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "installing the hosts' npm packages (hosts/package.json) into ${HOSTS_NPM#"$ROOT"/}"
    rm -rf "$HOSTS_NPM"
    mkdir -p "$HOSTS_NPM"
    cp "$HOSTS_SRC/package.json" "$HOSTS_SRC/package-lock.json" "$HOSTS_SRC/.npmrc" "$HOSTS_NPM/"
    run_logged hosts-npm "npm ci of hosts/package.json" npm ci --prefix "$HOSTS_NPM" --no-audit --no-fund
    touch "$stamp"
}

# download_pinned_wheels DIR LIST WHAT THEN PLATFORM...: the wheels pinned
# in hosts/LIST, for Pyodide, into DIR, then the step THEN; again only when
# LIST changes.
download_pinned_wheels() {
    local folder="$1" list="$2" what="$3" then="$4" platform platforms=()
    shift 4
    for platform in "$@"; do
        platforms+=(--platform "$platform")
    done
    local stamp
    stamp="$folder/.pins-$(sha256sum "$HOSTS_SRC/$list" | cut -c1-16)"
    [[ -f "$stamp" ]] && return
    say "downloading $what (hosts/$list)"
    rm -rf "$folder"
    mkdir -p "$folder"
    run_logged "hosts-${list%.txt}" "pip download of hosts/$list" \
        "$HOSTS_VENV/bin/python" -m pip download --no-deps --only-binary=:all: "${platforms[@]}" --python-version 3.14 \
        -d "$folder" -r "$HOSTS_SRC/$list"
    "$then"
    touch "$stamp"
}

# The wheels JupyterLite's kernel installs at start.
setup_hosts_kernel_wheels() {
    download_pinned_wheels "$HOSTS_KERNEL_WHEELS" kernel-wheels.txt "the JupyterLite kernel's wheels" true any
}

# What marimo's runtime loads from its lock.
setup_hosts_marimo_wheels() {
    download_pinned_wheels "$HOSTS_MARIMO_WHEELS" marimo-wheels.txt "the wheels marimo's runtime loads" \
        add_pyyaml_wheel pyemscripten_2026_0_wasm32 any
}

add_pyyaml_wheel() {
    # marimo imports yaml at start; PyPI has no PyYAML wheel for Pyodide:
    # Debian's python3-yaml holds its pure-Python modules.
    mkdir -p "$HOSTS_MARIMO_WHEELS/pyyaml"
    (cd "$HOSTS_MARIMO_WHEELS/pyyaml" && run_logged hosts-pyyaml "apt-get download python3-yaml" apt-get download python3-yaml)
    dpkg-deb -x "$HOSTS_MARIMO_WHEELS"/pyyaml/python3-yaml_*.deb "$HOSTS_MARIMO_WHEELS/pyyaml/root" || die "could not unpack python3-yaml"
    "$VENV_PYTHON" "$HOSTS_SRC/pure_wheel.py" "$HOSTS_MARIMO_WHEELS/pyyaml/root/usr/lib/python3/dist-packages/yaml" PyYAML \
        "$(dpkg-deb -f "$HOSTS_MARIMO_WHEELS"/pyyaml/python3-yaml_*.deb Version | sed 's/-.*//')" "$HOSTS_MARIMO_WHEELS" >/dev/null ||
        die "hosts/pure_wheel.py failed on python3-yaml"
}

# dist/'s Pyodide (its core files, its wheels and the lock listing them)
# copied into DIR.
copy_dist_pyodide() {
    local dir="$1" file
    mkdir -p "$dir"
    for file in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
        cp "$DIST_DIR/$file" "$dir/" || die "dist/$file missing; ./build.sh build makes it"
    done
    cp "$DIST_DIR"/*.whl "$dir/"
}

# The picture every recipe opens, made by Pillow (hosts/photo.py).
build_hosts_photo() {
    "$VENV_PYTHON" "$HOSTS_SRC/photo.py" "$HOSTS_DIST/photo.png" || die "hosts/photo.py failed"
}

# hosts/pyscript/: PyScript from npm, its interpreter the Pyodide beside it.
build_hosts_pyscript() {
    say "hosts: the PyScript page (dist-hosts/pyscript/)"
    local site="$HOSTS_DIST/pyscript"
    mkdir -p "$site/pyscript"
    cp "$HOSTS_SRC"/pyscript/* "$HOSTS_DIST/photo.png" "$site/"
    find "$HOSTS_NPM/node_modules/@pyscript/core/dist" -maxdepth 1 -type f ! -name '*.map' -exec cp -t "$site/pyscript/" {} + ||
        die "@pyscript/core missing from ${HOSTS_NPM#"$ROOT"/}"
    copy_dist_pyodide "$site/pyodide"
}

# hosts/jupyterlite/: a JupyterLite site whose Pyodide kernel loads the
# Pyodide of dist/ (static/pyodide/, whose lock lists wasmcanvas) and
# installs its own wheels and wasmcanvas from the site's package index
# (pypi/all.json), never from PyPI; its one notebook is
# hosts/jupyterlite/notebook.py.
build_hosts_jupyterlite() {
    say "hosts: the JupyterLite site (dist-hosts/jupyterlite/)"
    local lite="$BUILD_DIR/hosts-lite"
    rm -rf "$lite"
    mkdir -p "$lite/files"
    cp "$HOSTS_SRC/jupyterlite/jupyter-lite.json" "$lite/"
    cp "$HOSTS_DIST/photo.png" "$lite/files/"
    "$VENV_PYTHON" "$HOSTS_SRC/notebook.py" "$HOSTS_SRC/jupyterlite/notebook.py" "$lite/files/wasmcanvas.ipynb" ||
        die "hosts/notebook.py failed on hosts/jupyterlite/notebook.py"
    copy_dist_pyodide "$lite/static/pyodide"
    local wheel wheels=()
    for wheel in "$HOSTS_KERNEL_WHEELS"/*.whl "$BUILD_DIR"/wheel/*.whl; do
        wheels+=(--piplite-wheels "$wheel")
    done
    run_logged hosts-jupyterlite "jupyter lite build" \
        env -C "$lite" "$HOSTS_VENV/bin/jupyter" lite build --lite-dir "$lite" --output-dir "$HOSTS_DIST/jupyterlite" \
        --contents "$lite/files" "${wheels[@]}"
}

# hosts/marimo/notebook.py exported by `marimo export html-wasm`, its
# runtime pointed (the <marimo-wasm> element's data-pyodide-* attributes) at
# the Pyodide 314.0.0 beside it, from npm, whose lock lists marimo's wheels
# and dist/'s (wasmcanvas among them); the picture in public/.
build_hosts_marimo() {
    say "hosts: the marimo notebook export (dist-hosts/marimo/)"
    local site="$HOSTS_DIST/marimo" pyodide="$HOSTS_NPM/node_modules/pyodide" file
    mkdir -p "$site/public"
    run_logged hosts-marimo "marimo export html-wasm of hosts/marimo/notebook.py" \
        env UV="$HOSTS_VENV/bin/uv" "$HOSTS_VENV/bin/marimo" -q -y export html-wasm "$HOSTS_SRC/marimo/notebook.py" \
        -o "$site" --mode run --no-sandbox -f
    cp "$HOSTS_DIST/photo.png" "$site/public/"
    mkdir -p "$site/pyodide"
    for file in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip; do
        cp "$pyodide/$file" "$site/pyodide/" || die "pyodide file $file missing from ${HOSTS_NPM#"$ROOT"/}"
    done
    cp "$HOSTS_MARIMO_WHEELS"/*.whl "$DIST_DIR"/*.whl "$site/pyodide/"
    "$VENV_PYTHON" "$HOSTS_SRC/marimo_lock.py" "$pyodide/pyodide-lock.json" "$site/pyodide" >/dev/null ||
        die "writing dist-hosts/marimo/pyodide/pyodide-lock.json failed (hosts/marimo_lock.py)"
    grep -q '<marimo-wasm hidden="">' "$site/index.html" ||
        die "marimo's export has no <marimo-wasm hidden=\"\"> element to point at the Pyodide beside it; check the marimo version"
    sed -i 's|<marimo-wasm hidden="">|<marimo-wasm hidden="" data-pyodide-index-url="./pyodide/" data-pyodide-lockfile-url="./pyodide/pyodide-lock.json">|' \
        "$site/index.html"
}

test_hosts() {
    say "hosts: end-to-end tests in headless Chromium (tests/hosts/)"
    (cd "$ROOT" && "$VENV_PYTHON" -m pytest -q -p no:cacheprovider --hosts-dir="$HOSTS_DIST" tests/hosts "$@") ||
        die "the hosts' end-to-end tests failed"
}

cmd_hosts() {
    cd "$ROOT"
    cmd_setup
    cmd_build
    setup_hosts_venv
    setup_hosts_npm
    setup_hosts_kernel_wheels
    setup_hosts_marimo_wheels
    rm -rf "$HOSTS_DIST"
    mkdir -p "$HOSTS_DIST"
    build_hosts_photo
    build_hosts_pyscript
    build_hosts_jupyterlite
    build_hosts_marimo
    test_hosts "$@"
}

cmd_bench() {
    cd "$ROOT"
    cmd_setup
    cmd_build
    say "benchmarks in headless Chromium, then native Pillow (a few minutes)"
    "$VENV_PYTHON" "$ROOT/tests/benchmark.py" "$DIST_DIR" "$ROOT/bench-results.json" "$ROOT/docs/performance.md" ||
        die "the benchmark run failed"
    # The tables it wrote are a docs page: dist/docs/ shows them.
    cmd_build
}

cmd_help() {
    cat <<'EOF'
Usage: ./build.sh COMMAND [ARGS]

  setup         install everything the project needs (Debian packages, the
                wasm-bindgen toolchain into .toolchain/, npm packages, .venv)
  build         crate -> wasm -> wasm-bindgen -> wheel -> static site in dist/
                (with the documentation in dist/docs/),
                each stage only when what it reads changed since it ran
  serve [PORT] [--no-watch]
                build what changed, serve dist/ on 127.0.0.1 (default 8000),
                rebuild on changes to py/, web/ and crate/ and reload the
                open pages (--no-watch: serve as built)
  gates         cargo fmt --check, cargo clippy, ruff, ruff format --check,
                mypy --strict (needs ./build.sh setup first)
  test [ARGS]   setup, gates, build (then the stub gate), cargo test,
                Pillow's suite and pytest in the page, a Web Worker and Node
                on every core (ARGS go to the page's pytest)
  test --quick [ARGS]
                the edit loop: gates, build, and only the tests that see
                what changed since the last commit (see cmd_test_quick)
  pillow-suite [--update-manifest]
                build, then run Pillow's own test modules against wasmcanvas
                and compare with tests/pillow_suite/manifest.txt (part of
                test; --update-manifest rewrites the manifest from the run)
  bench         build, run dist/bench.html in headless Chromium and native
                Pillow on the host, print the table, write
                bench-results.json and the tables of docs/performance.md
  hosts [ARGS]  build, then the hosts' recipes (hosts/) into dist-hosts/: a
                PyScript page and a JupyterLite site, each run end to end
                in headless Chromium (ARGS go to pytest)
  help          this text
EOF
}

main() {
    local command="${1:-help}"
    [[ $# -gt 0 ]] && shift
    TOOLCHAIN_KIND="$(detect_toolchain)"
    case "$command" in
        setup) cmd_setup ;;
        build) cmd_build ;;
        serve) cmd_serve "$@" ;;
        gates) cmd_gates ;;
        test) cmd_test "$@" ;;
        bench) cmd_bench ;;
        pillow-suite) cmd_pillow_suite "$@" ;;
        hosts) cmd_hosts "$@" ;;
        help | -h | --help) cmd_help ;;
        *) cmd_help >&2; die "unknown command '$command'" ;;
    esac
}

main "$@"
